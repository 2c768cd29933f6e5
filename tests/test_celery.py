"""The Celery application as a worker starts it: in a fresh process, with only what Django's set-up
loads (no task module: tests/test_cli.py), the worker's task discovery finds every task by its name."""

import json
import subprocess
import sys

from tests import served

TASKS = """
import json
import django
django.setup()
from podium.celery import app
before = sorted(name for name in app.tasks if name.startswith("podium."))
app.loader.import_default_modules()  # what `celery -A podium worker` does as it starts
after = sorted(name for name in app.tasks if name.startswith("podium."))
print(json.dumps({"before": before, "after": after}))
"""


def test_a_starting_worker_finds_every_task_that_start_up_did_not_load(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", TASKS],
        env=served.clean_env(tmp_path, DJANGO_SETTINGS_MODULE="podium.settings"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    tasks = json.loads(result.stdout.strip().splitlines()[-1])

    assert "podium.campaigns.send_batch" not in tasks["before"]
    assert {
        "podium.campaigns.send_batch",
        "podium.mail.deliver",
        "podium.scheduling.solve",
        "podium.site.render_release",
        "podium.webhooks.deliver",
    } <= set(tasks["after"])
