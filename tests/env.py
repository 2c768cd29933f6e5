"""Loaded with `-p tests.env` before Django's settings: tests never touch ./data."""

import atexit
import os
import shutil
import tempfile

DATA_DIR = tempfile.mkdtemp(prefix="podium-test-")
atexit.register(shutil.rmtree, DATA_DIR, ignore_errors=True)  # this process's: gone when it ends
os.environ["PODIUM_DATA_DIR"] = DATA_DIR
os.environ["PODIUM_BASE_URL"] = "https://podium.test"
os.environ.pop("PODIUM_DEBUG", None)
os.environ.pop(
    "PODIUM_REDIS_URL", None
)  # tests use the process-local cache (and clear it); Redis is tested in a subprocess
os.environ["PODIUM_SSL_REDIRECT"] = "false"  # the test client and live server speak plain http
