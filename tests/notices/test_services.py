"""The notices of a release: speakers get one mail with an iCal file, opted-in attendees one mail about
the starred sessions that changed, and nobody hears about sessions they did not star."""

import datetime as dt
import re

import icalendar
import pytest
from django.utils import translation

from podium.attendance import services as attendance
from podium.mail.models import OutboxMail
from podium.notices import services as notices
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.program import at, cancel, place, placed_talk, release, rename

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def program(event, scheduler):
    """Ada gives two talks, Bob one; all released as v1."""
    ada, bob = factories.UserFactory(name="Ada"), factories.UserFactory(name="Bob")
    first = placed_talk(event, "First", "Hall A", at(event, 10), scheduler, speakers=[ada])
    second = placed_talk(event, "Second", "Room 101", at(event, 11), scheduler, speakers=[ada])
    third = placed_talk(event, "Third", "Room 101", at(event, 14), scheduler, speakers=[bob])
    release(event, scheduler)
    event.is_public = True
    event.save(update_fields=["is_public"])
    return {"ada": ada, "bob": bob, "first": first, "second": second, "third": third}


def _calendar(mail) -> icalendar.Calendar:
    [file] = mail.attachments
    assert file["content_type"] == "text/calendar"
    return icalendar.Calendar.from_ical(file["content"])


def _attendee(event, *starred, notify=True):
    user = factories.UserFactory()
    for proposal in starred:
        attendance.set_star(event=event, user=user, code=proposal.code, starred=True)
    attendance.set_change_notices(event=event, user=user, notify=notify)
    return user


def test_speaker_notice_lists_all_their_changes_with_an_ical_file(event, scheduler, program):
    place(event, program["first"], "Hall A", at(event, 15), scheduler)
    cancel(program["second"], scheduler)

    published = release(event, scheduler)

    [mail] = OutboxMail.objects.filter(about=notices.speaker_about(published), to=program["ada"].email)
    assert '"First"' in mail.body
    assert '"Second"' in mail.body
    events = {str(e["summary"]).split(" - ")[0]: e for e in _calendar(mail).walk("VEVENT")}
    assert set(events) == {"First", "Second"}
    assert str(events["First"]["status"]) == "CONFIRMED"
    assert str(events["Second"]["status"]) == "CANCELLED"
    assert events["First"].decoded("dtstart") == at(event, 15)
    assert not OutboxMail.objects.filter(about=notices.speaker_about(published), to=program["bob"].email)


def test_speaker_notice_attachment_is_delivered_with_the_mail(
    event, scheduler, program, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place(event, program["third"], "Hall A", at(event, 16), scheduler)
        release(event, scheduler)

    [sent] = [m for m in mailoutbox if m.to == [program["bob"].email]]
    [(filename, content, mimetype)] = sent.attachments
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content
    assert "Third" in content


def test_attendee_notice_lists_only_the_starred_sessions_that_changed(event, scheduler, program):
    fan = _attendee(event, program["first"], program["third"])
    place(event, program["first"], "Hall A", at(event, 15), scheduler)
    place(event, program["second"], "Hall A", at(event, 16), scheduler)
    rename(program["third"], "Third, renamed", scheduler)

    published = release(event, scheduler)

    [mail] = OutboxMail.objects.filter(about=notices.attendee_about(published))
    assert mail.to == fan.email
    assert '"First"' in mail.body
    assert '"Third, renamed"' in mail.body
    assert "Second" not in mail.body
    assert "2 of your starred sessions changed" in mail.subject


def test_attendee_notice_is_one_mail_per_release_for_many_changes(event, scheduler, program):
    fan = _attendee(event, program["first"], program["second"], program["third"])
    cancel(program["first"], scheduler)
    cancel(program["second"], scheduler)
    place(event, program["third"], "Hall A", at(event, 16), scheduler)

    published = release(event, scheduler)

    assert OutboxMail.objects.filter(about=notices.attendee_about(published), to=fan.email).count() == 1


def test_attendee_notice_needs_the_opt_in(event, scheduler, program):
    _attendee(event, program["first"], notify=False)
    place(event, program["first"], "Hall A", at(event, 15), scheduler)

    published = release(event, scheduler)

    assert not OutboxMail.objects.filter(about=notices.attendee_about(published)).exists()


def test_attendee_is_not_told_about_sessions_they_did_not_star(event, scheduler, program):
    _attendee(event, program["third"])
    place(event, program["first"], "Hall A", at(event, 15), scheduler)

    published = release(event, scheduler)

    assert not OutboxMail.objects.filter(about=notices.attendee_about(published)).exists()


def test_attendee_opt_in_of_another_event_does_not_count(event, scheduler, program):
    fan = _attendee(event, program["first"], notify=False)
    attendance.set_change_notices(event=factories.EventFactory(), user=fan, notify=True)
    place(event, program["first"], "Hall A", at(event, 15), scheduler)

    published = release(event, scheduler)

    assert not OutboxMail.objects.filter(about=notices.attendee_about(published)).exists()


def test_release_notices_are_rolled_back_with_the_release(event, scheduler, program, monkeypatch):
    place(event, program["first"], "Hall A", at(event, 15), scheduler)
    before = OutboxMail.objects.count()

    def broken(**kwargs):
        raise RuntimeError("webhook outbox down")

    monkeypatch.setattr("podium.schedule.services.emit_webhook", broken)
    with pytest.raises(RuntimeError):
        release(event, scheduler)

    assert OutboxMail.objects.count() == before


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_speaker_notice_is_written_in_the_speakers_language(event, scheduler, program):
    """The default text, the changes' words and dates, the summary and the calendar's name are the
    speaker's language, whatever language the publishing organiser reads."""
    program["ada"].language = "de"
    program["ada"].save(update_fields=["language"])
    place(event, program["first"], "Hall A", at(event, 15), scheduler)
    rename(program["second"], "Zweiter", scheduler)

    with translation.override("en"):  # the organiser's request
        published = release(event, scheduler, comment="Raum B ist gesperrt.")

    [mail] = OutboxMail.objects.filter(about=notices.speaker_about(published), to=program["ada"].email)
    assert mail.subject == f"{event.name}: 2 Änderungen an Ihren Beiträgen ({published.name})"
    assert mail.body.startswith(f"Hallo Ada,\n\ndas Programm von {event.name} wurde aktualisiert")
    assert "Das betrifft Ihre Beiträge:" in mail.body
    assert re.search(r"\n  jetzt:  [A-Z][a-z]+, [0-9]{1,2}\. [A-Z][a-zä]+, 15:00", mail.body)
    assert "  vorher: " in mail.body
    assert "  geändert: " in mail.body
    assert "Von den Veranstaltern: Raum B ist gesperrt." in mail.body
    assert "was:" not in mail.body
    assert "every room" not in mail.body
    assert str(_calendar(mail)["x-wr-calname"]) == f"{event.name}: Ihre Beiträge"


def test_a_move_by_the_hour_the_clocks_repeat_tells_the_two_times_apart(scheduler):
    """Brussels, 26 October 2025: 03:00 summer time becomes 02:00 again. A talk moved from the first
    02:30 to the second read "now: 02:30 … was: 02:30": the zone's abbreviation tells them apart."""
    event = factories.EventFactory(
        timezone="Europe/Brussels", date_from=dt.date(2025, 10, 25), date_to=dt.date(2025, 10, 26),
        day_start_hour=5,
    )  # fmt: skip
    by = factories.team_member(event, name="Schedulers", can_schedule=True)
    ada = factories.UserFactory(name="Ada")
    night = placed_talk(
        event, "Night", "Hall A", dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC), by, speakers=[ada]
    )
    release(event, by)
    place(event, night, "Hall A", dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC), by)

    published = release(event, by)

    [mail] = OutboxMail.objects.filter(about=notices.speaker_about(published), to=ada.email)
    assert "now:  Sunday 26 October, 02:30 CET–03:00 CET, Hall A" in mail.body
    assert "was:  Sunday 26 October, 02:30 CEST–02:00 CET, Hall A" in mail.body
