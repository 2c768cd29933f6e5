"""Proposal, review, decision and outbox routes."""

from django.urls import path

from podium.orga.views import mail, proposals, review

urlpatterns = [
    path("event/<slug:event>/proposals/", proposals.proposals, name="proposals"),
    path("event/<slug:event>/proposals/<str:code>/", proposals.proposal, name="proposal"),
    path("event/<slug:event>/proposals/<str:code>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path(
        "event/<slug:event>/proposals/<str:code>/decide/", proposals.proposal_decide, name="proposal_decide"
    ),
    path("event/<slug:event>/proposals/<str:code>/state/", proposals.proposal_state, name="proposal_state"),
    path("event/<slug:event>/reviews/", review.reviews, name="reviews"),
    path("event/<slug:event>/reviews/overview/", review.review_overview, name="review_overview"),
    path("event/<slug:event>/reviews/decide/", review.decide, name="decide"),
    path("event/<slug:event>/reviews/settings/", review.review_settings, name="review_settings"),
    path("event/<slug:event>/reviews/assignments/", review.review_assignments, name="review_assignments"),
    path("event/<slug:event>/reviews/conflicts/", review.review_conflicts, name="review_conflicts"),
    path("event/<slug:event>/review/<str:code>/", review.review, name="review"),
    path("event/<slug:event>/outbox/", mail.outbox, name="outbox"),
    path("event/<slug:event>/outbox/send-decisions/", mail.send_decisions, name="send_decisions"),
]
