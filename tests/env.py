"""Loaded with `-p tests.env` before Django's settings: tests never touch ./data."""

import os
import tempfile

os.environ["PODIUM_DATA_DIR"] = tempfile.mkdtemp(prefix="podium-test-")
os.environ["PODIUM_BASE_URL"] = "https://podium.test"
os.environ.pop("PODIUM_DEBUG", None)
os.environ.pop(
    "PODIUM_REDIS_URL", None
)  # tests use the process-local cache (and clear it); Redis is tested in a subprocess
os.environ["PODIUM_SSL_REDIRECT"] = "false"  # the test client and live server speak plain http
