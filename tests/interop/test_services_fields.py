"""Every field the formats define survives an import, a release and an export: recording consent,
subtitle, links, attachments, video, feedback and origin addresses; and the source's guids, UUIDs or
not. Addresses that are not http(s) are left out and the report says so. Fixtures: fields.*."""

import json
import uuid
from pathlib import Path

import pytest

from podium.interop.exporters import render
from podium.interop.importers import read_program
from podium.interop.importers.source import SourceSession
from podium.interop.models import ImportedKey
from podium.interop.services import GUID_NAMESPACE, Guids, ImportReport, derived_uuid, import_program
from podium.proposals.models import Proposal
from podium.schedule.queries import latest_release
from tests import factories
from tests.interop.formats import valid_json, valid_xml, vevents

FIXTURES = Path(__file__).parent / "fixtures"
SLIDES = {"title": "Slides", "url": "https://slides.example.org/consent"}
PAPER = {"title": "Paper (PDF)", "url": "https://fields.example.org/system/attachments/consent.pdf"}
VIDEO = "https://media.example.org/consent.mp4"
ORIGIN = "https://fields.example.org/2025/talk/consent/"
FEEDBACK = "https://fields.example.org/2025/talk/consent/feedback/"
FRAB_FILES = ("fields.schedule.xml", "fields.schedule.json")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def proposal(slug: str, title: str) -> Proposal:
    return Proposal.objects.select_related("slot").get(event__slug=slug, title=title)


def fields_of(item) -> dict:
    """The fields this file is about, from a proposal or a released session."""
    names = ("subtitle", "do_not_record", "recording_license", "links", "attachments", "video_url")
    return {name: getattr(item, name) for name in names}


CONSENT = {
    "subtitle": "Why we do not film this one",
    "do_not_record": True,
    "recording_license": "CC BY 4.0",
    "links": [SLIDES],
    "attachments": [PAPER],
    "video_url": VIDEO,
}


@pytest.fixture
def organiser(db):
    return factories.OrganiserFactory()


# --- Import ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FRAB_FILES)
def test_frab_import_keeps_consent_links_attachments_and_addresses(organiser, name):
    import_program(data=fixture(name), by=None, event_slug="fields")

    consent = proposal("fields", "Consent matters")
    assert fields_of(consent) == CONSENT
    assert (consent.origin_url, consent.feedback_url) == (ORIGIN, FEEDBACK)
    usual = proposal("fields", "Recorded as usual")
    assert (usual.do_not_record, usual.links, usual.attachments, usual.video_url) == (False, [], [], "")


@pytest.mark.parametrize("name", [*FRAB_FILES, "fields.pretalx-api.json"])
def test_addresses_that_are_not_http_are_left_out_and_reported(organiser, name):
    report = import_program(data=fixture(name), by=None, event_slug="fields")

    stored = proposal("fields", "Consent matters")
    assert all(item["url"].startswith("https://") for item in stored.links + stored.attachments)
    assert "not an http(s) address" in report.text
    assert ("javascript:alert" in report.text) or ("data:text/html" in report.text)


def test_pretalx_api_keeps_do_not_record_and_resources(organiser):
    import_program(data=fixture("fields.pretalx-api.json"), by=None, event_slug="fields")

    consent = proposal("fields", "Consent matters")
    assert consent.do_not_record is True
    assert consent.links == [SLIDES]
    assert consent.attachments == [
        {"title": "Paper (PDF)", "url": "https://cfp.example.org/media/consent.pdf"}
    ]
    assert proposal("fields", "Recorded as usual").do_not_record is False


def test_the_release_carries_the_fields(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")

    release = latest_release(Proposal.objects.get(title="Consent matters").event)
    released = release.sessions.get(title="Consent matters")
    assert fields_of(released) == CONSENT
    assert (released.origin_url, released.feedback_url, released.guid) == (
        ORIGIN,
        FEEDBACK,
        "q83vEjRWeJASNFZ4kBI0Vg",
    )


# --- Export ---------------------------------------------------------------------------------------


def _release(slug="fields"):
    return latest_release(Proposal.objects.filter(event__slug=slug).first().event)


def test_frab_xml_export_writes_the_fields_and_stays_valid(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")

    root = valid_xml(render(_release(), "frab-xml").content)
    event = next(e for e in root.iter("event") if e.findtext("title") == "Consent matters")
    assert event.findtext("subtitle") == "Why we do not film this one"
    assert event.findtext("recording/optout") == "true"
    assert event.findtext("recording/license") == "CC BY 4.0"
    assert [(link.text, link.get("href")) for link in event.iterfind("links/link")] == [
        ("Slides", SLIDES["url"])
    ]
    assert [(a.text, a.get("href")) for a in event.iterfind("attachments/attachment")] == [
        ("Paper (PDF)", PAPER["url"])
    ]
    assert event.findtext("video_download_url") == VIDEO
    assert (event.findtext("feedback_url"), event.findtext("origin_url")) == (FEEDBACK, ORIGIN)
    usual = next(e for e in root.iter("event") if e.findtext("title") == "Recorded as usual")
    assert usual.findtext("recording/optout") == "false"


def test_frab_json_export_writes_the_fields_and_stays_valid(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")

    document = valid_json(render(_release(), "frab-json").content)
    events = [
        e for day in document["schedule"]["conference"]["days"] for es in day["rooms"].values() for e in es
    ]
    consent = next(e for e in events if e["title"] == "Consent matters")
    assert consent["do_not_record"] is True
    assert consent["subtitle"] == "Why we do not film this one"
    assert consent["recording_license"] == "CC BY 4.0"
    assert consent["links"] == [SLIDES, {"type": "media", "title": "Video", "url": VIDEO}]
    assert consent["attachments"] == [PAPER]
    assert (consent["feedback_url"], consent["origin_url"]) == (FEEDBACK, ORIGIN)


def test_ical_export_attaches_links_and_video(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")

    vevent = next(v for v in vevents(render(_release(), "ical").content) if "Consent" in str(v["SUMMARY"]))
    attached = vevent.get("ATTACH")
    assert sorted(str(item) for item in attached) == sorted([SLIDES["url"], PAPER["url"], VIDEO])


# --- Round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "fmt"), [(n, f) for n in FRAB_FILES for f in ("frab-xml", "frab-json")])
def test_import_export_import_keeps_the_fields(organiser, source, fmt):
    import_program(data=fixture(source), by=None, event_slug="fields")
    exported = render(_release(), fmt).content

    import_program(data=exported, by=None, event_slug="again")

    for title in ("Consent matters", "Recorded as usual", "A UUID guid"):
        first, second = proposal("fields", title), proposal("again", title)
        assert fields_of(second) == fields_of(first), title
        assert second.feedback_url == first.feedback_url
        # The page in the system it came from: the source's when it named one, else the first event's.
        assert second.origin_url == (first.origin_url or f"https://podium.test/fields/talk/{first.code}/")


def test_reimporting_the_same_file_changes_nothing(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")
    before = _release()

    again = import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")

    assert (again.created, again.updated) == (0, 0), again.text
    assert _release().pk == before.pk


# --- Guids that are not UUIDs ---------------------------------------------------------------------


def test_a_guid_that_is_not_a_uuid_is_kept_and_a_stable_uuid_derived(organiser):
    report = import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")

    consent = proposal("fields", "Consent matters")
    assert consent.guid == "q83vEjRWeJASNFZ4kBI0Vg"
    assert consent.slot.uuid == derived_uuid("q83vEjRWeJASNFZ4kBI0Vg")
    assert consent.slot.uuid == uuid.uuid5(GUID_NAMESPACE, "q83vEjRWeJASNFZ4kBI0Vg")
    assert proposal("fields", "Recorded as usual").slot.uuid == derived_uuid("talk-two")
    uuid_guid = proposal("fields", "A UUID guid")
    assert str(uuid_guid.slot.uuid) == uuid_guid.guid == "6f1c2f4e-5a0b-4c8d-9e7f-0123456789ab"
    assert "2 session guids are not UUIDs" in report.text
    assert "UUIDv5" in report.text


def test_the_derived_uuid_is_the_same_on_every_import(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")
    first = proposal("fields", "Consent matters").slot.uuid
    Proposal.objects.filter(event__slug="fields").delete()
    ImportedKey.objects.filter(kind=ImportedKey.Kind.SESSION).delete()  # as if never imported

    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")
    assert proposal("fields", "Consent matters").slot.uuid == first


def test_the_same_file_in_a_second_event_gets_its_own_stable_uuids(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="copy")

    copy = proposal("copy", "Consent matters")
    assert copy.guid == "q83vEjRWeJASNFZ4kBI0Vg"
    assert copy.slot.uuid == derived_uuid("q83vEjRWeJASNFZ4kBI0Vg", "copy")
    assert copy.slot.uuid != proposal("fields", "Consent matters").slot.uuid


@pytest.mark.parametrize("name", FRAB_FILES)
def test_exports_give_the_derived_uuid_where_one_is_required_and_the_guid_elsewhere(organiser, name):
    import_program(data=fixture(name), by=None, event_slug="fields")
    release = _release()
    derived = str(derived_uuid("q83vEjRWeJASNFZ4kBI0Vg"))

    root = valid_xml(render(release, "frab-xml").content)
    assert derived in {event.get("guid") for event in root.iter("event")}
    document = valid_json(render(release, "frab-json").content)
    assert derived in json.dumps(document)
    uids = {str(v["UID"]) for v in vevents(render(release, "ical").content)}
    assert any(uid.startswith("q83vEjRWeJASNFZ4kBI0Vg@") for uid in uids), uids
    assert any(uid.startswith("talk-two@") for uid in uids), uids


def test_reimporting_the_export_keeps_the_derived_uuid(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")
    exported = render(_release(), "frab-xml").content

    program = read_program(exported)
    guids = {session.title: session.guid for session in program.sessions}
    assert guids["Consent matters"] == str(derived_uuid("q83vEjRWeJASNFZ4kBI0Vg"))


def test_a_guid_already_held_by_another_session_of_the_event_is_not_kept(organiser):
    import_program(data=fixture("fields.schedule.xml"), by=None, event_slug="fields")
    usual = proposal("fields", "Recorded as usual")
    report = ImportReport()
    guids = Guids(usual.event, report)
    other = SourceSession(
        key="id:9", ref="line 9", title="Another", start=None, duration_minutes=30, guid="talk-two"
    )

    assert guids.keep(other, None) == ""
    assert guids.keep(other, usual) == "talk-two"
    assert "“talk-two” of “Another” (line 9) already belongs to another session" in report.text


def test_a_pretalx_api_reimport_keeps_what_the_api_cannot_carry(organiser):
    import_program(data=fixture("fields.pretalx-api.json"), by=None, event_slug="fields")
    Proposal.objects.filter(title="Consent matters").update(video_url=VIDEO, subtitle="Set in Podium")

    import_program(data=fixture("fields.pretalx-api.json"), by=None, event_slug="fields")

    consent = proposal("fields", "Consent matters")
    assert (consent.video_url, consent.subtitle, consent.do_not_record) == (VIDEO, "Set in Podium", True)
