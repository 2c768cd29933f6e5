import pytest
from django.core import mail as django_mail

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.campaigns import sending, services
from podium.campaigns.models import CampaignRecipient, CampaignState, SkipReason, Unsubscription
from podium.mail import about
from podium.mail.models import Bounce, MailStatus, OutboxMail
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _mails(campaign):
    return OutboxMail.objects.filter(about=about.campaign(campaign.pk))


# --- templates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Hi {nmae}",
        "Hi {name.upper}",
        "Hi {user.password}",
        "Hi {names[0]}",
        "Hi {name!r}",
        "Hi {name:>9}",
        "a { b",
    ],
)
def test_a_template_with_an_unknown_or_dangerous_placeholder_is_refused_and_nothing_saved(
    event, drafter, body
):
    with pytest.raises(ServiceError) as refused:
        services.save_template(event=event, by=drafter, name="Bad", subject="Hi", body=body)

    assert refused.value.field == "body"
    assert not event.campaign_templates.exists()


def test_an_unknown_placeholder_in_the_subject_is_refused(event, drafter):
    with pytest.raises(ServiceError) as refused:
        services.save_template(event=event, by=drafter, name="Bad", subject="Hi {whom}", body="Hello")

    assert refused.value.field == "subject"
    assert "{whom}" in refused.value.message


def test_a_stale_template_edit_is_refused(event, drafter, template):
    services.save_template(
        event=event, by=drafter, name="Welcome", subject="A", body="B", template=template, version=1
    )

    with pytest.raises(StaleEdit):
        services.save_template(
            event=event, by=drafter, name="Welcome", subject="C", body="D", template=template, version=1
        )


def test_a_reviewer_may_not_write_templates(event, reviewer):
    with pytest.raises(NotAllowed):
        services.save_template(event=event, by=reviewer, name="X", subject="Y", body="Z")


def test_an_audience_refuses_an_unknown_kind_and_a_bad_filter(event, drafter):
    with pytest.raises(ServiceError) as unknown:
        services.save_audience(event=event, by=drafter, name="X", kind="martians", filters={})
    with pytest.raises(ServiceError) as bad:
        services.save_audience(
            event=event, by=drafter, name="X", kind="speakers", filters={"states": ["nonsense"]}
        )

    assert unknown.value.field == "kind"
    assert bad.value.field == "states"


# --- submission ------------------------------------------------------------------------------------


def test_submitting_writes_one_held_mail_per_person_with_values_filled_once(
    campaign, drafter, accepted_speakers
):
    services.submit_campaign(campaign=campaign, by=drafter)

    mails = {m.to: m for m in _mails(campaign)}
    assert set(mails) == {p.email for p in accepted_speakers}
    assert {m.status for m in mails.values()} == {MailStatus.HELD}
    first = mails["speaker0@example.org"]
    assert first.subject == f"Welcome to {campaign.event.name}, Speaker 0"
    assert "Alpha talk, Beta talk" in first.body
    assert "<strong>Alpha talk, Beta talk</strong>" in first.html
    assert first.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first.headers["List-Unsubscribe"].startswith("<http")
    assert "/mail/unsubscribe/" in first.body
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.IN_REVIEW
    assert campaign.submitted_by == drafter
    assert AuditEntry.objects.filter(action="campaign.submitted", object_id=str(campaign.pk)).exists()


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_unsubscribe_lines_are_in_each_recipients_language(event, campaign, drafter, accepted_speakers):
    german = accepted_speakers[1]
    german.language = "de"
    german.save()
    organiser = event.organiser.name

    services.submit_campaign(campaign=campaign, by=drafter)

    mails = {m.to: m for m in _mails(campaign)}
    to_german, to_english = mails[german.email], mails["speaker0@example.org"]
    assert (
        f"\n-- \nSie erhalten diese E-Mail von {organiser}. Keine weiteren solchen E-Mails: http"
        in to_german.body
    )
    assert ">Abmelden</a> von den E-Mails von " in to_german.html
    assert "Hello Speaker 1," in to_german.body  # the organisers' own text as they wrote it
    assert (
        f"\n-- \nYou get this mail from {organiser}. To get no more of these mails: http" in to_english.body
    )
    assert ">Unsubscribe</a> from the mails of " in to_english.html


def test_a_value_is_never_filled_in_twice(event, campaign, drafter, accepted_speakers):
    sneaky = accepted_speakers[1]
    sneaky.name = "{event} <b>{{ticket_link}}</b> *x*"
    sneaky.save()

    services.submit_campaign(campaign=campaign, by=drafter)

    mail = _mails(campaign).get(to=sneaky.email)
    assert mail.subject == f"Welcome to {event.name}, {{event}} <b>{{{{ticket_link}}}}</b> *x*"
    assert "Hello {event} <b>{{ticket_link}}</b> *x*," in mail.body
    assert "{event} &lt;b&gt;{{ticket_link}}&lt;/b&gt; *x*" in mail.html


def test_unsubscribed_bounced_and_invalid_addresses_are_skipped_with_the_reason(
    event, campaign, drafter, accepted_speakers
):
    Unsubscription.objects.create(organiser=event.organiser, address="speaker0@example.org")
    Bounce.objects.create(address="speaker1@example.org", source=Bounce.Source.REPORT)
    accepted_speakers[2].email = "gone@erased.invalid"
    accepted_speakers[2].save()

    services.submit_campaign(campaign=campaign, by=drafter)

    reasons = dict(CampaignRecipient.objects.filter(campaign=campaign).values_list("address", "skipped"))
    assert reasons == {
        "speaker0@example.org": SkipReason.UNSUBSCRIBED,
        "speaker1@example.org": SkipReason.BOUNCED,
        "gone@erased.invalid": SkipReason.UNDELIVERABLE,
    }
    assert not _mails(campaign).exists()


def test_a_template_using_a_placeholder_the_audience_lacks_is_refused_at_submission(
    event, campaign, drafter, template
):
    services.save_template(
        event=event,
        by=drafter,
        name="Welcome",
        subject="Hi",
        body="Your ticket: {ticket_link}",
        template=template,
    )

    with pytest.raises(ServiceError) as refused:
        services.submit_campaign(campaign=campaign, by=drafter)

    assert "{ticket_link}" in refused.value.message
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT
    assert not _mails(campaign).exists()


def test_submission_keeps_the_text_as_it_was(event, campaign, drafter, template):
    services.submit_campaign(campaign=campaign, by=drafter)
    services.save_template(
        event=event, by=drafter, name="Welcome", subject="Changed", body="New", template=template
    )

    campaign.refresh_from_db()
    assert campaign.subject == "Welcome to {event}, {name}"


# --- approval, sending, cancelling ---------------------------------------------------------------


def test_the_submitter_may_not_approve_unless_the_event_allows_it(event, campaign):
    both = factories.team_member(event, name="Both", can_draft_mail=True, can_approve_mail=True)
    services.submit_campaign(campaign=campaign, by=both)

    with pytest.raises(NotAllowed):
        services.approve_campaign(campaign=campaign, by=both)
    event.campaign_self_approval = True
    event.save()
    campaign.refresh_from_db()
    approved = services.approve_campaign(campaign=campaign, by=both)

    assert approved.state == CampaignState.APPROVED


def test_a_drafter_may_not_approve_and_an_approver_may_not_send(campaign, drafter, approver):
    services.submit_campaign(campaign=campaign, by=drafter)
    with pytest.raises(NotAllowed):
        services.approve_campaign(
            campaign=campaign, by=factories.team_member(campaign.event, can_draft_mail=True)
        )
    services.approve_campaign(campaign=campaign, by=approver)

    with pytest.raises(NotAllowed):
        services.send_campaign(campaign=campaign, by=approver)


def test_an_approval_of_a_draft_is_refused(campaign, approver):
    with pytest.raises(StaleEdit):
        services.approve_campaign(campaign=campaign, by=approver)


def _approved(campaign, drafter, approver):
    services.submit_campaign(campaign=campaign, by=drafter)
    return services.approve_campaign(campaign=campaign, by=approver)


def test_sending_releases_every_mail_at_the_rate_and_marks_the_campaign_sent(
    campaign, drafter, approver, sender, monkeypatch, django_capture_on_commit_callbacks
):
    pauses = []
    monkeypatch.setattr(sending, "sleep", pauses.append)
    _approved(campaign, drafter, approver)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_campaign(campaign=campaign, by=sender)

    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SENT
    assert campaign.sent_by == sender
    assert {m.status for m in _mails(campaign)} == {MailStatus.SENT}
    assert sorted(m.to[0] for m in django_mail.outbox) == [f"speaker{n}@example.org" for n in range(3)]
    assert len(pauses) == 1  # 3 mails at 2 a minute: two batches, one pause between them
    assert 0 < pauses[0] <= 60
    message = django_mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.alternatives[0][1] == "text/html"
    actions = set(AuditEntry.objects.filter(object_id=str(campaign.pk)).values_list("action", flat=True))
    assert {"campaign.submitted", "campaign.approved", "campaign.sending", "campaign.sent"} <= actions


def test_cancelling_discards_the_held_mails(campaign, drafter, approver):
    _approved(campaign, drafter, approver)

    services.cancel_campaign(campaign=campaign, by=approver)

    assert {m.status for m in _mails(campaign)} == {MailStatus.DISCARDED}
    with pytest.raises(StaleEdit):
        services.cancel_campaign(campaign=campaign, by=approver)


# --- unsubscribing ------------------------------------------------------------------------------


def test_unsubscribing_discards_held_campaign_mail_but_not_transactional_mail(event, campaign, drafter):
    services.submit_campaign(campaign=campaign, by=drafter)
    receipt = OutboxMail.objects.create(
        event=event,
        to="speaker0@example.org",
        subject="Receipt",
        body="b",
        template="t",
        status=MailStatus.HELD,
    )

    services.unsubscribe_address(
        organiser=event.organiser, address=" Speaker0@Example.org ", campaign=campaign
    )
    again = services.unsubscribe_address(organiser=event.organiser, address="speaker0@example.org")

    assert again.address == "speaker0@example.org"
    assert Unsubscription.objects.count() == 1
    assert _mails(campaign).get(to="speaker0@example.org").status == MailStatus.DISCARDED
    assert _mails(campaign).filter(status=MailStatus.HELD).count() == 2
    receipt.refresh_from_db()
    assert receipt.status == MailStatus.HELD


def test_an_invalid_unsubscribe_token_is_refused(db):
    with pytest.raises(ServiceError):
        services.unsubscribe_with_token(token="nonsense")


def test_resubscribing_needs_the_send_flag(event, drafter, sender):
    Unsubscription.objects.create(organiser=event.organiser, address="a@example.org")

    with pytest.raises(NotAllowed):
        services.resubscribe(event=event, address="a@example.org", by=drafter)
    assert services.resubscribe(event=event, address="A@example.org", by=sender) == 1
    assert not Unsubscription.objects.exists()
