"""How long the main public and back-office pages take to load, as the browser measures them
(Navigation Timing), on a program the size of a small conference: nine rooms, 54 released sessions
with their speakers, lunch, and 60 proposals in review with reviews and assignments.

The times are printed, not asserted (this machine is shared; run with -s to read them). The goals:
public pages under 250 ms, back-office pages under 500 ms, both to the end of the load event.
"""

import pytest
from django.urls import reverse

from podium.events.models import Room
from podium.reviews import services as review_services
from tests import factories
from tests.browser.actions import log_in
from tests.program import at, lunch, placed_talk, release, speaker_code

pytestmark = pytest.mark.browser

ROOMS = ["Auditorium", "Room 201", "Room 202", "Room 301", "Room 302", "Room 317", "Workshop"]
PUBLIC_GOAL_MS, BACK_OFFICE_GOAL_MS = 250, 500
TIMING = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {response: nav.responseEnd - nav.startTime, load: nav.loadEventEnd - nav.startTime};
}"""


@pytest.fixture
def conference(event):
    organiser = factories.team_member(
        event, name="Organisers", is_admin=True, can_edit_event=True, can_review=True, can_schedule=True
    )
    reviewers = [factories.team_member(event, name=f"Reviewers {n}", can_review=True) for n in range(4)]
    for position, name in enumerate(ROOMS, start=2):
        Room.objects.create(event=event, name=name, capacity=100, position=position)
    talks = [
        placed_talk(event, f"{room} at {hour}", room, at(event, hour), organiser)
        for hour in (9, 10, 11, 13, 14, 15)
        for room in ["Hall A", "Room 101", *ROOMS]
    ]
    lunch(event, organiser)
    release(event, organiser, name="v1")
    submitted = [factories.ProposalFactory(event=event, title=f"Proposal {n}") for n in range(60)]
    review_services.assign_reviewers(event=event, by=organiser, per_proposal=2)
    for proposal in submitted[:30]:
        review_services.save_review(proposal=proposal, reviewer=reviewers[0], score=2, comment="Fine.")
    return {"event": event, "organiser": organiser, "talk": talks[0], "proposal": submitted[0]}


def _measure(page, urls) -> list[tuple[str, float, float]]:
    rows = []
    for url in urls:
        page.goto(url)  # once to warm the caches a running server has (templates, the page cache)
        response = page.goto(url)
        assert response.status == 200, url
        timing = page.evaluate(TIMING)
        rows.append((url, timing["response"], timing["load"]))
    return rows


def _report(title: str, rows, goal: int) -> None:
    print(f"\n{title} (goal: under {goal} ms to the load event)")
    for url, response, load in rows:
        mark = "" if load < goal else "  over the goal"
        print(f"  {load:7.1f} ms load  {response:7.1f} ms response  {url}{mark}")


def test_page_load_times_are_reported(page, conference):
    event, slug = conference["event"], conference["event"].slug
    talk, proposal = conference["talk"], conference["proposal"]
    public = [
        reverse("site:event", kwargs={"event": slug}),
        reverse("site:schedule", kwargs={"event": slug}),
        reverse("site:schedule", kwargs={"event": slug}) + "?view=list",
        reverse("site:talks", kwargs={"event": slug}),
        reverse("site:talk", kwargs={"event": slug, "code": talk.code}),
        reverse("site:speakers", kwargs={"event": slug}),
        reverse("site:speaker", kwargs={"event": slug, "speaker": speaker_code(talk)}),
    ]
    back_office = [
        reverse(f"orga:{name}", kwargs={"event": slug, **extra})
        for name, extra in [
            ("event", {}),
            ("proposals", {}),
            ("proposal", {"code": proposal.code}),
            ("reviews", {}),
            ("review_overview", {}),
            ("review_assignments", {}),
            ("review_conflicts", {}),
            ("schedule", {}),
            ("schedule_release", {}),
        ]
    ]

    public_rows = _measure(page, public)
    log_in(page, email=conference["organiser"].email, password=factories.PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    back_office_rows = _measure(page, back_office)

    _report(f"Public pages of {event.name}", public_rows, PUBLIC_GOAL_MS)
    _report(
        "Back-office pages (an organiser who reviews and schedules)", back_office_rows, BACK_OFFICE_GOAL_MS
    )
    assert len(public_rows) + len(back_office_rows) == len(public) + len(back_office)
