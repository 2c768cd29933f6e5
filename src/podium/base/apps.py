from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "podium.base"
    label = "base"
    verbose_name = "Podium infrastructure"
