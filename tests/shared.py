"""Where the format definitions and the real schedule files live: the project's shared folder, beside
the repository (`../shared`), or wherever PODIUM_SHARED_DIR points. They are not copied into the
repository; without them the format and import tests cannot run, so collection stops with this message."""

import os
from pathlib import Path


def _shared_dir() -> Path:
    candidates = [
        os.environ.get("PODIUM_SHARED_DIR"),
        Path(__file__).resolve().parents[2] / "shared",
        "/work/shared",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "formats").is_dir():
            return Path(candidate)
    raise RuntimeError(
        "The shared folder with formats/ and schedule-data/ was not found beside the repository; "
        "set PODIUM_SHARED_DIR to it."
    )


SHARED = _shared_dir()
FORMATS_DIR = SHARED / "formats"
SCHEDULE_DATA = SHARED / "schedule-data"
