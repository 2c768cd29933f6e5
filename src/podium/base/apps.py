from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "podium.base"
    label = "base"
    verbose_name = "Podium infrastructure"

    def ready(self):
        from podium.base import telemetry

        telemetry.start()  # Sentry and OpenTelemetry, only when their settings are set
