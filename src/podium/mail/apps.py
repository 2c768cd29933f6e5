from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "podium.mail"
    label = "mail"
