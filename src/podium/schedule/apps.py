from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "podium.schedule"
    label = "schedule"
