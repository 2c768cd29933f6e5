"""Reusable reads about proposals, and proposals as one viewer may see them (`for_viewer`)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.db.models.query import ModelIterable

from podium.accounts.models import User
from podium.base import audit
from podium.proposals.models import Proposal, ProposalSpeaker, SpeakerProfile
from podium.proposals.rules import can_see_identity, team_visible_proposals


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


# --- Proposals as one viewer may see them ---------------------------------------------------------

ANONYMOUS_SPEAKER = "a speaker"
SYSTEM_ACTOR = "Podium"
# Audit details that name a person, left out of an anonymised proposal's history.
PERSONAL_DETAILS = ("email",)


@dataclass(frozen=True)
class ShownSpeaker:
    """A speaker as shown to a viewer who may see identities: the account and its profile in the event."""

    user: User
    profile: SpeakerProfile | None


class ViewerProposals(QuerySet):
    """Proposals as one viewer may see them; made by `for_viewer`.

    Every proposal it yields carries, besides its own fields:
    - `anonymised`: whether its speakers' identity is hidden from this viewer;
    - `shown_speakers`: [ShownSpeaker] in the proposal's order, None when anonymised;
    - `shown_notes`: the notes for the organisers, None when anonymised.
    The team's proposal and review pages and the organiser API show speakers and notes only through
    these, so what a viewer may not see is never loaded for them. Filters, ordering, annotations and slices keep all of it; `values()` rows
    are plain data and are left as they are. The queryset's own `anonymised` says the same for the
    viewer as a whole (e.g. for a notice on an empty list).
    """

    anonymised = False
    viewer_event = None

    def _clone(self):
        clone = super()._clone()
        clone.anonymised, clone.viewer_event = self.anonymised, self.viewer_event
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and issubclass(self._iterable_class, ModelIterable):
            self._present(self._result_cache)

    def _present(self, proposals: list) -> None:
        for proposal in proposals:
            if self.viewer_event is not None and proposal.event_id == self.viewer_event.pk:
                # Always so (for_viewer filters by the event): saves a query per `proposal.event`.
                proposal.event = self.viewer_event
        if self.anonymised:
            for proposal in proposals:
                proposal.anonymised, proposal.shown_speakers, proposal.shown_notes = True, None, None
            return
        users = [link.user for proposal in proposals for link in proposal.speaker_links.all()]
        profiles = (
            {
                profile.user_id: profile
                for profile in SpeakerProfile.objects.filter(event=self.viewer_event, user__in=users)
            }
            if users
            else {}
        )
        for proposal in proposals:
            proposal.anonymised = False
            proposal.shown_speakers = [
                ShownSpeaker(user=link.user, profile=profiles.get(link.user_id))
                for link in proposal.speaker_links.all()
            ]
            proposal.shown_notes = proposal.notes


def for_viewer(user, event) -> ViewerProposals:
    """The proposals of `event` that `user` may see (their teams' tracks), in the form they may see them:
    when the event anonymises review and `user` may not see identities (`rules.can_see_identity`), the
    speakers' names, addresses, bios, photos, websites and social accounts and the organiser notes are
    left out (see ViewerProposals; `history_for_viewer` does the same for the history).

    Track and session type come in the same query; when shown, speakers and their profiles in one more
    query each.
    """
    visible = team_visible_proposals(user, event).select_related("track", "session_type")
    proposals = ViewerProposals(model=Proposal, query=visible.query.chain(), using=visible.db)
    proposals.anonymised = not can_see_identity(user, event)
    proposals.viewer_event = event
    if not proposals.anonymised:
        proposals = proposals.prefetch_related(
            Prefetch("speaker_links", queryset=ProposalSpeaker.objects.select_related("user"))
        )
    return proposals


@dataclass(frozen=True)
class HistoryEntry:
    timestamp: dt.datetime
    who: str  # the actor's name, "a speaker" or "Podium"
    action: str
    data: dict


def history_for_viewer(proposal) -> list[HistoryEntry]:
    """The audit trail of a proposal from `for_viewer`, newest first, as its viewer may see it.

    When the proposal is anonymised for the viewer, its speakers (and whoever submitted it) appear as
    "a speaker" and details that name people (an invited co-speaker's address) are left out.
    """
    speaker_ids = {link.user_id for link in proposal.speaker_links.all()}
    if proposal.submitted_by_id:
        speaker_ids.add(proposal.submitted_by_id)
    entries = []
    for entry in audit.history_for(proposal):
        data = dict(entry.data or {})
        if entry.actor_id is None:
            who = SYSTEM_ACTOR
        elif proposal.anonymised and entry.actor_id in speaker_ids:
            who = ANONYMOUS_SPEAKER
        else:
            who = entry.actor.name or entry.actor.email
        if proposal.anonymised:
            for key in PERSONAL_DETAILS:
                data.pop(key, None)
        entries.append(HistoryEntry(timestamp=entry.timestamp, who=who, action=entry.action, data=data))
    return entries
