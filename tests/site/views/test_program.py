"""Talks, talk, speakers, speaker and releases pages: the latest release only, 404 and 410 pages."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from podium.attendance.services import set_star
from podium.base.uploads import clean_image
from podium.proposals.models import Proposal, SpeakerProfile
from podium.proposals.services import save_speaker_profile
from tests import factories
from tests.program import (
    at,
    cancel,
    fill_day,
    place,
    placed_talk,
    release,
    rename,
    speaker_code,
    talk,
    track,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def url(name: str, event, **kwargs) -> str:
    return reverse(f"site:{name}", kwargs={"event": event.slug, **kwargs})


def talk_url(proposal) -> str:
    return url("talk", proposal.event, code=proposal.code)


def speaker_url(proposal) -> str:
    return url("speaker", proposal.event, speaker=speaker_code(proposal))


@pytest.fixture
def drafted(program):
    """The program after draft edits nobody released: Alpha moved, Beta renamed, Delta added."""
    event, scheduler = program["event"], program["scheduler"]
    place(event, program["alpha"], "Hall A", at(event, 15), scheduler)
    rename(program["beta"], "Beta renamed in the draft", scheduler)
    delta = placed_talk(
        event, "Delta draft-only talk", "Room 101", at(event, 11), scheduler, speakers=[program["bob"]]
    )
    return {**program, "delta": delta}


# --- Event home ------------------------------------------------------------------------------------


def test_event_home_shows_the_event_and_its_current_release(client, program):
    event = program["event"]
    event.description = "Three days of *talks*."
    event.save()

    html = client.get(url("event", event)).content.decode()

    assert f'<h1 dir="auto">{event.name}</h1>' in html
    assert "times in America/Chicago" in html
    assert "<em>talks</em>" in html
    assert 'Current schedule: <a href="{}">v1</a>'.format(url("releases", event)) in html
    for name in ("schedule", "talks", "speakers", "releases"):
        assert f'href="{url(name, event)}"' in html
    assert "Call for papers is open" in html


def test_event_home_before_any_release_hides_talks_and_speakers(client, event):
    event.cfp_closes = event.cfp_opens = None
    event.save()

    html = client.get(url("event", event)).content.decode()

    assert "The schedule is not out yet." in html
    assert f'href="{url("talks", event)}"' not in html
    assert f'href="{url("speakers", event)}"' not in html
    assert "Call for papers is open" in html


def test_event_home_of_a_closed_cfp_has_no_cfp_button(client, event):
    event.cfp_opens, event.cfp_closes = at(event, 9, day=-100), at(event, 9, day=-90)
    event.save()

    html = client.get(url("event", event)).content.decode()

    assert "Call for papers is open" not in html


# --- Every page answers 404 for a non-public event -------------------------------------------------


@pytest.mark.parametrize(
    "name", ["event", "schedule", "talks", "talk", "speakers", "speaker", "releases", "tracks_css"]
)
def test_program_pages_of_a_non_public_event_are_404(client, program, name):
    event = program["event"]
    kwargs = {"talk": {"code": program["alpha"].code}, "speaker": {"speaker": speaker_code(program["alpha"])}}
    event.is_public = False
    event.save()

    response = client.get(url(name, event, **kwargs.get(name, {})))

    assert response.status_code == 404


def test_track_colours_of_a_non_public_event_reach_only_its_team(client, program):
    """The schedule editor uses them; nobody else may learn the event exists."""
    event = program["event"]
    event.is_public = False
    event.save()
    client.force_login(factories.UserFactory())
    assert client.get(url("tracks_css", event)).status_code == 404

    client.force_login(program["scheduler"])
    response = client.get(url("tracks_css", event))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"


# --- Talks list ------------------------------------------------------------------------------------


def test_talks_lists_the_released_sessions_alphabetically_with_their_times(client, program):
    response = client.get(url("talks", program["event"]))

    html = response.content.decode()
    assert [t.title for t in response.context["talks"]] == ["Alpha talk", "Beta talk", "Gamma talk"]
    assert "Lunch" not in html
    assert f'<a href="{talk_url(program["alpha"])}" dir="auto">Alpha talk</a>' in html
    assert ", 10:00</time>–10:30 · <bdi>Hall A</bdi>" in html


def test_talks_list_reads_the_release_not_the_draft(client, drafted):
    html = client.get(url("talks", drafted["event"])).content.decode()

    assert "Beta talk" in html
    assert "Beta renamed in the draft" not in html
    assert "Delta draft-only talk" not in html
    assert ", 15:00</time>" not in html


def test_talks_list_shows_the_new_state_after_a_release(client, drafted):
    release(drafted["event"], drafted["scheduler"])

    response = client.get(url("talks", drafted["event"]))

    assert [t.title for t in response.context["talks"]] == [
        "Alpha talk",
        "Beta renamed in the draft",
        "Delta draft-only talk",
        "Gamma talk",
    ]
    assert ", 15:00</time>–15:30 · <bdi>Hall A</bdi>" in response.content.decode()


def test_talks_before_the_first_release_lists_accepted_and_confirmed_talks(client, event):
    event.show_accepted_talks = True
    event.publish_unconfirmed = True  # the event publishes accepted sessions too
    event.save()
    talk(event, "Confirmed one", speakers=[factories.UserFactory(name="Cora Confirmed")])
    talk(event, "Accepted one", state="accepted", track_name="Data")
    talk(event, "Submitted one", state="submitted")
    talk(event, "Rejected one", state="rejected")
    talk(factories.EventFactory(show_accepted_talks=True), "Other event talk")

    response = client.get(url("talks", event))

    html = response.content.decode()
    assert [t.title for t in response.context["talks"]] == ["Accepted one", "Confirmed one"]
    assert "Cora Confirmed" in html
    assert "An abstract." in html
    assert "<bdi>Data</bdi> · <bdi>Talk</bdi>" in html
    assert 'aria-label="Star “Confirmed one”"' in html
    assert "Submitted one" not in html
    assert "Rejected one" not in html


def test_talks_before_the_first_release_lists_only_confirmed_talks_by_default(client, event):
    event.show_accepted_talks = True
    event.save()
    talk(event, "Confirmed one")
    talk(event, "Accepted one", state="accepted")

    response = client.get(url("talks", event))

    assert [t.title for t in response.context["talks"]] == ["Confirmed one"]
    assert "Accepted one" not in response.content.decode()


def test_talks_before_the_first_release_is_404_unless_the_event_lists_them(client, event):
    talk(event, "Confirmed but not listed")

    assert client.get(url("talks", event)).status_code == 404


def test_talks_list_escapes_titles(client, event):
    event.show_accepted_talks = True
    event.save()
    talk(event, "<script>alert(1)</script>")

    html = client.get(url("talks", event)).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Talk page -------------------------------------------------------------------------------------


def test_talk_page_shows_the_released_session(client, program):
    event, alpha = program["event"], program["alpha"]
    alpha.description = "A *deep* dive."
    alpha.save()
    release(event, program["scheduler"])

    response = client.get(talk_url(alpha))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 dir="auto">Alpha talk</h1>' in html
    assert f'<a href="{speaker_url(alpha)}" dir="auto">Ada Lovelace</a>' in html
    assert "<p>An abstract.</p>" in html
    assert "A <em>deep</em> dive." in html
    assert ", 10:00</time>–10:30 (America/Chicago)" in html
    assert "<dd><bdi>Hall A</bdi></dd>" in html
    assert "<dd>30 minutes</dd>" in html
    assert "<dd><bdi>Talk</bdi></dd>" in html
    assert f'<span class="track-mark track-{track(event, "Web").pk}"></span><bdi>Web</bdi></dd>' in html
    assert "<dd>English</dd>" in html
    assert f'data-star="{alpha.code}"' in html


def test_talk_page_reads_the_release_not_the_draft(client, drafted):
    alpha_html = client.get(talk_url(drafted["alpha"])).content.decode()
    beta_html = client.get(talk_url(drafted["beta"])).content.decode()

    assert ", 10:00</time>–10:30" in alpha_html
    assert "15:00" not in alpha_html
    assert '<h1 dir="auto">Beta talk</h1>' in beta_html
    assert "renamed" not in beta_html
    assert client.get(talk_url(drafted["delta"])).status_code == 404


def test_talk_page_shows_the_new_state_after_a_release(client, drafted):
    release(drafted["event"], drafted["scheduler"])

    assert ", 15:00</time>–15:30" in client.get(talk_url(drafted["alpha"])).content.decode()
    assert (
        '<h1 dir="auto">Beta renamed in the draft</h1>'
        in client.get(talk_url(drafted["beta"])).content.decode()
    )
    assert client.get(talk_url(drafted["delta"])).status_code == 200


def test_talk_page_accepts_a_lower_case_code(client, program):
    response = client.get(url("talk", program["event"], code=program["alpha"].code.lower()))

    assert response.status_code == 200


def test_talk_page_before_the_first_release_says_not_scheduled_yet(client, event):
    event.show_accepted_talks = True
    event.save()
    proposal = talk(event, "Listed talk", speakers=[factories.UserFactory(name="Lisa Listed")])

    html = client.get(talk_url(proposal)).content.decode()

    assert '<h1 dir="auto">Listed talk</h1>' in html
    assert "Lisa Listed" in html
    assert "<dd>Not scheduled yet</dd>" in html
    assert "<dd>30 minutes</dd>" in html


@pytest.mark.parametrize("state", ["submitted", "rejected", "withdrawn"])
def test_talk_page_of_a_proposal_that_is_not_public_is_404(client, event, state):
    event.show_accepted_talks = True
    event.save()
    proposal = talk(event, "Not public", state=state)

    assert client.get(talk_url(proposal)).status_code == 404


def test_talk_page_of_an_unknown_or_other_events_code_is_404(client, program):
    other = talk(factories.EventFactory(), "Elsewhere")

    assert client.get(url("talk", program["event"], code="NOSUCH")).status_code == 404
    assert client.get(url("talk", program["event"], code=other.code)).status_code == 404


def test_talk_page_of_a_cancelled_session_is_410_with_its_title(client, program):
    cancel(program["beta"], program["scheduler"])
    release(program["event"], program["scheduler"])

    response = client.get(talk_url(program["beta"]))

    assert response.status_code == 410
    html = response.content.decode()
    assert "<h1>This session was cancelled</h1>" in html
    assert "“Beta talk” is no longer on the program." in html


def test_talk_page_of_a_session_cancelled_releases_ago_is_still_410(client, program):
    event, scheduler = program["event"], program["scheduler"]
    cancel(program["beta"], scheduler)
    release(event, scheduler)
    placed_talk(event, "Later talk", "Room 101", at(event, 14), scheduler)
    release(event, scheduler)

    response = client.get(talk_url(program["beta"]))

    assert response.status_code == 410
    assert "“Beta talk”" in response.content.decode()


def test_talk_page_of_a_cancellation_not_yet_released_still_shows_the_session(client, program):
    cancel(program["beta"], program["scheduler"])

    response = client.get(talk_url(program["beta"]))

    assert response.status_code == 200


def test_talk_page_escapes_user_text(client, event, scheduler):
    proposal = placed_talk(event, "<script>alert(1)</script>", "Hall A", at(event, 10), scheduler)
    proposal.description = "<script>alert(2)</script> and <b>bold</b>"
    proposal.abstract = "<img src=x onerror=alert(3)>"
    proposal.save()
    release(event, scheduler)

    html = client.get(talk_url(proposal)).content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Speakers --------------------------------------------------------------------------------------


def test_speakers_lists_the_released_speakers_with_their_sessions(client, program):
    response = client.get(url("speakers", program["event"]))

    html = response.content.decode()
    assert [s.name for s in response.context["speakers"]] == ["Ada Lovelace", "Bob Babbage"]
    assert f'<a href="{speaker_url(program["alpha"])}" dir="auto">Ada Lovelace</a>' in html
    assert f'<a href="{talk_url(program["gamma"])}" dir="auto">Gamma talk</a>' in html


def test_speakers_is_404_before_the_first_release(client, event):
    event.show_accepted_talks = True
    event.save()
    talk(event, "Confirmed")

    assert client.get(url("speakers", event)).status_code == 404


def test_speaker_page_shows_bio_links_photo_and_sessions(client, event, scheduler, settings):
    ada = factories.UserFactory(name="Ada Lovelace")
    proposal = placed_talk(event, "Engines", "Hall A", at(event, 10), scheduler, speakers=[ada])
    profile = SpeakerProfile.objects.get(event=event, user=ada)
    profile.bio = "Writes **programs**. <script>alert(1)</script>"
    profile.website = "https://ada.example"
    profile.social = "@ada@example.social"
    profile.photo = SimpleUploadedFile("ada.png", b"not really an image", content_type="image/png")
    profile.save()
    release(event, scheduler)

    html = client.get(speaker_url(proposal)).content.decode()

    assert '<h1 dir="auto">Ada Lovelace</h1>' in html
    assert "Writes <strong>programs</strong>." in html
    assert "<script>alert(1)" not in html
    assert '<a href="https://ada.example" rel="nofollow noopener">https://ada.example</a>' in html
    assert "@ada@example.social" in html
    assert f'src="{settings.MEDIA_URL}speakers/ada' in html
    assert f'<a href="{talk_url(proposal)}">Engines</a>' in html
    assert ", 10:00</time>–10:30 · <bdi>Hall A</bdi>" in html


def _photo(colour: str):
    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, format="PNG")
    return clean_image(SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png"))


def test_speaker_page_shows_no_photo_the_speaker_replaced_since_the_release(
    client, event, scheduler, django_capture_on_commit_callbacks
):
    ada = factories.UserFactory(name="Ada Lovelace")
    proposal = placed_talk(event, "Engines", "Hall A", at(event, 10), scheduler, speakers=[ada])
    with django_capture_on_commit_callbacks(execute=True):
        old = save_speaker_profile(event=event, user=ada, name="Ada", bio="", photo=_photo("red")).photo.name
    assert release(event, scheduler).speakers.get().photo == old
    with django_capture_on_commit_callbacks(execute=True):
        save_speaker_profile(event=event, user=ada, name="Ada", bio="", photo=_photo("blue"))

    html = client.get(reverse("site:speakers", kwargs={"event": event.slug})).content.decode()
    html += client.get(speaker_url(proposal)).content.decode()

    # The release still names the old file, which is gone: the pages show no photo, not a broken one.
    assert (old in html, "speaker-photo" in html) == (False, False)


def test_speaker_page_reads_the_release_not_the_draft(client, drafted):
    html = client.get(speaker_url(drafted["beta"])).content.decode()

    assert "Beta talk" in html
    assert "Beta renamed in the draft" not in html
    assert "Delta draft-only talk" not in html


def test_speaker_page_shows_the_new_state_after_a_release(client, drafted):
    release(drafted["event"], drafted["scheduler"])

    response = client.get(speaker_url(drafted["beta"]))

    assert [s.title for s in response.context["sessions"]] == [
        "Beta renamed in the draft",
        "Delta draft-only talk",
    ]


def test_speaker_page_of_an_unknown_or_unreleased_speaker_is_404(client, program):
    event = program["event"]
    unreleased = talk(event, "Not placed", speakers=[factories.UserFactory()])

    assert client.get(url("speaker", event, speaker="NOSUCH")).status_code == 404
    assert client.get(speaker_url(unreleased)).status_code == 404


def test_speaker_page_is_404_before_the_first_release(client, event):
    event.show_accepted_talks = True
    event.save()
    proposal = talk(event, "Listed")

    assert client.get(speaker_url(proposal)).status_code == 404


def test_speaker_page_marks_a_logged_in_visitors_stars(client, program):
    visitor = factories.UserFactory()
    set_star(event=program["event"], user=visitor, code=program["gamma"].code, starred=True)
    client.force_login(visitor)

    html = client.get(speaker_url(program["alpha"])).content.decode()

    assert f'data-star="{program["gamma"].code}" aria-pressed="true"' in html
    assert f'data-star="{program["alpha"].code}" aria-pressed="false"' in html


# --- Releases --------------------------------------------------------------------------------------


def test_releases_lists_every_release_newest_first_with_its_changelog(client, program):
    event, scheduler = program["event"], program["scheduler"]
    place(event, program["alpha"], "Room 101", at(event, 15), scheduler)
    rename(program["gamma"], "Gamma, revised", scheduler)
    cancel(program["beta"], scheduler)
    release(event, scheduler, name="v2", comment="Alpha moved after lunch.")

    response = client.get(url("releases", event))

    html = response.content.decode()
    assert [r.name for r in response.context["releases"]] == ["v2", "v1"]
    assert "Alpha moved after lunch." in html
    assert "0 new, 1 moved, 1 changed, 1 cancelled" in html
    assert "3 new, 0 moved, 0 changed, 0 cancelled" in html
    day = at(event, 10).strftime("%a %-d %b")
    text = " ".join(html.split())
    assert (
        f"Alpha talk</a> — from {day} 10:00, <bdi>Hall A</bdi> to {day} 15:00–15:30, <bdi>Room 101</bdi>"
        in text
    )
    assert "Gamma, revised</a> — changed title" in text
    assert f"Cancelled</span> <bdi>Beta talk</bdi> — was {day} 10:00, <bdi>Room 101</bdi>" in text
    assert f'<a href="{talk_url(program["alpha"])}" dir="auto">Alpha talk</a>' in html
    assert f'<a href="{talk_url(program["beta"])}">' not in html  # cancelled: nothing to link to


def test_a_move_by_the_hour_the_clocks_repeat_names_the_zones_in_the_changelog(client):
    """Brussels, 26 October 2025: a talk moved from the first 02:30 (summer time) to the second read
    "from Sun 26 Oct 02:30 … to Sun 26 Oct 02:30-03:00": the zones tell them apart. Other moves
    name none."""
    event = factories.EventFactory(
        timezone="Europe/Brussels", date_from=dt.date(2025, 10, 25), date_to=dt.date(2025, 10, 26),
        day_start_hour=5, is_public=True,
    )  # fmt: skip
    by = factories.team_member(event, name="Schedulers", can_schedule=True)
    night = placed_talk(event, "Night", "Hall A", dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC), by)
    day = placed_talk(event, "Day", "Hall A", at(event, 10), by)
    release(event, by)
    place(event, night, "Hall A", dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC), by)
    place(event, day, "Hall A", at(event, 11), by)
    release(event, by, name="v2")

    text = " ".join(client.get(url("releases", event)).content.decode().split())

    assert (
        "Night</a> — from Sun 26 Oct 02:30 CEST, <bdi>Hall A</bdi> to Sun 26 Oct 02:30 CET–03:00 CET, <bdi>Hall A</bdi>"
        in text
    )
    assert (
        "Day</a> — from Sat 25 Oct 10:00, <bdi>Hall A</bdi> to Sat 25 Oct 11:00–11:30, <bdi>Hall A</bdi>"
        in text
    )


def test_releases_before_the_first_release_says_so(client, event):
    response = client.get(url("releases", event))

    assert response.status_code == 200
    assert "No release yet" in response.content.decode()


# --- Query counts ----------------------------------------------------------------------------------


def test_talks_before_release_query_count_is_constant(client, event):
    event.show_accepted_talks = True
    event.save()
    visitor = factories.UserFactory()
    client.force_login(visitor)

    def grow(n):
        for index in range(n):
            proposal = talk(event, f"Talk {index}", speakers=[factories.UserFactory()])
            set_star(event=event, user=visitor, code=proposal.code, starred=True)

    assert_constant_queries(client, url("talks", event), grow)


def test_talks_after_release_query_count_is_constant(client, event, scheduler):
    def grow(n):
        fill_day(event, scheduler, n)
        release(event, scheduler)

    assert_constant_queries(client, url("talks", event), grow)


def test_speakers_query_count_is_constant(client, event, scheduler):
    def grow(n):
        fill_day(event, scheduler, n)
        release(event, scheduler)

    assert_constant_queries(client, url("speakers", event), grow)


def test_speaker_page_query_count_is_constant(client, event, scheduler):
    ada = factories.UserFactory(name="Ada Lovelace")
    first = placed_talk(event, "First", "Hall A", at(event, 9, day=1), scheduler, speakers=[ada])
    count = {"placed": 0}

    def grow(n):
        for _ in range(n):
            index = count["placed"] = count["placed"] + 1
            room_name = "Hall A" if index % 2 else "Room 101"
            placed_talk(
                event, f"More {index}", room_name, at(event, 9 + index // 2), scheduler, speakers=[ada]
            )
        release(event, scheduler)

    assert_constant_queries(client, speaker_url(first), grow)


def test_releases_query_count_is_constant(client, event, scheduler):
    def grow(n):
        for _ in range(n):
            fill_day(event, scheduler, 1)
            release(event, scheduler)

    assert_constant_queries(client, url("releases", event), grow)


# --- Recording consent, slides, links and video on the talk page -----------------------------------


def test_talk_page_shows_not_recorded_links_attachments_and_video(client, program):
    event, alpha = program["event"], program["alpha"]
    Proposal.objects.filter(pk=alpha.pk).update(
        subtitle="The short version",
        do_not_record=True,
        links=[{"title": "Project <site>", "url": "https://example.org/project?a=1&b=2"}],
        attachments=[{"title": "Slides (PDF)", "url": "https://example.org/slides.pdf"}],
        feedback_url="https://example.org/feedback",
    )
    release(event, program["scheduler"])

    html = client.get(talk_url(alpha)).content.decode()

    assert '<p class="subtitle" dir="auto">The short version</p>' in html
    assert "<strong>Not recorded</strong>" in html
    assert (
        '<a href="https://example.org/slides.pdf" rel="nofollow noopener" dir="auto">Slides (PDF)</a>' in html
    )
    assert (
        '<a href="https://example.org/project?a=1&amp;b=2" rel="nofollow noopener" dir="auto">Project &lt;site&gt;</a>'
        in html
    )
    assert '<a href="https://example.org/feedback" rel="nofollow noopener">Give feedback</a>' in html


def test_talk_page_links_the_video_of_a_recorded_talk(client, program):
    event, alpha, beta = program["event"], program["alpha"], program["beta"]
    Proposal.objects.filter(pk=alpha.pk).update(video_url="https://media.example.org/alpha.mp4")
    release(event, program["scheduler"])

    html = client.get(talk_url(alpha)).content.decode()
    plain = client.get(talk_url(beta)).content.decode()

    assert '<a href="https://media.example.org/alpha.mp4" rel="nofollow noopener">Video</a>' in html
    assert "Not recorded" not in html
    assert "Slides, links and video" not in plain


def test_talk_page_reads_the_fields_from_the_release(client, program):
    alpha = program["alpha"]
    Proposal.objects.filter(pk=alpha.pk).update(do_not_record=True)  # in the draft only

    html = client.get(talk_url(alpha)).content.decode()

    assert "Not recorded" not in html
