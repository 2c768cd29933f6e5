from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "podium.contacts"
    label = "contacts"
