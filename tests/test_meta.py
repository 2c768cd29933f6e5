"""Meta-tests that keep the repository honest."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from podium.base.permissions import ATTR

SRC = Path(__file__).resolve().parent.parent / "src" / "podium"
# Views that come from third-party code and are not ours to declare. API operations declare their
# auth through django-ninja instead; tests/api/test_openapi.py proves every one of them does.
EXEMPT_PREFIXES = ("static/", "api/v1/")


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


def test_tests_mirror_the_source_tree():
    """Every test module sits in the folder whose full path mirrors a package of src/podium
    (tests/orga/views/ for src/podium/orga/views/), at the top, or in browser/."""
    tests_dir = Path(__file__).resolve().parent
    strays = []
    for test_file in tests_dir.rglob("test_*.py"):
        folder = test_file.parent.relative_to(tests_dir)
        if folder == Path(".") or folder.parts[0] == "browser":
            continue
        if not (SRC / folder / "__init__.py").exists():
            strays.append(str(test_file.relative_to(tests_dir)))

    assert strays == []


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
