"""Reusable reads about proposals."""

from django.db.models import Prefetch

from podium.proposals.models import Proposal, ProposalSpeaker, SpeakerProfile


def with_list_data(proposals):
    """Everything a proposal list shows, in a fixed number of queries."""
    return proposals.select_related("track", "session_type").prefetch_related(
        Prefetch("speaker_links", queryset=ProposalSpeaker.objects.select_related("user"))
    )


def speaker_profiles_for(event, users) -> dict:
    """{user_id: SpeakerProfile} for the given users in one query."""
    return {p.user_id: p for p in SpeakerProfile.objects.filter(event=event, user__in=users)}


def get_for_event(event, code: str) -> Proposal:
    """One proposal of this event by its public code (never by primary key alone)."""
    return event.proposals.select_related("track", "session_type").get(code=code.upper())
