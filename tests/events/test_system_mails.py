"""Saving and resetting an event's own texts of its system mails: who may, what is refused (placeholders
the mail does not offer, empty texts, stale edits), what is recorded."""

import pytest

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.events import system_mails as services
from podium.mail import system
from podium.mail.models import SystemMailTemplate
from tests import factories

pytestmark = pytest.mark.django_db
KEY = "decision_rejected"


@pytest.fixture
def drafter(event):
    return factories.team_member(event, name="Mail drafters", can_draft_mail=True)


def _save(event, by, subject="About {proposal_title}", body="Hello {name},\n\nno.", **kwargs):
    return services.save_system_mail(event=event, key=KEY, subject=subject, body=body, by=by, **kwargs)


@pytest.mark.parametrize("flag", ["is_admin", "can_edit_event", "can_draft_mail"])
def test_administrators_organisers_and_drafters_may_word_the_mails(event, flag):
    member = factories.team_member(event, **{flag: True})

    own = _save(event, member, version=0)

    assert (own.subject, own.body, own.version, own.updated_by) == (
        "About {proposal_title}",
        "Hello {name},\n\nno.\n",
        1,
        member,
    )
    assert services.can_edit_system_mails(member, event)


@pytest.mark.parametrize("flag", ["can_review", "can_send_mail", "can_approve_mail", "can_schedule"])
def test_other_team_members_and_other_events_teams_may_not(event, flag):
    member = factories.team_member(event, **{flag: True})
    elsewhere = factories.team_member(factories.EventFactory(), is_admin=True)

    for user in (member, elsewhere):
        with pytest.raises(NotAllowed):
            _save(event, user)
        with pytest.raises(NotAllowed):
            services.reset_system_mail(event=event, key=KEY, by=user)
    assert not SystemMailTemplate.objects.exists()


def test_a_save_replaces_the_text_and_counts_the_version(event, drafter):
    _save(event, drafter, version=0)

    own = _save(event, drafter, subject="Sorry, {name}", body="  {event}  \n\n", version=1)

    assert (own.subject, own.body, own.version) == ("Sorry, {name}", "{event}\n", 2)
    assert SystemMailTemplate.objects.count() == 1
    assert system.render_system(KEY, event=event, values={"name": "Ada"}) == ("Sorry, Ada", f"{event.name}\n")


@pytest.mark.parametrize(
    ("subject", "body", "field", "says"),
    [
        ("About {title}", "Hello", "subject", "“{title}” is not a placeholder this mail offers."),
        ("About", "Hello {proposal.title}", "body", "attribute paths"),
        ("About", "Hello {confirm_link}", "body", "“{confirm_link}” is not a placeholder"),
        ("About", "Hello {name:>10}", "body", "conversions and formats"),
        ("About", "Hello {", "body", "A lone “{”"),
        ("   ", "Hello", "subject", "Give the mail a subject."),
        ("About", " \n ", "body", "Give the mail a text."),
        ("x" * 301, "Hello", "subject", "at most 300"),
    ],
)
def test_a_wrong_text_is_refused_on_its_field_and_the_saved_one_stays(
    event, drafter, subject, body, field, says
):
    _save(event, drafter)

    with pytest.raises(ServiceError) as refused:
        _save(event, drafter, subject=subject, body=body, version=1)

    assert refused.value.field == field
    assert says in refused.value.message
    own = SystemMailTemplate.objects.get()
    assert (own.subject, own.version) == ("About {proposal_title}", 1)


def test_an_unknown_mail_is_refused(event, drafter):
    with pytest.raises(ServiceError, match="no such system mail"):
        services.save_system_mail(event=event, key="password_reset", subject="s", body="b", by=drafter)
    with pytest.raises(ServiceError, match="no such system mail"):
        services.reset_system_mail(event=event, key="password_reset", by=drafter)


def test_a_stale_edit_is_refused(event, drafter):
    _save(event, drafter, version=0)
    _save(event, drafter, subject="Second {name}", version=1)

    with pytest.raises(StaleEdit):
        _save(event, drafter, subject="From an old page", version=1)
    with pytest.raises(StaleEdit):  # started from the default, but someone saved an own text since
        _save(event, drafter, subject="From the default", version=0)
    assert SystemMailTemplate.objects.get().subject == "Second {name}"


def test_an_edit_of_a_text_reset_meanwhile_is_refused(event, drafter):
    _save(event, drafter, version=0)
    services.reset_system_mail(event=event, key=KEY, by=drafter)

    with pytest.raises(StaleEdit):
        _save(event, drafter, subject="Edited {name}", version=1)
    assert not SystemMailTemplate.objects.exists()


def test_reset_drops_the_events_own_text_only(event, drafter):
    other = factories.EventFactory()
    _save(event, drafter)
    services.save_system_mail(event=other, key=KEY, subject="Theirs", body="Theirs", by=None)

    assert services.reset_system_mail(event=event, key=KEY, by=drafter) is True
    assert services.reset_system_mail(event=event, key=KEY, by=drafter) is False

    assert list(SystemMailTemplate.objects.values_list("event", flat=True)) == [other.pk]
    default = system.system_mail(KEY)
    assert system.text_for(event, KEY) == (default.subject, default.body)


def test_saving_and_resetting_are_recorded(event, drafter):
    own = _save(event, drafter)
    services.reset_system_mail(event=event, key=KEY, by=drafter)

    entries = list(
        AuditEntry.objects.order_by("pk").values_list("action", "actor", "event_id", "object_id", "data")
    )
    assert entries == [
        ("system_mail.saved", drafter.pk, event.pk, str(own.pk), {"key": KEY, "version": 1}),
        ("system_mail.reset", drafter.pk, event.pk, "", {"key": KEY}),
    ]
