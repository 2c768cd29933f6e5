"""Back-office URLs of sponsors: the pipeline, one organisation at the event with its people, new
organisations, the levels (the shared new/edit/delete pattern) and "due this week"."""

from django.urls import path

from podium.orga.views import sponsors

BASE = "event/<slug:event>/sponsors/"

urlpatterns = [
    path(BASE, sponsors.pipeline, name="sponsors"),
    path(f"{BASE}due/", sponsors.due, name="sponsors_due"),
    path(f"{BASE}due/everyone/", sponsors.due, {"everyone": True}, name="sponsors_due_everyone"),
    path(f"{BASE}organisations/new/", sponsors.organisation_new, name="sponsor_organisation_new"),
    path(f"{BASE}<int:sponsorship>/", sponsors.sponsorship, name="sponsorship"),
    path(f"{BASE}<int:sponsorship>/organisation/", sponsors.organisation_edit, name="sponsor_organisation"),
    path(
        f"{BASE}<int:sponsorship>/organisation/delete/",
        sponsors.organisation_delete,
        name="sponsor_organisation_delete",
    ),
    path(f"{BASE}<int:sponsorship>/contacts/new/", sponsors.contact, name="sponsor_contact_new"),
    path(f"{BASE}<int:sponsorship>/contacts/<int:contact>/", sponsors.contact, name="sponsor_contact"),
    path(
        f"{BASE}<int:sponsorship>/contacts/<int:contact>/delete/",
        sponsors.contact_delete,
        name="sponsor_contact_delete",
    ),
    path(f"{BASE}levels/", sponsors.levels, name="sponsor_levels"),
    path(f"{BASE}levels/new/", sponsors.level_new, {"kind": "sponsor_level"}, name="sponsor_level_new"),
    path(
        f"{BASE}levels/<int:pk>/", sponsors.level_edit, {"kind": "sponsor_level"}, name="sponsor_level_edit"
    ),
    path(
        f"{BASE}levels/<int:pk>/delete/",
        sponsors.level_delete,
        {"kind": "sponsor_level"},
        name="sponsor_level_delete",
    ),
]
