"""Meta-tests that keep the repository honest."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from podium.base.permissions import ATTR

SRC = Path(__file__).resolve().parent.parent / "src" / "podium"
# Views that come from third-party code and are not ours to declare. API operations declare their
# auth through django-ninja instead; tests/api/test_main_openapi.py proves every one of them does.
EXEMPT_PREFIXES = ("static/", "api/v1/")
# Top-level test modules about the whole project rather than one source module; every other test module
# mirrors one (test_tests_mirror_the_source_tree), and browser/ holds the Playwright flows by role.
CROSS_CUTTING = {
    "test_meta.py": "keeps the repository honest: declared permissions, migrations, this layout",
    "test_layers.py": "every import statement of every app against the layers",
    "test_isolation.py": "every public URL of a hidden event answers as an unknown slug",
    "test_inline_code.py": "no inline style or script in any template or page",
    "test_translations.py": "every word a person reads in a template is marked for translation",
    "test_personal_data.py": "no value of an erased person left in any table, file or cache",
    "test_bidi.py": "names and titles in right-to-left scripts isolated on every page that shows them",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_url_declares_a_permission():
    undeclared = [
        route
        for route, view in _walk(get_resolver().url_patterns)
        if not route.startswith(EXEMPT_PREFIXES) and not hasattr(view, ATTR)
    ]

    assert undeclared == []


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # raised when a migration is missing
        pytest.fail(f"missing migrations:\n{out.getvalue()} ({exc})")


def _names_a_module(folder: Path, name: str) -> bool:
    """Whether `name` is a module or package of `folder`, or `<module>_<aspect>` of one
    (services_concurrency for services.py, exporters_demo for the exporters/ package)."""
    words = name.split("_")
    for cut in range(len(words), 0, -1):
        module = "_".join(words[:cut])
        if (folder / f"{module}.py").exists() or (folder / module / "__init__.py").exists():
            return True
    return False


def _misplaced_tests(tests_dir: Path, src: Path) -> list[str]:
    """Test modules that mirror no source module: tests/<path>/test_<module>[_<aspect>].py belongs to
    src/podium/<path>/<module>.py or its package <module>/; only browser/ and CROSS_CUTTING are exempt."""
    strays = []
    for test_file in sorted(tests_dir.rglob("test_*.py")):
        relative = test_file.relative_to(tests_dir)
        folder = relative.parent
        if folder.parts[:1] == ("browser",) or str(relative) in CROSS_CUTTING:
            continue
        if folder != Path(".") and not (src / folder / "__init__.py").exists():
            strays.append(f"{relative}: src/podium/{folder}/ is no package")
        elif not _names_a_module(src / folder, test_file.stem.removeprefix("test_")):
            strays.append(f"{relative}: names no module of src/podium/{folder}/".replace("/./", "/"))
    return strays


def test_tests_mirror_the_source_tree():
    """Every test module mirrors a source module: tests/orga/views/test_schedule.py tests
    src/podium/orga/views/schedule.py, tests/schedule/test_services_concurrency.py one aspect of
    src/podium/schedule/services.py, tests/test_settings.py src/podium/settings.py."""
    strays = _misplaced_tests(Path(__file__).resolve().parent, SRC)

    assert strays == [], "name each after the source module it tests:\n" + "\n".join(strays)


def test_the_mirror_check_finds_misplaced_tests(tmp_path):
    src, tests_dir = tmp_path / "src", tmp_path / "tests"
    for module in ("app/__init__.py", "app/services.py", "app/views/__init__.py", "app/views/home.py"):
        (src / module).parent.mkdir(parents=True, exist_ok=True)
        (src / module).touch()
    for test in (
        "app/test_services.py",
        "app/test_services_concurrency.py",
        "app/test_views.py",
        "app/views/test_home_cache.py",
        "browser/test_any_flow.py",
        "test_meta.py",
        "test_app_flows.py",
        "app/test_servicesx.py",
        "app/test_concurrency.py",
        "app/views/test_homepage.py",
        "other/test_services.py",
        "test_whatever.py",
    ):
        (tests_dir / test).parent.mkdir(parents=True, exist_ok=True)
        (tests_dir / test).touch()

    assert _misplaced_tests(tests_dir, src) == [
        "app/test_concurrency.py: names no module of src/podium/app/",
        "app/test_servicesx.py: names no module of src/podium/app/",
        "app/views/test_homepage.py: names no module of src/podium/app/views/",
        "other/test_services.py: src/podium/other/ is no package",
        "test_whatever.py: names no module of src/podium/",
    ]


def test_every_function_that_locks_rows_runs_in_a_transaction():
    """`select_for_update` outside a transaction locks nothing: a stale-edit check then loses updates.

    Every public module-level function that locks rows is decorated with `transaction.atomic` or opens
    one itself (a decorator slipped onto the wrong function once let two edits at one version both
    win). Private helpers and methods are called from such functions.
    """
    import ast

    root = Path(__file__).resolve().parents[1] / "src" / "podium"
    unguarded = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
                continue
            body = ast.unparse(node)
            if "select_for_update" not in body.split(":", 1)[1]:
                continue
            decorated = any("atomic" in ast.unparse(d) for d in node.decorator_list)
            if not decorated and "atomic(" not in body:
                unguarded.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    assert unguarded == [], "lock rows without a transaction: " + ", ".join(unguarded)
