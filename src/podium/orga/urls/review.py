"""Proposal, review, decision and outbox routes."""

urlpatterns = []
