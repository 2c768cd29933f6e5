"""Names and titles in a right-to-left script read in their own direction on every page that shows them.

A title such as "מה חדש ב-Python 3.13?" in an English page is laid out left to right unless its element
says otherwise: the question mark lands after "3.13" on the right and a Hebrew reader meets the words
out of order; two Hebrew speaker names in a list ("שרה כהן, דנה לוי") swap places. Every element that
shows such a value on its own carries `dir="auto"` (its direction taken from its first letter), and a
value inside a sentence of the page's language sits in a `<bdi>`: the browser isolates it either way.

The check, on the pages a visitor, a speaker and an organiser read: every piece of text that holds one
of the values below must sit in an isolating element (`dir` or `<bdi>`) holding that value and nothing
else. Each page must show the values it is listed with, so no page passes by showing nothing.
"""

import re

import lxml.html
import pytest
from django.urls import reverse

from podium.attendance.models import Star
from podium.events.rules import FLAGS
from podium.registration import services as registration
from tests import factories, program
from tests.registration import shop

EVENT = "כנס פייתון"
TITLE = "מה חדש ב-Python 3.13?"
ABSTRACT = "שיחה על Python 3.13: מה השתנה, ומה לא."
SARAH = "שרה כהן"
DANA = "دانا الحسن"
ROOM = "אולם א"
TRACK = "ערוץ ווב"
BIO = "מפתחת Python מתל אביב."
ATTENDEE = "יעל (Yael) לוי"
VALUES = (EVENT, TITLE, ABSTRACT, SARAH, DANA, BIO, ROOM, TRACK, ATTENDEE)
#: Where a value may appear without isolation: the window's title and the options of a menu (plain text
#: by definition), scripts and their data.
PLAIN = {"title", "option", "script", "style", "textarea"}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def unisolated(html: str) -> list[str]:
    """Each value of VALUES found in a text of `html` outside an isolating element of its own."""
    root = lxml.html.document_fromstring(html)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for text, holder in ((element.text, element), (element.tail, element.getparent())):
            if not text or holder is None:
                continue
            for value in VALUES:
                if value in text and not _isolated(holder, value):
                    found.append(f"{value!r} in <{holder.tag} class={holder.get('class')!r}>")
    return found


def _isolated(holder, value: str) -> bool:
    chain = [holder, *holder.iterancestors()]
    if any(element.tag in PLAIN for element in chain):
        return True
    for element in chain:
        if element.tag == "bdi" or element.get("dir") is not None:
            return _normal(element.text_content()) == _normal(value)
    return False


def test_the_check_finds_a_value_laid_out_in_the_page_direction():
    assert unisolated(f"<p>With {SARAH}, Ada</p>") == [f"{SARAH!r} in <p class=None>"]
    assert unisolated(f"<div dir='auto'><h1>{TITLE}</h1><p>Ada</p></div>") == [
        f"{TITLE!r} in <h1 class=None>"
    ]
    assert unisolated(f"<p>With <bdi>{SARAH}</bdi>, <a dir='auto'>{DANA}</a></p><title>{TITLE}</title>") == []
    assert unisolated(f"<div dir='auto'><p>{ABSTRACT}</p>\n</div>") == []


@pytest.fixture
def conference(db):
    event = factories.EventFactory(name=EVENT)
    organiser = factories.team_member(event, is_admin=True, **dict.fromkeys(FLAGS[1:], True))
    event.rooms.filter(name="Hall A").update(name=ROOM)
    event.tracks.filter(name="Web").update(name=TRACK)
    sarah = factories.UserFactory(name=SARAH)
    dana = factories.UserFactory(name=DANA)
    talk = factories.ProposalFactory(
        event=event,
        title=TITLE,
        abstract=ABSTRACT,
        track=program.track(event, TRACK),
        speakers=[sarah, dana],
        state="confirmed",
    )
    event.speaker_profiles.update(bio=BIO)
    program.place(event, talk, ROOM, program.at(event, 10), organiser)
    program.release(event, organiser)
    Star.objects.create(event=event, user=sarah, proposal=talk)
    # A move in the draft, for the release preview's list of changes.
    program.place(event, talk, "Room 101", program.at(event, 11), organiser)
    shop.open_registration(event)
    ticket_type = shop.ticket_type(event, price="0.00")
    registration.place_order(
        event=event,
        buyer=sarah,
        items=[(ticket_type, ATTENDEE, "yael@example.org", {})],
        email=sarah.email,
    )
    return {"event": event, "talk": talk, "organiser": organiser, "sarah": sarah}


def _pages(conference) -> list[tuple[str, str, tuple[str, ...]]]:
    """(who, address, the values the page must show)."""
    event, talk = conference["event"], conference["talk"]
    slug = {"event": event.slug}
    speaker = event.speaker_profiles.get(user=conference["sarah"]).code
    room = event.rooms.get(name=ROOM).uuid
    session = (TITLE, SARAH, DANA)
    return [
        ("visitor", reverse("site:event", kwargs=slug), (EVENT,)),
        ("visitor", reverse("site:schedule", kwargs=slug) + "?view=grid", (*session, ROOM, TRACK)),
        ("visitor", reverse("site:schedule", kwargs=slug) + "?view=list", (*session, TRACK)),
        ("visitor", reverse("site:talks", kwargs=slug), (*session, ROOM, TRACK)),
        (
            "visitor",
            reverse("site:talk", kwargs={**slug, "code": talk.code}),
            (*session, ABSTRACT, ROOM, TRACK),
        ),
        ("visitor", reverse("site:speakers", kwargs=slug), (TITLE, SARAH, DANA)),
        ("visitor", reverse("site:speaker", kwargs={**slug, "speaker": speaker}), (SARAH, BIO, TITLE, ROOM)),
        ("visitor", reverse("site:widget", kwargs=slug), (EVENT, *session, ROOM)),
        ("visitor", reverse("site:rooms_now", kwargs=slug), (ROOM,)),
        ("visitor", reverse("site:room_now", kwargs={**slug, "room": room}), (ROOM, TITLE)),
        ("visitor", reverse("site:releases", kwargs=slug), (TITLE,)),
        ("speaker", reverse("site:agenda", kwargs=slug), (TITLE, ROOM)),
        ("speaker", reverse("cfp:proposal", kwargs={**slug, "code": talk.code}), (TITLE, ABSTRACT)),
        ("organiser", reverse("orga:schedule_release", kwargs=slug), (TITLE, ROOM)),
        ("organiser", reverse("orga:proposals", kwargs=slug), (TITLE, TRACK)),
        (
            "organiser",
            reverse("orga:proposal", kwargs={**slug, "code": talk.code}),
            (TITLE, ABSTRACT, BIO, TRACK),
        ),
        ("organiser", reverse("orga:reviews", kwargs=slug), ()),
        ("organiser", reverse("orga:review_overview", kwargs=slug), (TITLE,)),
        ("organiser", reverse("orga:schedule", kwargs=slug), (TITLE, ROOM, TRACK)),
        ("organiser", reverse("orga:dayof", kwargs=slug) + f"?day={event.date_from}", (TITLE, ROOM)),
        ("organiser", reverse("orga:checkin", kwargs=slug) + "?q=Yael", (ATTENDEE,)),
    ]


def test_every_name_and_title_reads_in_its_own_direction(client, conference):
    users = {"visitor": None, "speaker": conference["sarah"], "organiser": conference["organiser"]}
    problems, missing = [], []
    for who, address, shown in _pages(conference):
        client.logout()
        if users[who] is not None:
            client.force_login(users[who])
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        problems += [f"{address} ({who}): {found}" for found in unisolated(html)]
        missing += [f"{address}: {value!r}" for value in shown if value not in html]

    assert not missing, "\n".join(missing)
    assert not problems, "\n".join(problems)
