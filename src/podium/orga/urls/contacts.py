"""Back-office URLs of an organiser's contact lists: the lists, one list, its import, its contacts."""

from django.urls import path

from podium.orga.views import contacts

urlpatterns = [
    path("organiser/<slug:organiser>/contacts/", contacts.contact_lists, name="contact_lists"),
    path("organiser/<slug:organiser>/contacts/<int:pk>/", contacts.contact_list, name="contact_list"),
    path(
        "organiser/<slug:organiser>/contacts/<int:pk>/import/", contacts.contact_import, name="contact_import"
    ),
    path(
        "organiser/<slug:organiser>/contacts/<int:pk>/import/apply/",
        contacts.contact_import_apply,
        name="contact_import_apply",
    ),
    path("organiser/<slug:organiser>/contacts/<int:pk>/add/", contacts.contact_add, name="contact_add"),
    path(
        "organiser/<slug:organiser>/contacts/<int:pk>/contact/<int:contact>/",
        contacts.contact_edit,
        name="contact_edit",
    ),
    path(
        "organiser/<slug:organiser>/contacts/<int:pk>/contact/<int:contact>/remove/",
        contacts.contact_remove,
        name="contact_remove",
    ),
]
