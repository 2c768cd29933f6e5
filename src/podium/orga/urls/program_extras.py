"""Tags, a session's slides and recording, and copying the event."""

from django.urls import path

from podium.orga.views import copying, materials, proposals, tags

urlpatterns = [
    path("event/<slug:event>/proposals-tag/", proposals.proposals_tag, name="proposals_tag"),
    path("event/<slug:event>/tags/", tags.tags, name="tags"),
    path("event/<slug:event>/tags/<int:tag>/", tags.tag_edit, name="tag_edit"),
    path("event/<slug:event>/tags/<int:tag>/delete/", tags.tag_delete, name="tag_delete"),
    path(
        "event/<slug:event>/proposals/<str:code>/material/",
        materials.proposal_material,
        name="proposal_material",
    ),
    path("event/<slug:event>/copy/", copying.copy_event, name="copy_event"),
]
