from django.apps import AppConfig


class OrgaConfig(AppConfig):
    name = "podium.orga"
    label = "orga"
