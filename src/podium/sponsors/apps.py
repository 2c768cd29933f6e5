from django.apps import AppConfig


class SponsorsConfig(AppConfig):
    name = "podium.sponsors"
    label = "sponsors"
