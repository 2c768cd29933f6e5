import subprocess
import sys


def test_solver_package_imports_no_django():
    code = "import sys, podium.scheduling.solver; print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "False"
