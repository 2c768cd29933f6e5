"""An organiser asks a CfP question for one track; a speaker sees it only for that track and answers it,
on a laptop and on a phone."""

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.cfp.models import Answer, Question
from podium.proposals.models import Proposal
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_an_organiser_asks_and_a_speaker_answers(page, event, device):
    page.set_viewport_size(VIEWPORTS[device])
    organiser = factories.team_member(
        event,
        User.objects.create_user(email="ada@example.org", name="Ada", password=PASSWORD),
        is_admin=True,
        can_edit_event=True,
    )
    log_in(page, email=organiser.email)
    page.goto(f"/orga/event/{event.slug}/cfp-questions/")
    expect(page.get_by_role("heading", name="CfP questions")).to_be_visible()
    page.get_by_role("button", name="New question").click()  # a link styled as a button
    field(page, "Question").fill("Which dataset do you use?")
    field(page, "Kind").select_option(label="One of a list")
    field(page, "Choices").fill("Census\nWeather\nOwn data")
    page.get_by_label("An answer is required").check()
    page.get_by_label("Data", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("“Which dataset do you use?” was saved")
    expect(page.get_by_role("row", name="Which dataset do you use?")).to_contain_text("Data")
    question = Question.objects.get()
    assert [track.name for track in question.tracks.all()] == ["Data"]

    page.context.clear_cookies()
    speaker = User.objects.create_user(email="grace@example.org", name="Grace", password=PASSWORD)
    log_in(page, email=speaker.email)
    page.goto(f"/{event.slug}/cfp/submit/")
    field(page, "Bio").fill("Grace analyses weather.")
    field(page, "Title").fill("Forecasts in pandas")
    field(page, "Abstract").fill("Rain, in data frames.")
    field(page, "Session type").select_option(label="Talk (30 min)")
    field(page, "Track").select_option(label="Web")
    dataset = field(page, "Which dataset do you use?")
    expect(dataset).to_be_hidden()  # asked only for the Data track
    field(page, "Track").select_option(label="Data")
    expect(dataset).to_be_visible()
    page.get_by_role("button", name="Submit proposal").click()
    expect(page.get_by_role("alert").first).to_contain_text("Some answers need another look")
    expect(page.locator(".cfp-question").get_by_text("This question needs an answer.")).to_be_visible()
    assert not Proposal.objects.exists()

    field(page, "Which dataset do you use?").select_option(label="Weather")
    page.get_by_role("button", name="Submit proposal").click()
    expect(page.get_by_role("heading", name="Forecasts in pandas")).to_be_visible()
    answer = Answer.objects.get()
    assert (answer.question, answer.value, answer.proposal) == (question, "Weather", Proposal.objects.get())
    scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert scroll, "the page scrolls sideways"
