"""What a `podium` command costs before it does anything: start-up CPU, against Django's own.

    .venv/bin/python benchmarks/startup.py [--runs 15] [--instructions]

Each case runs `--runs` times as a fresh process (user + system CPU of the child, the median and the
lowest); the baseline, in the same run, is Python setting up Django with two of its own apps (auth,
contenttypes) and no project.
`--instructions` also counts each case's instructions once under valgrind's callgrind (repeatable
whatever else the machine does; some 50 times slower). A data dir of its own under a temporary
directory, migrated first, so the commands find a database as an installation has it.
"""

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PYTHON = sys.executable
PODIUM = str(Path(PYTHON).with_name("podium"))
DJANGO_ALONE = (
    "import django; from django.conf import settings; "
    "settings.configure(INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes']); django.setup()"
)
CASES = {
    "Django alone (baseline)": [PYTHON, "-c", DJANGO_ALONE],
    "podium shell -c pass": [PODIUM, "shell", "--no-imports", "-c", "pass"],
    "podium check": [PODIUM, "check"],
}
LIBRARIES = (
    "celery",
    "icalendar",
    "reportlab",
    "lxml",
    "ninja",
    "pydantic",
    "brotli",
    "PIL",
    "numpy",
    "ortools",
)


def cpu(command: list[str], env: dict) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def instructions(command: list[str], env: dict, folder: Path) -> int:
    out = folder / "callgrind.out"
    if command[0] == PODIUM:  # the console script, as Python runs it (valgrind follows no exec here)
        command = [PYTHON, "-m", "podium.cli", *command[1:]]
    result = subprocess.run(  # noqa: S603
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],  # noqa: S607
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
        env["PODIUM_DATA_DIR"] = str(folder / "data")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as `make` runs commands: the bytecode kept
        subprocess.run([PODIUM, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
        loaded = subprocess.run(  # noqa: S603
            [
                PODIUM,
                "shell",
                "--no-imports",
                "-c",
                f"import sys; print([m for m in {LIBRARIES!r} if m in sys.modules])",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(f"{args.runs} runs each; load average {os.getloadavg()[0]:.1f}")
        print(f"libraries a command has loaded once Django is set up: {loaded}")
        baseline = None
        for name, command in CASES.items():
            cpu(command, env)  # Python's bytecode cache written, the files in the page cache
            times = sorted(cpu(command, env) for _ in range(args.runs))
            median = statistics.median(times)
            baseline = baseline or median
            line = f"{name:28s} median {median:.3f} s  lowest {times[0]:.3f} s  {median / baseline:.2f} times the baseline"
            if args.instructions:
                line += f"  {instructions(command, env, folder) / 1e9:.2f} G instructions"
            print(line, flush=True)


if __name__ == "__main__":
    main()
