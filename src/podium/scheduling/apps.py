from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "podium.scheduling"
    label = "scheduling"
