"""Notes on a talk page, the list of one's notes, and their Markdown download."""

import re

import pytest
from django.urls import reverse

from podium.attendance import services
from podium.attendance.models import MAX_NOTE_LENGTH, Note
from tests import factories
from tests.program import at, cancel, fill_day, placed_talk, release, talk
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> **bold** [click](javascript:alert(1)) <img src=x onerror=alert(2)>'


def talk_url(proposal) -> str:
    return reverse("site:talk", kwargs={"event": proposal.event.slug, "code": proposal.code})


def note_url(proposal) -> str:
    return reverse("site:note", kwargs={"event": proposal.event.slug, "code": proposal.code})


def notes_url(event) -> str:
    return reverse("site:notes", kwargs={"event": event.slug})


def markdown_url(event) -> str:
    return reverse("site:notes_markdown", kwargs={"event": event.slug})


@pytest.fixture
def attendee(client, db):
    user = factories.UserFactory(name="Zoë O'Neil")
    client.force_login(user)
    return user


# --- Writing a note under the talk -----------------------------------------------------------------


def test_anonymous_visitors_see_a_link_to_log_in_to_take_notes(client, program):
    html = client.get(talk_url(program["alpha"])).content.decode()

    assert "Log in to take notes</a>" in html
    assert f'<a href="/accounts/login/?next={talk_url(program["alpha"])}">Log in to take notes</a>' in html
    assert 'name="text"' not in html


def test_a_logged_in_visitor_gets_an_empty_note_form(client, program, attendee):
    html = client.get(talk_url(program["alpha"])).content.decode()

    assert f'action="{note_url(program["alpha"])}"' in html
    assert re.search(r'<textarea name="text"[^>]*>\s*</textarea>', html)
    assert "Log in to take notes" not in html


def test_posting_a_note_saves_it_privately_and_goes_back_to_the_talk(client, program, attendee):
    response = client.post(note_url(program["alpha"]), {"text": "Ask about *types*."})

    assert response.status_code == 302
    assert response["Location"] == talk_url(program["alpha"]) + "#note"
    assert list(Note.objects.values_list("user", "proposal", "text", "shared")) == [
        (attendee.pk, program["alpha"].pk, "Ask about *types*.", False)
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Your note was saved. Only you can see it." in page
    assert "Ask about *types*.</textarea>" in page
    assert "Delete note</button>" in page


def test_a_private_note_is_seen_by_nobody_else(client, program, attendee):
    services.save_note(proposal=program["alpha"], by=attendee, text="Secret thoughts")
    client.logout()

    assert "Secret thoughts" not in client.get(talk_url(program["alpha"])).content.decode()
    client.force_login(factories.UserFactory())
    assert "Secret thoughts" not in client.get(talk_url(program["alpha"])).content.decode()


def test_a_shared_note_shows_under_the_talk_sanitised_with_its_authors_name(client, program, attendee):
    client.post(note_url(program["alpha"]), {"text": HOSTILE, "shared": "on"})
    client.logout()

    html = client.get(talk_url(program["alpha"])).content.decode()

    shared = html[html.index('id="shared-notes"') :]
    assert "Zoë O&#x27;Neil" in shared
    assert "<strong>bold</strong>" in shared
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_the_cached_talk_page_follows_notes_being_shared_and_unshared(client, program, settings):
    settings.PODIUM_PAGE_CACHE = True
    writer = factories.UserFactory(name="Casey Writer")
    url = talk_url(program["alpha"])
    assert "Casey Writer" not in client.get(url).content.decode()  # cached without notes

    services.save_note(proposal=program["alpha"], by=writer, text="Now public", shared=True)
    assert "Now public" in client.get(url).content.decode()

    writer.name = "Casey Renamed"
    writer.save(update_fields=["name"])
    assert "Casey Renamed" in client.get(url).content.decode()

    services.save_note(proposal=program["alpha"], by=writer, text="Now public", shared=False)
    assert "Now public" not in client.get(url).content.decode()


def test_a_note_too_long_shows_the_error_and_keeps_what_was_typed(client, program, attendee):
    typed = "Keep every word. " * (MAX_NOTE_LENGTH // 17 + 1)

    response = client.post(note_url(program["alpha"]), {"text": typed, "shared": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 20000 characters" in html
    assert typed.strip() in html
    assert re.search(r'name="shared"[^>]*checked', html)
    assert Note.objects.count() == 0


def test_saving_an_empty_note_deletes_it(client, program, attendee):
    services.save_note(proposal=program["alpha"], by=attendee, text="Soon gone")

    response = client.post(note_url(program["alpha"]), {"text": "   "})

    assert response.status_code == 302
    assert Note.objects.count() == 0
    assert "Your note was deleted." in client.get(response["Location"]).content.decode()


def test_the_delete_button_deletes_the_note(client, program, attendee):
    services.save_note(proposal=program["alpha"], by=attendee, text="Soon gone")

    response = client.post(note_url(program["alpha"]), {"text": "Soon gone", "delete": "1"})

    assert response.status_code == 302
    assert Note.objects.count() == 0


def test_the_delete_button_leaves_other_peoples_notes_alone(client, program, attendee):
    services.save_note(proposal=program["alpha"], by=factories.UserFactory(), text="Not yours")

    client.post(note_url(program["alpha"]), {"delete": "1"})

    assert list(Note.objects.values_list("text", flat=True)) == ["Not yours"]


def test_writing_a_note_needs_a_login(client, program):
    response = client.post(note_url(program["alpha"]), {"text": "Hello"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Note.objects.count() == 0


def test_a_get_of_the_note_address_goes_to_the_talk(client, program, attendee):
    response = client.get(note_url(program["alpha"]))

    assert response.status_code == 302
    assert response["Location"] == talk_url(program["alpha"]) + "#note"


def test_a_note_on_a_talk_that_is_not_public_is_404(client, program, attendee):
    submitted = talk(program["event"], "Not public", state="submitted")
    elsewhere = talk(factories.EventFactory(), "Elsewhere")

    for proposal in (submitted, elsewhere):
        url = reverse("site:note", kwargs={"event": program["event"].slug, "code": proposal.code})
        assert client.post(url, {"text": "Peek"}).status_code == 404
    assert Note.objects.count() == 0


def test_a_note_on_a_hidden_events_talk_is_404(client, program, attendee):
    program["event"].is_public = False
    program["event"].save(update_fields=["is_public"])

    assert client.post(note_url(program["alpha"]), {"text": "Peek"}).status_code == 404


def test_a_note_can_be_written_before_the_first_release_on_a_listed_talk(client, event, attendee):
    event.show_accepted_talks = True
    event.save()
    listed = talk(event, "Listed talk")

    client.post(note_url(listed), {"text": "Looking forward"})

    assert Note.objects.get().text == "Looking forward"
    assert "Looking forward</textarea>" in client.get(talk_url(listed)).content.decode()


# --- The list of one's notes -----------------------------------------------------------------------


def test_my_notes_lists_the_notes_in_program_order_with_rendered_markdown(client, program, attendee):
    services.save_note(proposal=program["gamma"], by=attendee, text="Day two *note*")
    services.save_note(proposal=program["alpha"], by=attendee, text=HOSTILE, shared=True)
    services.save_note(proposal=program["beta"], by=factories.UserFactory(), text="Someone else's")

    response = client.get(notes_url(program["event"]))

    html = response.content.decode()
    assert [entry.title for entry in response.context["entries"]] == ["Alpha talk", "Gamma talk"]
    assert html.index("Alpha talk") < html.index("Gamma talk")
    assert "Day two <em>note</em>" in html
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html
    assert "Someone else" not in html
    assert "shared under the talk" in html
    assert f'href="{markdown_url(program["event"])}"' in html


def test_my_notes_without_notes_says_so(client, program, attendee):
    html = client.get(notes_url(program["event"])).content.decode()

    assert "You have not taken any notes yet." in html


def test_my_notes_needs_a_login_and_a_public_event(client, program):
    assert client.get(notes_url(program["event"])).status_code == 302
    client.force_login(factories.UserFactory())
    program["event"].is_public = False
    program["event"].save(update_fields=["is_public"])

    assert client.get(notes_url(program["event"])).status_code == 404
    assert client.get(markdown_url(program["event"])).status_code == 404


def test_my_notes_query_count_does_not_grow_with_the_notes(client, event, scheduler, attendee):
    release(event, scheduler)

    def grow(count):
        talks = fill_day(event, scheduler, count)
        release(event, scheduler)
        for proposal in talks:
            services.save_note(proposal=proposal, by=attendee, text=f"Note on {proposal.title}")

    assert_constant_queries(client, notes_url(event), grow, small=3, large=20)


# --- The Markdown download -------------------------------------------------------------------------


def test_the_markdown_download_has_every_talk_in_program_order(client, event, scheduler, attendee):
    quoted = placed_talk(
        event,
        'Ça marche: "quotes" & <angles> — naïve',
        "Room 101",
        at(event, 9, day=1),
        scheduler,
        speakers=[factories.UserFactory(name="Renée Ørsted"), factories.UserFactory(name="Bo O'Hara")],
    )
    first = placed_talk(
        event, "Morning talk", "Hall A", at(event, 11), scheduler, speakers=[factories.UserFactory(name="Mo")]
    )
    release(event, scheduler)
    services.save_note(proposal=quoted, by=attendee, text="## My heading\n\n" + HOSTILE)
    services.save_note(proposal=first, by=attendee, text="First note")

    response = client.get(markdown_url(event))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-notes.md"'
    assert "no-store" in response["Cache-Control"]
    day_one, day_two = event.date_from, event.days[1]
    assert response.content.decode() == (
        f"# My notes on {event.name}\n"
        "\n"
        "## Morning talk\n"
        "\n"
        "Speakers: Mo  \n"
        f"When: {day_one:%A} {day_one.day} {day_one:%B %Y}, 11:00–11:30 (America/Chicago) · Hall A  \n"
        f"<http://testserver{talk_url(first)}>\n"
        "\n"
        "First note\n"
        "\n"
        '## Ça marche: "quotes" & <angles> — naïve\n'
        "\n"
        "Speakers: Renée Ørsted, Bo O'Hara  \n"
        f"When: {day_two:%A} {day_two.day} {day_two:%B %Y}, 09:00–09:30 (America/Chicago) · Room 101  \n"
        f"<http://testserver{talk_url(quoted)}>\n"
        "\n"
        f"## My heading\n\n{HOSTILE}\n"
    )


def test_the_markdown_download_marks_talks_off_the_program(client, program, attendee):
    services.save_note(proposal=program["beta"], by=attendee, text="Was it good?")
    cancel(program["beta"], program["scheduler"])
    release(program["event"], program["scheduler"])

    text = client.get(markdown_url(program["event"])).content.decode()

    assert "## Beta talk\n\nWhen: Not on the published program  \n" in text
    assert "Was it good?" in text


def test_the_markdown_download_without_notes(client, program, attendee):
    text = client.get(markdown_url(program["event"])).content.decode()

    assert text == f"# My notes on {program['event'].name}\n\nNo notes yet.\n"


def test_the_markdown_download_query_count_does_not_grow_with_the_notes(client, event, scheduler, attendee):
    release(event, scheduler)

    def grow(count):
        talks = fill_day(event, scheduler, count)
        release(event, scheduler)
        for proposal in talks:
            services.save_note(proposal=proposal, by=attendee, text=f"Note on {proposal.title}")

    assert_constant_queries(client, markdown_url(event), grow, small=3, large=20)
