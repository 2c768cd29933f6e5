"""The system mails' pages: the list, the edit page with its placeholders and preview, saving (errors on
the fields, a stale edit), the reset; only for administrators, organisers and mail drafters."""

import pytest

from podium.mail.models import OutboxMail, SystemMailTemplate
from podium.proposals.services import submit_proposal
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db
KEY = "proposal_received"


@pytest.fixture
def drafter(event):
    return factories.team_member(
        event, name="Mail drafters", user=factories.UserFactory(name="Dora"), can_draft_mail=True
    )


def _list(event):
    return f"/orga/event/{event.slug}/mail/system/"


def _edit(event, key=KEY):
    return f"/orga/event/{event.slug}/mail/system/{key}/"


def _reset(event, key=KEY):
    return f"/orga/event/{event.slug}/mail/system/{key}/reset/"


def _post(client, event, subject="Got it: {proposal_title}", body="Hello {name}\n{proposal_link}", **extra):
    return client.post(_edit(event), {"subject": subject, "body": body, "version": 0, **extra})


@pytest.mark.parametrize("flags", [{"can_review": True}, {"can_send_mail": True, "can_approve_mail": True}])
def test_a_member_without_a_mail_drafting_flag_is_refused(client, event, flags):
    SystemMailTemplate.objects.create(event=event, key=KEY, subject="Own", body="Own")
    client.force_login(factories.team_member(event, **flags))

    assert [client.get(url).status_code for url in (_list(event), _edit(event))] == [403, 403]
    assert _post(client, event).status_code == 403
    assert client.post(_reset(event)).status_code == 403
    assert SystemMailTemplate.objects.get().subject == "Own"
    assert "System mails" not in client.get(f"/orga/event/{event.slug}/").content.decode()


def test_another_events_administrator_is_refused(client, event):
    client.force_login(factories.team_member(factories.EventFactory(), is_admin=True))
    assert client.get(_list(event)).status_code == 403


@pytest.mark.parametrize("flag", ["is_admin", "can_edit_event", "can_draft_mail"])
def test_the_list_shows_every_mail_and_whether_it_has_its_own_text(client, event, drafter, flag):
    SystemMailTemplate.objects.create(
        event=event, key="order_paid", subject="s", body="b", updated_by=drafter
    )
    client.force_login(factories.team_member(event, **{flag: True}))

    page = client.get(_list(event)).content.decode()

    for label in ("Receipt of a proposal", "Acceptance", "Rejection", "Schedule change notice", "Tickets"):
        assert label in page
    assert page.count("Default") == 4
    assert "Edited by Dora on" in page
    assert "System mails" in client.get(f"/orga/event/{event.slug}/").content.decode()  # the Organise menu


def test_the_edit_page_shows_the_default_text_its_placeholders_and_a_preview(client, event, drafter):
    client.force_login(drafter)

    page = client.get(_edit(event)).content.decode()

    assert "Received: your proposal &quot;{proposal_title}&quot;" in page  # the text, in the field
    assert "<code>{proposal_link}</code>" in page  # the placeholders beside it
    assert "Where the speaker reads and edits the proposal" in page
    assert f"[{event.name}] Received: your proposal &quot;Analytical engines in practice&quot;" in page
    assert "Reset to the default text" not in page  # nothing to reset
    assert client.get(_edit(event, "password_reset")).status_code == 404


def test_saving_an_own_text_is_used_by_the_next_mail(client, event, drafter):
    client.force_login(drafter)

    response = _post(client, event)

    assert response.status_code == 302
    own = SystemMailTemplate.objects.get()
    assert (own.key, own.subject, own.version, own.updated_by) == (
        KEY,
        "Got it: {proposal_title}",
        1,
        drafter,
    )
    page = client.get(_edit(event)).content.decode()
    assert "Reset to the default text" in page
    assert 'name="version" value="1"' in page
    speaker = factories.UserFactory(name="Ada")
    data = {"title": "Looms", "abstract": "a", "session_type": event.session_types.first()}
    proposal = submit_proposal(event=event, speaker=speaker, data=data)
    mail = OutboxMail.objects.get(template=KEY)
    assert (mail.subject, mail.body) == (
        "Got it: Looms",
        f"Hello Ada\nhttps://podium.test/{event.slug}/me/proposals/{proposal.code}/\n",
    )


def test_unknown_placeholders_show_on_their_fields_and_nothing_is_saved(client, event, drafter):
    client.force_login(drafter)

    response = _post(client, event, subject="About {title}", body="Hi {speaker.name} and {confirm_link}")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["subject"] == ["“{title}” is not a placeholder this mail offers."]
    assert form.errors["body"] == [
        "“{speaker.name}”: attribute paths and indexes are not allowed; use a placeholder as listed.",
        "“{confirm_link}” is not a placeholder this mail offers.",
    ]
    page = response.content.decode()
    assert "Hi {speaker.name} and {confirm_link}" in page  # the input is kept to be corrected
    assert not SystemMailTemplate.objects.exists()


def test_the_preview_shows_the_typed_text_with_the_examples_and_saves_nothing(client, event, drafter):
    client.force_login(drafter)

    response = _post(client, event, subject="Hi {name} & co", body="Your <b>{proposal_code}</b>", preview="1")

    page = response.content.decode()
    assert "Hi Ada Lovelace &amp; co" in page
    assert "Your &lt;b&gt;K7QW3R&lt;/b&gt;" in page
    assert "not saved yet" in page
    assert not SystemMailTemplate.objects.exists()


def test_a_preview_of_a_wrong_text_shows_the_errors_instead(client, event, drafter):
    client.force_login(drafter)

    response = _post(client, event, body="Hi {nobody}", preview="1")

    assert response.context["preview"] is None
    assert response.context["form"].errors["body"] == ["“{nobody}” is not a placeholder this mail offers."]


def test_a_stale_edit_shows_the_stored_text_with_the_conflict(client, event, drafter):
    client.force_login(drafter)
    _post(client, event, subject="First {name}")

    response = _post(client, event, subject="From an old page")  # still version 0

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this mail" in page
    assert 'value="First {name}"' in page
    assert SystemMailTemplate.objects.get().subject == "First {name}"


def test_reset_drops_the_own_text(client, event, drafter):
    client.force_login(drafter)
    _post(client, event)

    response = client.post(_reset(event), follow=True)

    assert not SystemMailTemplate.objects.exists()
    assert "is sent with the default text again" in response.content.decode()
    assert client.get(_reset(event)).status_code == 405


def test_the_list_takes_as_many_queries_with_every_mail_edited(client, event, drafter):
    client.force_login(drafter)
    keys = iter(
        ["proposal_received", "decision_accepted", "decision_rejected", "schedule_changes", "order_paid"]
    )

    def grow(count):
        for _ in range(count):
            editor = factories.team_member(event, can_draft_mail=True)
            SystemMailTemplate.objects.create(
                event=event, key=next(keys), subject="s", body="b", updated_by=editor
            )

    assert_constant_queries(client, _list(event), grow, small=1, large=5)


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_default_text_and_its_preview_are_in_the_drafters_language(client, event, drafter):
    client.force_login(drafter)

    page = client.get(_edit(event, "order_paid"), headers={"accept-language": "de"}).content.decode()

    assert "Jedes Ticket hängt als PDF-Datei mit einem QR-Code an." in page  # the default, to edit
    assert "vielen Dank, Ihre Zahlung ist eingegangen. Hier sind Ihre Tickets für" in page  # the preview
