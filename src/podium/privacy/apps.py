from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "podium.privacy"
    label = "privacy"
