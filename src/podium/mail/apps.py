from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "podium.mail"
    label = "mail"

    def ready(self):
        from podium.base.metrics import register_figures
        from podium.mail.metrics import outbox_figures

        register_figures(outbox_figures)
