from django.apps import AppConfig


class CheckinConfig(AppConfig):
    name = "podium.checkin"
    label = "checkin"

    def ready(self):
        from podium.base.metrics import register_figures
        from podium.checkin.metrics import checkin_figures

        register_figures(checkin_figures)
