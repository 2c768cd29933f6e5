"""Reviewing with criteria, as people click it on a laptop (1366 px) and on a phone (390 px): the
organiser adds two weighted criteria and assigns each proposal to a reviewer, the reviewer scores each
criterion from the queue, and the overview ranks by the weighted score with each criterion's mean."""

import pytest
from playwright.sync_api import expect

from podium.base.bidi import isolated
from podium.reviews.models import Assignment, Review
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}


def _user(**kwargs):
    user = factories.UserFactory(**kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_criteria_assignment_review_and_weighted_overview(page, event, viewport):
    organiser = factories.team_member(
        event, user=_user(name="Olga Organiser"), name="Chairs", is_admin=True, can_edit_event=True
    )
    rita = factories.team_member(event, user=_user(name="Rita Reviewer"), name="Committee", can_review=True)
    proposal = factories.ProposalFactory(event=event, title="Pattern matching in practice")
    page.set_viewport_size(viewport)

    # The organiser adds two criteria and assigns one reviewer per proposal.
    log_in(page, email=organiser.email)
    page.goto(f"/orga/event/{event.slug}/reviews/settings/")
    new = page.locator("form", has=page.get_by_role("button", name="Add criterion"))
    new.get_by_label("Name").fill("Relevance")
    new.get_by_label("Weight").fill("3")
    new.get_by_label("Scale to").fill("4")
    new.get_by_role("button", name="Add criterion").click()
    expect(page.get_by_role("status")).to_contain_text(f"Criterion {isolated('Relevance')} saved.")
    new = page.locator("form", has=page.get_by_role("button", name="Add criterion"))
    new.get_by_label("Name").fill("Clarity")
    new.get_by_label("Scale to").fill("2")
    new.get_by_role("button", name="Add criterion").click()
    expect(page.get_by_role("status")).to_contain_text(f"Criterion {isolated('Clarity')} saved.")
    assert _fits_the_screen(page)

    page.goto(f"/orga/event/{event.slug}/reviews/assignments/")
    field(page, "Reviews per proposal").fill("1")
    page.get_by_role("button", name="Assign", exact=True).first.click()
    expect(page.get_by_role("status")).to_contain_text("1 assignment made for 1 proposal.")
    expect(page.locator("#balance-summary")).to_contain_text("proposals per reviewer")
    assert _fits_the_screen(page)
    assigned = Assignment.objects.get()
    page.context.clear_cookies()

    # Whoever was given it (the organiser does not review here) scores each criterion.
    assert assigned.reviewer == rita
    log_in(page, email=rita.email)
    page.goto(f"/orga/event/{event.slug}/reviews/")
    page.get_by_role("button", name=f"Review {proposal.code}").click()
    expect(page.get_by_role("heading", name="Pattern matching in practice")).to_be_visible()
    page.get_by_role("group", name="Relevance (weight 3)").get_by_label("4").check()
    page.get_by_role("group", name="Clarity (weight 1)").get_by_label("1").check()
    field(page, "Comment").fill("Clear outline, good fit.")
    page.get_by_role("button", name="Save review", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Your review of {proposal.code} was saved.")
    assert _fits_the_screen(page)
    review = Review.objects.get()
    assert (review.score, review.weighted_score) == (3, 2.63)
    page.context.clear_cookies()

    # The overview shows the weighted mean and each criterion's mean.
    log_in(page, email=organiser.email)
    page.goto(f"/orga/event/{event.slug}/reviews/overview/")
    expect(page.get_by_role("link", name="Weighted mean")).to_be_visible()
    row = page.get_by_role("row", name=proposal.code)
    expect(row).to_contain_text("2.63")
    expect(row).to_contain_text("4.0")
    expect(row).to_contain_text("1.0")
