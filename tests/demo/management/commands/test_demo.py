"""`podium demo`: the shape of the demo conference, determinism, idempotency and the printed log-ins.

The demo is built once per test session (the `demo_output` fixture, tests/conftest.py); tests that build
again do so inside their own transaction, which is rolled back.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min

from podium.accounts.models import User
from podium.attendance.models import Star
from podium.base.management.commands import serve
from podium.base.models import AuditEntry
from podium.checkin.models import CheckIn, Scan
from podium.demo import generator
from podium.events.models import Event, Organiser, Team
from podium.mail.models import MailStatus, OutboxMail
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal, ProposalSpeaker, SpeakerAvailability, SpeakerProfile
from podium.registration.enums import OrderOrigin, OrderState
from podium.registration.models import Answer, Order, Question, Ticket, TicketType, Voucher
from podium.reviews.models import Review
from podium.schedule.models import Release, ReleasedSession, Slot
from tests import factories
from tests.served import collected_static


def _run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = (
        User,
        Organiser,
        Team,
        Event,
        Proposal,
        ProposalSpeaker,
        SpeakerProfile,
        SpeakerAvailability,
        Review,
        OutboxMail,
        AuditEntry,
        Star,
        Slot,
        Release,
        ReleasedSession,
        TicketType,
        Question,
        Voucher,
        Order,
        Ticket,
        Answer,
        CheckIn,
        Scan,
    )
    return {model.__name__: model.objects.count() for model in models}


def _snapshot() -> dict[str, tuple | None]:
    """What must not change between two builds, keyed by title (codes are drawn at random): the
    proposals with their reviews, stars and place on the draft, and every release's sessions."""
    proposals = (
        Proposal.objects.select_related("event", "track", "session_type", "slot__room")
        .prefetch_related("speaker_links__user", "reviews__reviewer")
        .annotate(star_count=Count("stars"))
    )
    snapshot = {
        f"{p.event.slug}: {p.title}": (
            p.state,
            p.pending_state,
            p.track.name,
            p.session_type.name,
            tuple(s.email for s in p.ordered_speakers),
            tuple(sorted((r.reviewer.email, r.score, r.comment) for r in p.reviews.all())),
            p.star_count,
            (p.slot.room.name, p.slot.start, p.slot.end) if hasattr(p, "slot") and p.slot.start else None,
        )
        for p in proposals
    }
    # Order codes and ticket secrets are drawn at random too, and the dates follow the day of the build.
    snapshot["tickets"] = tuple(
        sorted(
            (
                t.order.event.slug,
                t.order.buyer.email,
                t.attendee_name,
                t.attendee_email,
                t.attendee_company,
                t.ticket_type.name,
                t.price,
                t.order.state,
                t.check_in.desk if hasattr(t, "check_in") else None,
                tuple(sorted((a.question.label, a.value) for a in t.answers.all())),
            )
            for t in Ticket.objects.select_related(
                "order__event", "order__buyer", "ticket_type", "check_in"
            ).prefetch_related("answers__question")
        )
    )
    snapshot["releases"] = tuple(
        sorted(
            (s.release.event.slug, s.release.name, s.release.comment, s.title, s.kind, s.room_name, s.start)
            for s in ReleasedSession.objects.select_related("release__event")
        )
    )
    return snapshot


def test_demo_pycon_has_three_days_six_rooms_four_tracks_three_session_types(pycon):
    types = {st.name: (st.duration_minutes, st.is_plenary) for st in pycon.session_types.all()}

    assert len(pycon.days) == 3
    assert pycon.timezone == "America/Chicago"
    assert pycon.rooms.count() == 6
    assert pycon.rooms.filter(capacity__isnull=True).count() == 0
    assert sorted(pycon.tracks.values_list("name", flat=True)) == [
        "Community",
        "Core Python",
        "Data & ML",
        "Web",
    ]
    assert types == {"Talk": (30, False), "Tutorial": (180, False), "Keynote": (45, True)}
    assert pycon.organiser.slug == "psf"


def test_demo_pycon_cfp_closed_before_the_event(pycon):
    assert pycon.cfp_is_open is False
    assert pycon.cfp_closes.astimezone(pycon.tz).date() < pycon.date_from


def test_demo_pycon_has_about_120_proposals_from_about_100_speakers(pycon):
    speakers = User.objects.filter(proposals__event=pycon).distinct().count()
    with_cospeakers = pycon.proposals.annotate(n=Count("speakers")).filter(n__gt=1).count()

    assert 110 <= pycon.proposals.count() <= 130
    assert 90 <= speakers <= 110
    assert with_cospeakers > 0
    assert SpeakerAvailability.objects.filter(profile__event=pycon).exists()


def test_demo_program_committee_has_five_reviewers_reviewing_most_proposals(pycon):
    committee = Team.objects.get(organiser=pycon.organiser, name="Program committee")
    reviewed = Review.objects.filter(proposal__event=pycon).values("reviewer").annotate(n=Count("pk"))
    reviewable = pycon.proposals.exclude(state=ProposalState.WITHDRAWN).count()

    assert committee.can_review is True
    assert committee.members.count() == 5
    assert len(reviewed) == 5
    assert min(row["n"] for row in reviewed) > reviewable / 2


def test_demo_reviews_stay_within_the_scale(pycon):
    scores = Review.objects.filter(proposal__event=pycon).aggregate(low=Min("score"), high=Max("score"))

    assert scores == {"low": 0, "high": 3}
    assert Review.objects.filter(proposal__event=pycon).exclude(comment="").exists()


def test_demo_decisions_cover_every_state(pycon):
    states = dict(pycon.proposals.values_list("state").annotate(n=Count("pk")))
    pending = pycon.proposals.exclude(pending_state="")

    assert 60 <= states[ProposalState.CONFIRMED] <= 80
    assert 60 <= states[ProposalState.CONFIRMED] + states[ProposalState.ACCEPTED] <= 80
    assert states[ProposalState.ACCEPTED] > 0
    assert states[ProposalState.REJECTED] > 0
    assert states[ProposalState.WITHDRAWN] == 2
    assert list(pending.order_by().values_list("state", flat=True).distinct()) == [ProposalState.SUBMITTED]
    assert pycon.proposals.filter(state=ProposalState.SUBMITTED, pending_state="").exists()


def test_demo_mail_is_sent_except_pending_decisions_and_the_campaign_in_review(pycon):
    pending_speakers = ProposalSpeaker.objects.filter(proposal__event=pycon).exclude(
        proposal__pending_state=""
    )
    held = OutboxMail.objects.filter(status=MailStatus.HELD)
    campaign = pycon.campaigns.get()  # in review: its mails are held (tests/demo/test_campaigns.py)

    assert OutboxMail.objects.filter(status=MailStatus.QUEUED).count() == 0
    assert held.exclude(about=f"campaign:{campaign.pk}").count() == pending_speakers.count()
    assert OutboxMail.objects.filter(
        event=pycon, template="decision_accepted", status=MailStatus.SENT
    ).exists()


def test_demo_logins_share_one_password_and_have_their_roles(pycon):
    admin = User.objects.get(email="admin@podium.example")
    confirmed = Proposal.objects.filter(event=pycon, speakers__email="speaker1@podium.example")
    accepted = Proposal.objects.filter(event=pycon, speakers__email="speaker2@podium.example")

    assert generator.demo_users().values("password").distinct().count() == 1
    assert admin.check_password(generator.PASSWORD) is True
    assert Team.objects.filter(organiser=pycon.organiser, is_admin=True, members=admin).count() == 1
    assert (
        Team.objects.filter(
            can_review=True, is_admin=False, members__email="reviewer1@podium.example"
        ).count()
        == 1
    )
    assert confirmed.filter(state=ProposalState.CONFIRMED).exists()
    assert list(accepted.values_list("state", flat=True)) == [ProposalState.ACCEPTED]


def test_demo_pytexas_cfp_is_open_with_a_handful_of_proposals(demo_output, db):
    pytexas = Event.objects.get(slug="pytexas-demo")

    assert pytexas.cfp_is_open is True
    assert 3 <= pytexas.proposals.count() <= 10
    assert set(pytexas.proposals.values_list("state", flat=True)) == {ProposalState.SUBMITTED}


def test_demo_prints_logins_and_urls(demo_output):
    for expected in (
        "admin@podium.example",
        "reviewer1@podium.example",
        "speaker1@podium.example",
        "speaker2@podium.example",
        "attendee1@podium.example",
        "volunteer1@podium.example",
        '"podium-demo"',
        "http://127.0.0.1:8000/pytexas-demo/cfp/",
        "http://127.0.0.1:8000/orga/event/pycon-demo/",
        "http://127.0.0.1:8000/pycon-demo/schedule/",
        "Check-in desk (PyCon US Demo):        http://127.0.0.1:8000/orga/event/pycon-demo/checkin/",
        "73 sessions scheduled, releases v1 and v2 published; 300 attendees starred talks",
    ):
        assert expected in demo_output


def test_demo_prints_what_registration_sold_and_checked_in(demo_output, pycon):
    orders = Order.objects.filter(event=pycon)
    paid = Ticket.objects.filter(order__event=pycon, order__state=OrderState.PAID).count()
    speakers = orders.filter(origin=OrderOrigin.SPEAKER).count()
    checked_in = CheckIn.objects.filter(event=pycon).count()

    assert (
        f"; {paid:,} tickets paid in {orders.count():,} orders ({speakers} for speakers), "
        f"{checked_in} checked in at 3 desks."
    ) in demo_output
    assert "check-in volunteer" in demo_output


def test_demo_second_run_creates_nothing(demo_output, db):
    before = _counts()

    output = _run_demo()

    assert _counts() == before
    assert "exists already" in output
    assert "admin@podium.example" in output


def test_demo_reset_rebuilds_the_same_conference_without_delivering_mail(
    demo_output, db, django_capture_on_commit_callbacks
):
    before_counts, before = _counts(), _snapshot()
    old_codes = set(Proposal.objects.values_list("code", flat=True))

    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # what runs after commit sends nothing
        _run_demo("--reset")

    assert _snapshot() == before
    assert _counts() == before_counts
    assert set(Proposal.objects.values_list("code", flat=True)) != old_codes
    assert mail.outbox == []


def test_demo_serves_with_the_asgi_server_unless_told_not_to(demo_output, db, monkeypatch, settings):
    collected_static(Path(settings.STATIC_ROOT))  # as an earlier start left them: collecting is quick
    served = []
    monkeypatch.setitem(
        serve.RUNNERS,
        "granian",
        lambda **kwargs: served.append((serve.APPLICATION, kwargs["host"], kwargs["port"])),
    )

    call_command("demo", "--port", "8123", "--host", "0.0.0.0", stdout=StringIO())  # noqa: S104

    assert served == [("podium.asgi:application", "0.0.0.0", 8123)]  # noqa: S104


def test_demo_leaves_a_real_organiser_with_a_demo_short_name_alone(db):
    generator.delete_demo()  # the module's demo, if built already (rolled back after the test)
    real = factories.EventFactory(organiser=factories.OrganiserFactory(slug="psf"), slug="pycon-real")

    with pytest.raises(CommandError, match="psf"):
        _run_demo("--reset")

    assert list(Event.objects.values_list("slug", flat=True)) == ["pycon-real"]
    assert Organiser.objects.get(slug="psf").pk == real.organiser_id
