import datetime as dt

import pytest

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.mail.models import OutboxMail
from podium.proposals import services, states
from podium.proposals.enums import Actor, ProposalState
from podium.proposals.models import Proposal, SpeakerProfile
from tests import factories

ALL_STATES = list(ProposalState.values)


def _data(event, **extra):
    return {
        "title": "Async all the way down",
        "abstract": "Why and how.",
        "description": "Long form.",
        "track": event.tracks.first(),
        "session_type": event.session_types.first(),
        "audience_level": "beginner",
        "language": "en",
        "notes": "",
        **extra,
    }


def test_submit_proposal_creates_code_speaker_receipt_and_audit(event, speaker):
    proposal = services.submit_proposal(event=event, speaker=speaker, data=_data(event))

    assert len(proposal.code) == 6
    assert set(proposal.code) <= set("ACDEFGHJKMNPQRTUVWXY34679")
    assert list(proposal.speakers.all()) == [speaker]
    assert proposal.state == ProposalState.SUBMITTED
    receipt = OutboxMail.objects.get(to=speaker.email)
    assert receipt.subject.startswith(f"[{event.name}] Received:")


def test_submit_proposal_same_idempotency_key_gives_one_proposal(event, speaker):
    first = services.submit_proposal(event=event, speaker=speaker, data=_data(event), idempotency_key="k1")
    second = services.submit_proposal(event=event, speaker=speaker, data=_data(event), idempotency_key="k1")

    assert first.pk == second.pk
    assert Proposal.objects.filter(event=event).count() == 1
    assert OutboxMail.objects.filter(to=speaker.email).count() == 1


def test_submit_proposal_refused_when_cfp_closed(event, speaker):
    event.cfp_closes = event.cfp_opens + (event.cfp_closes - event.cfp_opens) / 100
    event.save()

    with pytest.raises(NotAllowed, match="closed"):
        services.submit_proposal(event=event, speaker=speaker, data=_data(event))
    assert Proposal.objects.count() == 0


def test_submit_proposal_refuses_another_events_track(event, speaker):
    other = factories.EventFactory()

    with pytest.raises(services.ServiceError, match="track"):
        services.submit_proposal(event=event, speaker=speaker, data=_data(event, track=other.tracks.first()))


@pytest.mark.parametrize("from_state", ALL_STATES)
@pytest.mark.parametrize("to_state", ALL_STATES)
@pytest.mark.parametrize("actor", [Actor.SPEAKER, Actor.ORGANISER])
def test_change_state_follows_the_transition_table(proposal, speaker, from_state, to_state, actor):
    Proposal.objects.filter(pk=proposal.pk).update(state=from_state)
    proposal.refresh_from_db()
    expected = actor in states.TRANSITIONS.get((from_state, to_state), ())

    if expected:
        services.change_state(proposal=proposal, to_state=to_state, by=speaker, actor=actor)
        proposal.refresh_from_db()
        assert proposal.state == to_state
        entry = proposal_history(proposal)[0]
        assert entry.data == {"from": from_state, "to": to_state}
    else:
        with pytest.raises(services.InvalidTransition):
            services.change_state(proposal=proposal, to_state=to_state, by=speaker, actor=actor)
        proposal.refresh_from_db()
        assert proposal.state == from_state


def proposal_history(proposal):
    from podium.base.audit import history_for

    return list(history_for(proposal).filter(action="proposal.state_changed"))


def test_update_proposal_with_stale_version_is_refused(proposal, speaker):
    services.update_proposal(
        proposal=proposal, by=speaker, data={"title": "First edit"}, version=proposal.version
    )

    with pytest.raises(StaleEdit):
        services.update_proposal(
            proposal=proposal, by=speaker, data={"title": "Second edit"}, version=proposal.version
        )
    proposal.refresh_from_db()
    assert proposal.title == "First edit"


def test_update_proposal_by_non_speaker_is_refused(proposal):
    stranger = factories.UserFactory()

    with pytest.raises(NotAllowed):
        services.update_proposal(
            proposal=proposal, by=stranger, data={"title": "Hijack"}, version=proposal.version
        )


def test_confirmation_token_is_bound_to_event(proposal, speaker):
    token = services.confirmation_token(proposal, speaker)
    other = factories.EventFactory()

    assert services.read_confirmation_token(proposal.event, token) == (proposal, speaker)
    with pytest.raises(services.ServiceError):
        services.read_confirmation_token(other, token)


def test_co_speaker_invite_and_accept(proposal, speaker):
    invite = services.invite_co_speaker(proposal=proposal, email="Co@Example.org", by=speaker)
    co = factories.UserFactory(email="co@example.org")

    services.accept_co_speaker_invite(invite=invite, user=co)

    assert proposal.ordered_speakers == [speaker, co]
    with pytest.raises(services.ServiceError, match="used already"):
        services.accept_co_speaker_invite(invite=invite, user=factories.UserFactory())


def test_withdrawing_with_a_pending_decision_discards_its_held_mail(proposal, speaker, organiser_user):
    from podium.mail.models import MailStatus
    from podium.reviews.services import decide

    decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)

    services.withdraw_proposal(proposal=proposal, by=speaker)

    statuses = set(
        proposal.event.mails.filter(about=f"decision:{proposal.pk}").values_list("status", flat=True)
    )
    assert statuses == {MailStatus.DISCARDED}


def test_receipt_mail_gives_the_deadline_in_the_event_time_zone(event, speaker):
    import datetime as dt

    event.timezone = "Europe/Berlin"
    event.cfp_closes = dt.datetime(2031, 1, 15, 22, 0, tzinfo=dt.UTC)
    event.save()

    services.submit_proposal(event=event, speaker=speaker, data=_data(event))

    assert "15 January 2031, 23:00 CET" in OutboxMail.objects.get().body


def test_set_availability_keeps_preferred_windows_apart_from_the_limits(event, speaker):
    profile = SpeakerProfile.objects.get_or_create(event=event, user=speaker)[0]
    day = event.date_from
    nine, noon, five = (dt.datetime.combine(day, dt.time(h), tzinfo=event.tz) for h in (9, 12, 17))

    services.set_availability(profile=profile, windows=[(nine, five)], preferred=[(nine, noon)])

    assert list(profile.availabilities.values_list("start", "end", "preferred").order_by("preferred")) == [
        (nine, five, False),
        (nine, noon, True),
    ]


def test_set_availability_with_only_preferred_windows_limits_nothing(event, speaker):
    profile = SpeakerProfile.objects.get_or_create(event=event, user=speaker)[0]
    day = event.date_from
    nine, noon = (dt.datetime.combine(day, dt.time(h), tzinfo=event.tz) for h in (9, 12))

    services.set_availability(profile=profile, windows=[], preferred=[(nine, noon)])

    assert list(profile.availabilities.values_list("preferred", flat=True)) == [True]


@pytest.mark.parametrize(
    ("preferred", "message"),
    [
        ((13, 14), "A preferred time must be one of the times you can present."),
        ((11, 10), "must end after it starts"),
    ],
)
def test_set_availability_refuses_bad_preferred_windows_and_keeps_the_old_ones(
    event, speaker, preferred, message
):
    profile = SpeakerProfile.objects.get_or_create(event=event, user=speaker)[0]
    day = event.date_from
    at = lambda hour: dt.datetime.combine(day, dt.time(hour), tzinfo=event.tz)  # noqa: E731
    services.set_availability(profile=profile, windows=[(at(9), at(12))])

    with pytest.raises(ServiceError, match=message):
        services.set_availability(
            profile=profile, windows=[(at(9), at(12))], preferred=[(at(preferred[0]), at(preferred[1]))]
        )

    assert list(profile.availabilities.values_list("start", "end", "preferred")) == [(at(9), at(12), False)]
