from django.apps import AppConfig


class CheckinConfig(AppConfig):
    name = "podium.checkin"
    label = "checkin"
