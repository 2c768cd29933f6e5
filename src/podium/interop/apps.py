from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "podium.interop"
    label = "interop"
