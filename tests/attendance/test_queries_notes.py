"""Reads of notes, feedback and calendar feeds: program order, summaries, the feed behind an address."""

import pytest

from podium.attendance import queries, services
from podium.attendance.models import Feedback, Note
from tests import factories
from tests.program import at, placed_talk, release, running_program, talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return running_program()


@pytest.fixture
def attendee(db):
    return factories.UserFactory(name="Grace Hopper")


def note_on(user, proposal, text="Old note"):
    """A note written directly (on a talk that may no longer be public: written while it was)."""
    return Note.objects.create(event=proposal.event, user=user, proposal=proposal, text=text)


def test_notes_come_in_program_order_then_the_others_by_title(conf, attendee):
    event, scheduler = conf["event"], conf["scheduler"]
    middle = placed_talk(event, "Middle talk", "Hall A", at(event, 9, day=2), scheduler)
    same_time = placed_talk(event, "Another middle", "Room 101", at(event, 9, day=2), scheduler)
    current = release(event, scheduler)
    for proposal in (conf["closing"], same_time, middle, conf["opening"]):
        services.save_note(proposal=proposal, by=attendee, text=f"On {proposal.title}")
    note_on(attendee, talk(event, "Zeta, not placed"))
    note_on(attendee, talk(event, "alpha, withdrawn", state="withdrawn"))

    entries = queries.notes_in_program_order(event, attendee, current)

    assert [entry.title for entry in entries] == [
        "Opening talk",
        "Middle talk",  # Hall A before Room 101 at the same time
        "Another middle",
        "Closing talk",
        "alpha, withdrawn",
        "Zeta, not placed",
    ]
    assert entries[0].speakers == ["Ada Lovelace"]
    assert entries[0].session.room_name == "Hall A"
    assert entries[0].note.text == "On Opening talk"
    assert entries[-1].session is None


def test_notes_of_talks_off_the_program_name_no_speakers(conf, attendee):
    withdrawn = talk(
        conf["event"], "Quiet talk", state="withdrawn", speakers=[factories.UserFactory(name="Hidden")]
    )
    note_on(attendee, withdrawn)

    entries = queries.notes_in_program_order(conf["event"], attendee, conf["release"])

    assert [(entry.title, entry.speakers, entry.session) for entry in entries] == [("Quiet talk", [], None)]


def test_notes_before_the_first_release_name_the_speakers_of_listed_talks(event, attendee):
    event.show_accepted_talks = True
    event.save()
    listed = talk(event, "Listed talk", speakers=[factories.UserFactory(name="Lin Speaker")])
    services.save_note(proposal=listed, by=attendee, text="Before the schedule")

    entries = queries.notes_in_program_order(event, attendee, None)

    assert [(entry.title, entry.speakers, entry.session) for entry in entries] == [
        ("Listed talk", ["Lin Speaker"], None)
    ]


def test_notes_are_only_the_attendees_own_of_this_event(conf, attendee):
    other_event = running_program()
    services.save_note(proposal=conf["opening"], by=factories.UserFactory(), text="Someone else's")
    services.save_note(proposal=other_event["opening"], by=attendee, text="Elsewhere")

    assert queries.notes_in_program_order(conf["event"], attendee, conf["release"]) == []


def test_shared_notes_are_the_shared_ones_of_the_talk_oldest_first(conf, attendee):
    later = factories.UserFactory(name="Later Writer")
    services.save_note(proposal=conf["opening"], by=attendee, text="Shared first", shared=True)
    services.save_note(proposal=conf["opening"], by=later, text="Shared second", shared=True)
    services.save_note(proposal=conf["opening"], by=factories.UserFactory(), text="Private")
    services.save_note(proposal=conf["closing"], by=attendee, text="Other talk", shared=True)

    notes = queries.shared_notes(conf["event"], conf["opening"].code)

    assert [(note.user.name, note.text) for note in notes] == [
        ("Grace Hopper", "Shared first"),
        ("Later Writer", "Shared second"),
    ]


def test_feedback_summary_for_speakers_has_comments_only_and_no_authors(conf, attendee):
    services.save_feedback(proposal=conf["opening"], by=attendee, rating=5, comment="Loved it")
    services.save_feedback(proposal=conf["opening"], by=factories.UserFactory(), rating=2)

    summary = queries.feedback_summary(conf["opening"], with_authors=False)

    assert (summary.count, summary.average) == (2, 3.5)
    assert [(entry.rating, entry.comment) for entry in summary.entries] == [(5, "Loved it")]
    assert "user_id" in summary.entries[0].get_deferred_fields()  # never loaded for speakers


def test_feedback_summary_for_organisers_lists_everything_newest_first(conf, attendee):
    other = factories.UserFactory(name="Second Voice")
    services.save_feedback(proposal=conf["opening"], by=attendee, rating=4, comment="Good")
    services.save_feedback(proposal=conf["opening"], by=other, rating=3)
    Feedback.objects.filter(user=attendee).update(updated=Feedback.objects.get(user=other).updated)
    services.save_feedback(proposal=conf["opening"], by=attendee, rating=5, comment="Better on reflection")

    summary = queries.feedback_summary(conf["opening"], with_authors=True)

    assert [(entry.user.name, entry.rating) for entry in summary.entries] == [
        ("Grace Hopper", 5),
        ("Second Voice", 3),
    ]


def test_feedback_summary_of_a_talk_without_feedback(conf):
    summary = queries.feedback_summary(conf["opening"], with_authors=True)

    assert (summary.count, summary.average, summary.entries) == (0, None, [])


def test_calendar_feed_is_found_by_its_key(conf, attendee):
    feed = services.renew_calendar_feed(event=conf["event"], user=attendee)

    assert queries.calendar_feed(conf["event"], feed.key) == feed


@pytest.mark.parametrize(
    "mangle",
    [
        lambda feed: f"{feed.pk}-{feed.token}x",
        lambda feed: f"{feed.pk}-{feed.token[:-1]}",
        lambda feed: f"{feed.pk + 1}-{feed.token}",
        lambda feed: f"{feed.pk}-",
        lambda feed: feed.token,
        lambda feed: f"-{feed.token}",
        lambda feed: f"{'9' * 40}-{feed.token}",
        lambda feed: f"²-{feed.token}",
        lambda feed: "",
    ],
)
def test_calendar_feed_is_none_for_a_wrong_or_malformed_key(conf, attendee, mangle):
    feed = services.renew_calendar_feed(event=conf["event"], user=attendee)

    assert queries.calendar_feed(conf["event"], mangle(feed)) is None


def test_calendar_feed_is_none_after_a_new_link_was_made(conf, attendee):
    old = services.renew_calendar_feed(event=conf["event"], user=attendee).key

    services.renew_calendar_feed(event=conf["event"], user=attendee)

    assert queries.calendar_feed(conf["event"], old) is None


def test_calendar_feed_is_none_in_another_event(conf, attendee):
    other = running_program()["event"]
    feed = services.renew_calendar_feed(event=conf["event"], user=attendee)

    assert queries.calendar_feed(other, feed.key) is None


def test_calendar_feed_is_none_for_a_deactivated_account(conf, attendee):
    feed = services.renew_calendar_feed(event=conf["event"], user=attendee)
    attendee.is_active = False
    attendee.save(update_fields=["is_active"])

    assert queries.calendar_feed(conf["event"], feed.key) is None
