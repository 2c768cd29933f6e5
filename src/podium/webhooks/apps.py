from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "podium.webhooks"
    label = "webhooks"

    def ready(self):
        from podium.base.metrics import register_figures
        from podium.webhooks.metrics import delivery_figures

        register_figures(delivery_figures)
