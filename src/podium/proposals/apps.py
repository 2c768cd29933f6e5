from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "podium.proposals"
    label = "proposals"

    def ready(self):
        from podium.events import copying
        from podium.proposals.copying import copy_tags

        copying.register(copy_tags)
