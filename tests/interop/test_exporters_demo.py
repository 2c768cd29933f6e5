"""Exports of the demo conference (73 sessions over three days, two releases with every kind of change).

The demo is built once per test session and removed after the last test that needs it (the
`demo_output` fixture, tests/conftest.py), so the other tests (which count organisers and events) never see it.
"""

import pytest

from podium.attendance.queries import starred_codes
from podium.interop import exporters
from podium.schedule import changelog
from podium.schedule.queries import latest_release
from tests.interop.formats import valid_json, valid_xml, vevents

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_release(pycon):
    release = latest_release(pycon)
    assert release.version >= 2
    return release


def test_demo_frab_xml_is_valid_and_complete(demo_release):
    content = exporters.render(demo_release, "frab-xml").content
    root = valid_xml(content)

    assert "<conference" in content[:1024].decode("utf-8", "ignore")
    events = list(root.iter("event"))
    released = demo_release.sessions.filter(kind="session").count()
    assert len(events) == released > 50
    ids = [int(event.get("id")) for event in events]
    assert len(set(ids)) == len(ids)
    assert min(ids) > 0
    assert all(day.get(name) for day in root.findall("day") for name in ("index", "date", "start", "end"))
    assert all(len(link) == 0 for link in root.iter("link"))


def test_demo_frab_json_is_valid(demo_release):
    document = valid_json(exporters.render(demo_release, "frab-json").content)

    assert document["schedule"]["version"] == demo_release.name


def test_demo_guids_are_unchanged_between_the_two_releases(pycon, demo_release):
    previous = pycon.releases.get(version=demo_release.version - 1)
    before = {
        e.findtext("title"): e.get("guid")
        for e in valid_xml(exporters.render(previous, "frab-xml").content).iter("event")
    }
    after = {
        e.findtext("title"): e.get("guid")
        for e in valid_xml(exporters.render(demo_release, "frab-xml").content).iter("event")
    }

    kept = before.keys() & after.keys()
    assert len(kept) > 50
    assert {title: before[title] for title in kept} == {title: after[title] for title in kept}


def test_demo_every_ical_feed_parses_with_complete_vevents(pycon, demo_release):
    feeds = [{}]
    feeds += [{"room_uuid": room["uuid"]} for room in demo_release.rooms]
    feeds += [{"speaker_code": code} for code in demo_release.speakers.values_list("code", flat=True)]
    feeds += [
        {"talk_code": code}
        for code in demo_release.sessions.filter(kind="session").values_list("code", flat=True)
    ]
    star = pycon.stars.select_related("user").first()
    feeds.append({"codes": starred_codes(pycon, star.user)})

    counts = [len(vevents(exporters.render(demo_release, "ical", **options).content)) for options in feeds]

    assert all(count >= 1 for count in counts)


def test_demo_ical_marks_the_cancelled_session_and_raises_sequences(demo_release):
    kinds = {change["kind"]: change["code"] for change in demo_release.changes}
    assert {changelog.MOVED, changelog.CANCELLED} <= kinds.keys()
    feed = {str(vevent["UID"]): vevent for vevent in vevents(exporters.render(demo_release, "ical").content)}
    by_code = {str(vevent["URL"]).rstrip("/").rsplit("/", 1)[-1]: vevent for vevent in feed.values()}

    assert str(by_code[kinds[changelog.CANCELLED]]["STATUS"]) == "CANCELLED"
    assert by_code[kinds[changelog.MOVED]]["SEQUENCE"] >= 1
    assert (
        sum(str(vevent["STATUS"]) == "CANCELLED" for vevent in feed.values())
        == demo_release.counts()["cancelled"]
    )
