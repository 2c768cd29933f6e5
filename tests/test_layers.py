"""Imports flow one way (docs/architecture.md, "Layers"): a module imports only from its own app and
from apps in lower layers, and no two apps import each other. Checked over every import statement in
src/podium, including imports inside functions (they are dependencies too)."""

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "podium"

# Lowest first. Apps in one layer may not import each other.
LAYERS = [
    {"base", "celery", "settings"},  # infrastructure: knows no domain
    {"mail"},  # the outbox every app writes to
    {"events"},  # organisers, events, teams (users only through settings.AUTH_USER_MODEL)
    {"accounts"},  # users, sign-up, API tokens (scoped to organisers and events)
    {"webhooks", "contacts"},  # contacts: an organiser's imported contact lists
    {"proposals"},
    {"reviews", "schedule", "registration"},
    {"attendance", "checkin", "letters", "sponsors"},  # attendees, doors, visa letters, partners
    {"interop", "scheduling", "campaigns", "cfp"},  # campaigns: audiences over every kind of person above
    # cfp: the speaker pages, and the custom questions and answers privacy, orga and the API read
    {"notices", "privacy", "demo"},  # they span several domains
    {"api", "orga", "site"},  # audiences: views, forms, templates
    {"urls", "asgi", "wsgi", "cli"},
]
LAYER_OF = {app: number for number, apps in enumerate(LAYERS) for app in apps}
# Imports that go up or across, with the files that make them: none. A new entry needs a reason here.
KNOWN_UPWARD: dict[tuple[str, str], list[str]] = {}


def _app_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _imports() -> dict[tuple[str, str], list[str]]:
    """{(importing app, imported app): [files]} over every podium import in src/podium."""
    found = defaultdict(list)
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        app = _app_of(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
                if node.module == "podium":
                    modules = [f"podium.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "podium" and len(parts) > 1 and parts[1] != app:
                    found[(app, parts[1])].append(str(path.relative_to(SRC)))
    return found


def test_every_app_has_a_layer():
    apps = {_app_of(path) for path in SRC.rglob("*.py")} - {"__init__", "__main__"}
    assert sorted(apps - set(LAYER_OF)) == []


def test_imports_only_go_down_the_layers():
    upward = {
        (app, target): sorted(set(files))
        for (app, target), files in _imports().items()
        if LAYER_OF.get(target, -1) >= LAYER_OF.get(app, -1)
    }
    assert upward == KNOWN_UPWARD


def test_no_two_apps_import_each_other():
    edges = _imports()
    cycles = sorted({tuple(sorted(pair)) for pair in edges if (pair[1], pair[0]) in edges})
    assert cycles == sorted(tuple(sorted(pair)) for pair in KNOWN_UPWARD)
