from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "podium.webhooks"
    label = "webhooks"
