from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "podium.api"
    label = "api"

    def ready(self):
        from podium.api.idempotency import expired_records
        from podium.base.cleanup import register

        register(expired_records)
