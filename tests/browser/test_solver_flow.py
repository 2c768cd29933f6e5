"""An organiser lets the engine fill the rest of the schedule: the run page shows the progress while it
searches in the background, then the plan; applying it puts the sessions on the grid."""

import re
import threading

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.schedule.models import Slot
from podium.scheduling import runs
from podium.scheduling.models import SolverRun
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in

pytestmark = pytest.mark.browser

HOLD_SECONDS = 60  # the longest the engine waits for the test to have seen the progress page


@pytest.fixture
def one_day_event(db):
    event = factories.EventFactory()
    event.date_to = event.date_from
    event.save(update_fields=["date_to"])
    return event


@pytest.fixture
def scheduler(one_day_event):
    return factories.team_member(
        one_day_event,
        User.objects.create_user(email="sam@example.org", name="Sam Scheduler", password=PASSWORD),
        name="Programme",
        can_schedule=True,
    )


@pytest.fixture
def held_engine(settings, monkeypatch):
    """Runs go to a background thread, and the engine starts only when the test opens this gate."""
    settings.PODIUM_SOLVER_RUNNER = "thread"
    gate = threading.Event()
    real_solve = runs.solve

    def held(instance, **kwargs):
        gate.wait(HOLD_SECONDS)
        return real_solve(instance, **kwargs)

    monkeypatch.setattr(runs, "solve", held)
    yield gate
    gate.set()


def test_organiser_fills_the_rest_watches_the_progress_and_applies_the_plan(
    page, one_day_event, scheduler, held_engine
):
    event = one_day_event
    titles = ["Async all the way", "Typing the untyped"]
    talks = [
        factories.ProposalFactory(
            event=event, title=title, state="confirmed", speakers=[factories.UserFactory()]
        )
        for title in titles
    ]
    page.set_viewport_size({"width": 1400, "height": 1600})
    log_in(page, email=scheduler.email)

    page.goto(f"/orga/event/{event.slug}/schedule/")
    expect(page.locator("section.unscheduled li[data-code]")).to_have_count(2)
    field(page, "Time limit (seconds)").fill("2")
    page.get_by_text("Weights", exact=True).click()  # the weights are folded away until asked for
    field(page, "Overflow (per seat above capacity)").fill("35")
    page.get_by_role("button", name="Fill the rest").click()

    expect(page).to_have_url(re.compile(rf"/orga/event/{event.slug}/schedule/solver/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Fill the rest: (queued|running)"))
    expect(page.locator("progress#solver-elapsed")).to_have_attribute("max", "2")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    run = SolverRun.objects.get()
    assert (run.time_limit, run.keep_pinned, run.weights["overflow"]) == (2, True, 35)
    page.locator("details.solver-weights-used summary").click()
    expect(page.get_by_role("row", name=re.compile(r"Overflow \(per seat above capacity\)"))).to_contain_text(
        "35"
    )

    held_engine.set()  # the engine searches now; the page follows it and shows the plan when done
    expect(page.get_by_role("heading", level=1)).to_have_text("Fill the rest: ready to apply", timeout=60_000)
    placed = page.locator("section[aria-labelledby='placed-heading']")
    for title in titles:
        expect(placed).to_contain_text(title)
    expect(page.get_by_role("heading", name="Left out (0)")).to_be_visible()
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(rf"/orga/event/{event.slug}/schedule/$"))
    expect(page.get_by_text("The plan is applied: 2 sessions placed, 0 moved.")).to_be_visible()
    for proposal in talks:
        expect(page.locator(f"td.session-cell[data-code='{proposal.code}']")).to_contain_text(proposal.title)
    expect(page.locator("section.unscheduled li[data-code]")).to_have_count(0)
    assert Slot.objects.filter(event=event, start__isnull=False).count() == 2
