from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "podium.proposals"
    label = "proposals"
