"""A team member who drafts mail writes a template and an audience of accepted speakers, makes a
campaign, previews it for one speaker and submits it; another member approves it on a phone and sends
it; the mails leave the outbox as sent, one to each accepted speaker, with the unsubscribe headers."""

import pytest
from django.core import mail as django_mail
from playwright.sync_api import expect

from podium.campaigns.models import Campaign, CampaignState
from podium.mail.models import MailStatus, OutboxMail
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _user(**kwargs):
    user = factories.UserFactory(**kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_compose_preview_approve_and_send_a_campaign_to_accepted_speakers(page, event):
    ada = _user(name="Ada Accepted", email="ada@example.org")
    bo = _user(name="Bo Accepted", email="bo@example.org")
    carla = _user(name="Carla Confirmed", email="carla@example.org")
    factories.ProposalFactory(event=event, speakers=[ada], title="Lighthouse acoustics", state="accepted")
    factories.ProposalFactory(event=event, speakers=[bo], title="Fog horns", state="accepted")
    factories.ProposalFactory(event=event, speakers=[carla], title="Already confirmed", state="confirmed")
    writer = factories.team_member(event, user=_user(name="Wim Writer"), name="Writers", can_draft_mail=True)
    boss = factories.team_member(
        event, user=_user(name="Pat Approver"), name="Mail", can_approve_mail=True, can_send_mail=True
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size(LAPTOP)

    # The writer composes: a template, an audience of accepted speakers, a campaign of the two.
    log_in(page, email=writer.email)
    page.goto(f"/orga/event/{event.slug}/campaigns/templates/new/")
    expect(page.get_by_text("{proposal_title}", exact=True)).to_be_visible()
    field(page, "Name").fill("Accepted")
    field(page, "Subject").fill("{name}, you speak at {event}")
    field(page, "Text").fill("Hello {name},\n\nwe look forward to **{proposal_title}**.")
    page.get_by_label("Also send an HTML part").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The template was saved.")).to_be_visible()

    page.goto(f"/orga/event/{event.slug}/campaigns/audiences/new/")
    field(page, "Name").fill("Accepted speakers")
    page.get_by_label("Confirmed", exact=True).uncheck()
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The audience was saved.")).to_be_visible()
    expect(page.locator(".audience-count")).to_have_text("2")

    page.goto(f"/orga/event/{event.slug}/campaigns/")
    page.get_by_role("button", name="New campaign").click()
    field(page, "Name").fill("Welcome accepted speakers")
    field(page, "Audience").select_option(label="Accepted speakers")
    field(page, "Template").select_option(label="Accepted")
    page.get_by_role("button", name="Save the draft").click()

    # Preview for one of them, then submit.
    page.get_by_label("Recipient").select_option("bo@example.org")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".preview-subject")).to_have_text(f"Bo Accepted, you speak at {event.name}")
    expect(page.locator(".mail-html strong")).to_have_text("Fog horns")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # not theirs to approve
    campaign = Campaign.objects.get()
    assert campaign.state == CampaignState.IN_REVIEW

    # Another member approves on a phone, then sends.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    log_in(page, email=boss.email)
    page.goto(f"/orga/event/{event.slug}/campaigns/{campaign.pk}/")
    expect(page.get_by_text("2 held")).to_be_visible()
    assert _fits_the_screen(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved.")).to_be_visible()
    assert _fits_the_screen(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sending started.")).to_be_visible()

    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SENT
    assert (campaign.submitted_by, campaign.approved_by, campaign.sent_by) == (writer, boss, boss)
    mails = OutboxMail.objects.filter(about=f"campaign:{campaign.pk}")
    assert sorted(mails.values_list("to", "status")) == [
        ("ada@example.org", MailStatus.SENT),
        ("bo@example.org", MailStatus.SENT),
    ]
    sent = sorted(django_mail.outbox, key=lambda m: m.to)
    assert [m.to for m in sent] == [["ada@example.org"], ["bo@example.org"]]
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(f"/orga/event/{event.slug}/campaigns/{campaign.pk}/recipients/")
    expect(page.locator('td[data-label="Status"]')).to_have_text(["Sent", "Sent"])
    assert _fits_the_screen(page)
