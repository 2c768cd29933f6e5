from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "podium.site"
    label = "site"
