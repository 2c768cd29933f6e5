from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "podium.attendance"
    label = "attendance"
