from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "podium.notices"
    label = "notices"

    def ready(self):
        from podium.notices import services
        from podium.schedule import signals

        signals.release_published.connect(services.on_release_published, dispatch_uid="notices.release")
