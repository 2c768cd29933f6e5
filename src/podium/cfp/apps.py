from django.apps import AppConfig


class CfpConfig(AppConfig):
    name = "podium.cfp"
    label = "cfp"

    def ready(self):
        from podium.cfp.services import copy_questions
        from podium.events import copying

        copying.register(copy_questions)
