from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "podium.campaigns"
    label = "campaigns"

    def ready(self):
        from podium.campaigns import tasks  # noqa: F401 - registers the Celery task
