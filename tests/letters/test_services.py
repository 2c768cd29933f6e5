import datetime as dt

import pytest

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.letters import services
from podium.letters.models import LetterRequest, LetterState
from podium.mail.models import OutboxMail
from tests import factories
from tests.visa import ask, values

pytestmark = pytest.mark.django_db


def test_a_speaker_asks_and_changes_the_waiting_request(event, speaker):
    first = ask(event, speaker)
    changed = services.save_request(
        event=event, by=speaker, data=values(event, passport_number="PX999"), version=first.version
    )
    assert (changed.pk, changed.passport_number, changed.version) == (first.pk, "PX999", 2)
    assert changed.role == "speaker"
    assert LetterRequest.objects.count() == 1
    actions = list(
        AuditEntry.objects.filter(action__startswith="letter.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["letter.requested", "letter.changed"]
    assert not any("PX" in str(entry.data) for entry in AuditEntry.objects.all())


def test_someone_neither_speaker_nor_ticket_holder_is_refused(event):
    with pytest.raises(NotAllowed, match="paid ticket"):
        ask(event, factories.UserFactory())
    assert LetterRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"passport_name": "  "}, "passport_name"),
        ({"nationality": ""}, "nationality"),
        ({"passport_number": ""}, "passport_number"),
        ({"date_of_birth": None}, "date_of_birth"),
        ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth"),
        ({"arrival": None}, "arrival"),
        ({"departure": "not a date"}, "departure"),
    ],
)
def test_required_fields_and_dates_are_checked(event, speaker, overrides, field):
    with pytest.raises(ServiceError) as caught:
        ask(event, speaker, **overrides)
    assert caught.value.field == field


def test_travel_dates_stay_near_the_event_and_in_order(event, speaker):
    day = dt.timedelta(days=1)
    with pytest.raises(ServiceError, match="cannot be before") as caught:
        ask(event, speaker, arrival=event.date_from, departure=event.date_from - day)
    assert caught.value.field == "departure"
    with pytest.raises(ServiceError, match="Arrive between") as caught:
        ask(event, speaker, arrival=event.date_from - 31 * day)
    assert caught.value.field == "arrival"
    with pytest.raises(ServiceError, match="Arrive between"):
        ask(event, speaker, arrival=event.date_to + day, departure=event.date_to + 2 * day)
    with pytest.raises(ServiceError, match="Leave between"):
        ask(event, speaker, departure=event.date_to + 31 * day)
    ok = ask(event, speaker, arrival=event.date_from - 30 * day, departure=event.date_to + 30 * day)
    assert ok.pk


def test_approval_gives_a_long_random_code_and_mails_the_requester(event, speaker, issuer):
    request = ask(event, speaker)
    approved = services.approve_request(letter=request, by=issuer, version=request.version)
    assert approved.state == LetterState.APPROVED
    assert len(approved.verification_code) >= 32
    assert approved.approver_name == issuer.name
    mail = OutboxMail.objects.get(to=speaker.email)
    assert mail.template == "letter_approved"
    assert mail.about == f"letter:{approved.pk}"
    assert f"/{event.slug}/letter/letter.pdf" in mail.body
    assert "PX1234567" not in mail.body
    assert AuditEntry.objects.filter(action="letter.approved", actor=issuer).count() == 1
    another = services.approve_request(letter=ask(event, factories_speaker(event)), by=issuer, version=None)
    assert another.verification_code != approved.verification_code


def factories_speaker(event):
    user = factories.UserFactory()
    factories.ProposalFactory(event=event, speakers=[user], state="confirmed")
    return user


def test_a_stale_decision_is_refused(event, speaker, issuer):
    request = ask(event, speaker)
    stale = request.version
    services.save_request(event=event, by=speaker, data=values(event, note="changed"), version=stale)
    with pytest.raises(StaleEdit):
        services.approve_request(letter=request, by=issuer, version=stale)
    request.refresh_from_db()
    services.decline_request(letter=request, by=issuer, version=request.version, reason="Too late")
    with pytest.raises(StaleEdit):
        services.approve_request(letter=request, by=issuer, version=None)
    request.refresh_from_db()
    assert request.state == LetterState.DECLINED
    assert OutboxMail.objects.filter(template="letter_approved").count() == 0


def test_declining_needs_a_reason_and_mails_it(event, speaker, issuer):
    request = ask(event, speaker)
    with pytest.raises(ServiceError, match="Say why") as caught:
        services.decline_request(letter=request, by=issuer, version=request.version, reason="  ")
    assert caught.value.field == "reason"
    services.decline_request(
        letter=request, by=issuer, version=request.version, reason="Not a speaker any more"
    )
    mail = OutboxMail.objects.get(to=speaker.email)
    assert (mail.template, "Not a speaker any more" in mail.body) == ("letter_declined", True)
    # Declined: a new request may be made.
    assert ask(event, speaker).state == LetterState.WAITING


def test_a_member_without_the_flag_cannot_decide(event, speaker):
    request = ask(event, speaker)
    editor = factories.team_member(event, can_edit_event=True)
    with pytest.raises(NotAllowed):
        services.approve_request(letter=request, by=editor, version=request.version)
    with pytest.raises(NotAllowed):
        services.decline_request(letter=request, by=editor, version=request.version, reason="x")


def test_withdrawing_an_approved_letter(event, speaker, issuer):
    request = ask(event, speaker)
    approved = services.approve_request(letter=request, by=issuer, version=request.version)
    withdrawn = services.withdraw_letter(letter=approved, by=issuer, version=approved.version)
    assert (withdrawn.state, withdrawn.is_valid) == (LetterState.WITHDRAWN, False)
    mail = OutboxMail.objects.filter(about=f"letter:{request.pk}").order_by("-pk").first()
    assert mail.template == "letter_withdrawn"
    assert (mail.to, withdrawn.verification_code) == (speaker.email, approved.verification_code)
    assert approved.verification_code in mail.body
    assert "no longer valid" in mail.body
    with pytest.raises(StaleEdit):
        services.withdraw_letter(letter=withdrawn, by=issuer, version=None)


def test_the_database_keeps_one_waiting_request_per_person(event, speaker):
    from django.db import IntegrityError, transaction

    first = ask(event, speaker)
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterRequest.objects.create(
            event=event, user=speaker, passport_name="x", arrival=first.arrival, departure=first.departure
        )
