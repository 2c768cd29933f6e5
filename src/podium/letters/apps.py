from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "podium.letters"
    label = "letters"

    def ready(self):
        from podium.base.cleanup import register
        from podium.letters import sweeps

        register(sweeps.letter_passport_data)
