"""The Celery application: background delivery of the mail and webhook outboxes, and automatic
scheduling runs started from the editor (podium.scheduling.tasks).

`celery -A podium worker` runs the tasks (see docs/operations.md). The broker is PODIUM_REDIS_URL;
without one, tasks run in-process right away (`task_always_eager`), so a single-process installation
needs no worker. Tasks only ever deliver outbox rows by claiming them, so running one twice, or
after a worker died mid-way, sends each mail once.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")

app = Celery("podium")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(
    ["podium.mail", "podium.webhooks", "podium.scheduling", "podium.site", "podium.campaigns"]
)
