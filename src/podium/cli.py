"""The `podium` command: every Django management command, plus `demo` and `serve`."""

import os
import sys


def _default_base_url(argv: list[str]) -> None:
    """`podium demo|serve --port P [--host H]` without PODIUM_BASE_URL: links in mail point at that server."""
    if os.environ.get("PODIUM_BASE_URL") or len(argv) < 2 or argv[1] not in {"demo", "serve"}:
        return
    options = {"--port": "8000", "--host": "127.0.0.1"}
    for index, arg in enumerate(argv):
        for name in options:
            if arg == name and index + 1 < len(argv):
                options[name] = argv[index + 1]
            elif arg.startswith(name + "="):
                options[name] = arg.split("=", 1)[1]
    host = "127.0.0.1" if options["--host"] in {"0.0.0.0", "::"} else options["--host"]  # noqa: S104
    os.environ["PODIUM_BASE_URL"] = f"http://{host}:{options['--port']}"


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "podium"
    _default_base_url(argv)
    try:
        settings.SECRET_KEY  # noqa: B018  loads the settings: one the environment gets wrong stops here
    except ImproperlyConfigured as exc:
        sys.exit(f"podium: {exc}")  # what to set, without a traceback through Django's start-up
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
