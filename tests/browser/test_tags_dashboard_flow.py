"""An organiser tags proposals from the list and reads the event's state on the dashboard, on a laptop
and on a phone."""

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.base.bidi import isolated
from podium.proposals.enums import ProposalState
from podium.proposals.models import Tag
from tests import factories, program
from tests.browser.actions import PASSWORD, field, log_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def chair(event):
    return factories.team_member(
        event,
        User.objects.create_user(email="chair@example.org", name="Chris Chair", password=PASSWORD),
        name="Chairs", is_admin=True, can_edit_event=True, can_review=True, can_schedule=True, can_send_mail=True,
    )  # fmt: skip


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_tag_proposals_in_bulk_and_filter_by_tag(page, event, chair, viewport):
    first = factories.ProposalFactory(event=event, title="Async all the way")
    second = factories.ProposalFactory(event=event, title="Typing in anger")
    factories.ProposalFactory(event=event, title="Left alone")
    page.set_viewport_size(viewport)
    log_in(page, email=chair.email)

    page.goto(f"/orga/event/{event.slug}/tags/")
    field(page, "Name").fill("Shortlist")
    page.get_by_role("button", name="Create tag").click()
    expect(page.get_by_text(f"The tag “{isolated('Shortlist')}” was created.")).to_be_visible()

    page.goto(f"/orga/event/{event.slug}/proposals/")
    page.get_by_label(f"Select {first.code}").check()
    page.get_by_label(f"Select {second.code}").check()
    page.get_by_role("combobox", name="Tag for the selected proposals").select_option(label="Shortlist")
    page.get_by_role("button", name="Add tag").click()
    expect(page.get_by_text(f"Tagged 2 proposals “{isolated('Shortlist')}”")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the list page scrolls sideways"

    page.locator("form[role=search] select[name=tag]").select_option(label="Shortlist")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("link", name="Left alone")).to_have_count(0)
    assert set(Tag.objects.get().proposals.values_list("code", flat=True)) == {first.code, second.code}


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_dashboard_tells_what_needs_doing(page, event, chair, viewport):
    program.placed_talk(event, "Published", "Hall A", program.at(event, 10), chair)
    program.release(event, chair)
    program.placed_talk(event, "Added later", "Room 101", program.at(event, 11), chair)
    factories.ProposalFactory(event=event, state=ProposalState.ACCEPTED, title="Waiting for the speaker")
    factories.ProposalFactory(event=event, pending_state=ProposalState.REJECTED)
    page.set_viewport_size(viewport)
    log_in(page, email=chair.email)

    page.goto(f"/orga/event/{event.slug}/")

    expect(page.locator('[data-count="unpublished"]')).to_have_text("1")
    expect(page.locator('[data-count="unsent"]')).to_have_text("1")
    expect(page.locator('[data-count="unconfirmed"]')).to_have_text("1")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the dashboard scrolls sideways"
    page.get_by_role("link", name="1 accepted session not confirmed by the speakers").click()
    expect(page.get_by_role("link", name="Waiting for the speaker")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Review and publish the changes").click()
    expect(page.locator("h1")).to_contain_text("elease")
