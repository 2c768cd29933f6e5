from django.apps import AppConfig


class CfpConfig(AppConfig):
    name = "podium.cfp"
    label = "cfp"
