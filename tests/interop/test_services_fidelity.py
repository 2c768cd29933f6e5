"""Imports must never be silently wrong: people merged by a reused id, files without a time zone, the
oldest Pentabarf shape and mostly unreadable files, iCal folding, DTDs after the first 4 KB, and a
fresh install without an organiser. Each case has its own file in fixtures/."""

import datetime as dt
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from podium.events.models import Event, Organiser
from podium.interop.importers import ImportRefused, read_program
from podium.interop.services import import_program
from podium.proposals.models import Proposal
from tests import factories

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def speakers_by_title(event_slug: str) -> dict[str, list[tuple[int, str]]]:
    proposals = Proposal.objects.filter(event__slug=event_slug).prefetch_related("speaker_links__user")
    return {p.title: [(u.pk, u.name) for u in p.ordered_speakers] for p in proposals}


def start_of(event_slug: str, title: str) -> dt.datetime:
    return Proposal.objects.get(event__slug=event_slug, title=title).slot.start


# --- People merged by a reused id ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "zone"),
    [
        ("merged-ids.schedule.xml", None),
        ("merged-ids.schedule.json", None),
        ("merged-ids.pretalx-api.json", "Europe/Lisbon"),
    ],
)
def test_a_person_id_reused_for_someone_else_is_another_person(db, name, zone):
    factories.OrganiserFactory()
    report = import_program(data=fixture(name), by=None, event_slug="merged", time_zone=zone)

    people = speakers_by_title("merged")
    (ana,) = people["Source A opening"]
    (bruno,) = people["Source B opening"]
    assert ana[1] == "Ana Sousa"
    assert bruno[1] == "Bruno Lima"
    assert ana[0] != bruno[0]
    again = next(speakers for title, speakers in people.items() if title.startswith("Ana again"))
    assert [pk for pk, _ in again] == [ana[0]]  # case, spacing and accents do not make another person
    assert "imported as different people" in report.text
    assert "“Ana Sousa” and to “Bruno Lima”" in report.text

    second = import_program(data=fixture(name), by=None, event_slug="merged", time_zone=zone)
    assert (second.created, second.updated) == (0, 0), second.text
    assert speakers_by_title("merged") == people


def test_reused_id_in_a_later_import_does_not_take_over_the_first_person(db):
    factories.OrganiserFactory()
    import_program(data=fixture("merged-ids.schedule.xml"), by=None, event_slug="merged")
    ana = speakers_by_title("merged")["Source A opening"][0]
    renamed = fixture("merged-ids.schedule.xml").replace(
        b'<title>Source A opening</title>\n        <persons><person id="7">Ana Sousa',
        b'<title>Source A opening</title>\n        <persons><person id="7">Carla Dias',
    )
    import_program(data=renamed, by=None, event_slug="merged")
    (now,) = speakers_by_title("merged")["Source A opening"]
    assert now[1] == "Carla Dias"
    assert now[0] != ana[0]
    assert (
        Proposal.objects.get(event__slug="merged", title="Ana again, spelt loosely").ordered_speakers[0].name
        == "Ana Sousa"
    )


def test_accents_spacing_and_case_keep_one_person(db):
    factories.OrganiserFactory()
    import_program(data=fixture("merged-ids.schedule.xml"), by=None, event_slug="merged")
    people = speakers_by_title("merged")
    jose = people["José with and without accents"][0]
    assert people["Jose again"] == [jose]


# --- Files without a time zone ------------------------------------------------------------------------


def test_offset_less_times_are_wall_clock_times_in_the_existing_events_zone(event):
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    assert event.timezone == "America/Chicago"
    report = import_program(data=fixture("no-zone.schedule.xml"), by=None, event=event)

    assert start_of(event.slug, "Morning keynote") == dt.datetime(2025, 7, 10, 9, 0, tzinfo=chicago)
    assert start_of(event.slug, "Late, no date at all") == dt.datetime(2025, 7, 10, 23, 30, tzinfo=chicago)
    assert "Time zone: America/Chicago (the event's time zone; the file names none)." in report.text


def test_new_event_from_a_file_without_zone_is_refused_and_asks_for_timezone(db):
    factories.OrganiserFactory()
    with pytest.raises(ImportRefused, match=r"names no time zone.*--timezone"):
        import_program(data=fixture("no-zone.schedule.xml"), by=None)
    assert not Event.objects.exists()


def test_timezone_given_reads_the_wall_clock_times_and_becomes_the_events_zone(db):
    factories.OrganiserFactory()
    report = import_program(data=fixture("no-zone.schedule.xml"), by=None, time_zone="Asia/Tokyo")
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert Event.objects.get(slug="nozone").timezone == "Asia/Tokyo"
    assert start_of("nozone", "Morning keynote") == dt.datetime(2025, 7, 10, 9, 0, tzinfo=tokyo)
    assert "Time zone: Asia/Tokyo (given for this import)." in report.text


def test_unknown_timezone_is_refused(db):
    factories.OrganiserFactory()
    with pytest.raises(ImportRefused, match="“Mars/Olympus” is not a time zone"):
        import_program(data=fixture("no-zone.schedule.xml"), by=None, time_zone="Mars/Olympus")


def test_zone_is_inferred_from_offsets_and_the_report_says_how(db):
    factories.OrganiserFactory()
    report = import_program(data=fixture("no-zone-offsets-unique.schedule.xml"), by=None)
    assert Event.objects.get(slug="himal").timezone == "Asia/Kathmandu"
    assert (
        "inferred from the offsets of the file's times (+05:45), which only Asia/Kathmandu uses"
        in report.text
    )


def test_several_zones_fitting_the_offsets_give_a_usual_one_with_the_same_local_times(db):
    factories.OrganiserFactory()
    report = import_program(data=fixture("no-zone-offsets-ambiguous.schedule.xml"), by=None)
    event = Event.objects.get(slug="ambig")
    assert event.timezone == "Europe/Berlin"
    assert "Time zone: Europe/Berlin (inferred from the offsets of the file's times (+02:00);" in report.text
    assert "give the same local times; check it, and give another with --timezone" in report.text
    start = start_of("ambig", "Which zone?")
    assert start == dt.datetime(2025, 6, 5, 8, 0, tzinfo=dt.UTC)
    assert start.astimezone(event.tz).strftime("%H:%M") == "10:00"


def test_offsets_no_single_zone_uses_are_refused(db):
    factories.OrganiserFactory()
    with pytest.raises(
        ImportRefused, match=r"no single zone uses all the offsets.*\+02:00, \+05:45.*--timezone"
    ):
        import_program(data=fixture("no-zone-offsets-mixed.schedule.xml"), by=None)
    assert not Event.objects.filter(slug="mixed").exists()


def test_zone_named_in_the_file_is_reported(db):
    factories.OrganiserFactory()
    report = import_program(data=fixture("pentabarf-oldest.schedule.xml"), by=None)
    assert "Time zone: Europe/Brussels (named in the file (<time_zone_name>))." in report.text


def test_a_zone_name_that_is_not_one_is_named_and_the_message_does_not_contradict_itself(db):
    factories.OrganiserFactory()
    data = fixture("no-zone.schedule.xml").replace(
        b"<title>", b"<time_zone_name>Mars/Olympus</time_zone_name><title>", 1
    )
    with pytest.raises(ImportRefused) as refused:
        import_program(data=data, by=None)
    message = str(refused.value)
    assert message.startswith("The file names the time zone “Mars/Olympus”, which is not an IANA zone name, ")
    assert "names no time zone" not in message


# Sessions on days no event can have (FIRST_DAY to LAST_DAY), with a usable one beside them.
FAR_DAYS = (
    b"title,start,duration,room\n"
    b"Far future,9999-12-31T23:00:00+01:00,120,Hall\n"
    b"Far past,0001-01-01T00:00:00+14:00,60,Hall\n"
    b"Opening,2025-03-29T12:00:00+01:00,60,Hall\n"
)


def test_sessions_on_days_no_event_can_have_are_skipped_with_the_reason(db):
    """They made the import fail with an OverflowError (an error page, or a traceback on the command
    line) while the zone was inferred from the offsets, or the new event's days were computed."""
    factories.OrganiserFactory()
    with pytest.raises(ImportRefused, match=r"line 2: its start \(9999-12-31\) is not between 1900-01-01"):
        import_program(data=FAR_DAYS, by=None, event_slug="far")  # two of three would be skipped
    report = import_program(data=FAR_DAYS, by=None, event_slug="far", allow_partial=True)

    event = Event.objects.get(slug="far")
    assert (event.date_from, event.date_to) == (dt.date(2025, 3, 29), dt.date(2025, 3, 29))
    assert list(Proposal.objects.filter(event=event).values_list("title", flat=True)) == ["Opening"]
    assert [(skip.ref, skip.reason) for skip in report.skips] == [
        ("line 2", "its start (9999-12-31) is not between 1900-01-01 and 9000-12-31"),
        ("line 3", "its start (0001-01-01) is not between 1900-01-01 and 9000-12-31"),
    ]


def test_a_file_with_only_such_days_is_refused_saying_why(db):
    factories.OrganiserFactory()
    far_only = b"\n".join(FAR_DAYS.split(b"\n")[:3])
    with pytest.raises(ImportRefused, match=r"times with an offset are all on days before 1900-01-01"):
        import_program(data=far_only, by=None, event_slug="far")
    assert not Event.objects.filter(slug="far").exists()


def test_a_start_the_clocks_skip_is_not_moved_by_an_hour_but_skipped(db):
    """02:30 on 30 March 2025 does not exist in Brussels (02:00 becomes 03:00): Python reads it as 03:30,
    so the session was placed an hour later than the file said, and nothing told."""
    event = factories.EventFactory(
        slug="dst", timezone="Europe/Brussels", date_from=dt.date(2025, 3, 29), date_to=dt.date(2025, 3, 30)
    )
    data = (
        b"title,start,duration,room\nIn the gap,2025-03-30T02:30:00,60,Hall\n"
        b"After it,2025-03-30T03:30:00,60,Hall\n"
    )
    report = import_program(data=data, by=None, event=event)

    assert list(Proposal.objects.filter(event=event).values_list("title", flat=True)) == ["After it"]
    assert [(skip.ref, skip.reason) for skip in report.skips] == [
        (
            "line 2",
            "its start (2025-03-30 02:30) does not exist in Europe/Brussels: the clocks skip that hour",
        )
    ]


def test_ical_with_floating_times_and_no_zone(event):
    factories.OrganiserFactory()
    with pytest.raises(ImportRefused, match=r"names no time zone.*--timezone"):
        import_program(data=fixture("floating.ics"), by=None, event_slug="floating")
    assert not Event.objects.filter(slug="floating").exists()

    import_program(data=fixture("floating.ics"), by=None, event=event)
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    assert start_of(event.slug, "Floating talk") == dt.datetime(2025, 9, 4, 10, 0, tzinfo=chicago)
    assert Proposal.objects.get(event=event, title="Another floating talk").slot.duration_minutes == 30

    report = import_program(
        data=fixture("floating.ics"), by=None, event_slug="floating", organiser_slug=event.organiser.slug,
        time_zone="Europe/Rome",
    )  # fmt: skip
    rome = zoneinfo.ZoneInfo("Europe/Rome")
    assert start_of("floating", "Floating talk") == dt.datetime(2025, 9, 4, 10, 0, tzinfo=rome)
    assert "Time zone: Europe/Rome" in report.text


# --- The oldest Pentabarf shape, and imports that would publish too little -----------------------------


def test_oldest_pentabarf_shape_events_under_day_with_end(db):
    factories.OrganiserFactory()
    report = import_program(data=fixture("pentabarf-oldest.schedule.xml"), by=None)
    assert report.counts["session"]["created"] == 4, report.text
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    rows = {
        p.title: (
            p.slot.room.name,
            p.slot.start,
            p.slot.duration_minutes,
            [u.name for u in p.ordered_speakers],
        )
        for p in Proposal.objects.filter(event__slug="penta2006")
    }
    assert rows == {
        "Welcome": ("Janson", dt.datetime(2006, 2, 25, 10, 0, tzinfo=brussels), 45, ["Raphael Bauduin"]),
        "Hacking the kernel": (
            "H.1301",
            dt.datetime(2006, 2, 25, 11, 0, tzinfo=brussels),
            90,
            ["Kernel Hacker", "Second Hacker"],
        ),
        "Past midnight": ("Janson", dt.datetime(2006, 2, 25, 23, 30, tzinfo=brussels), 60, []),
        "Sunday morning": (
            "Janson",
            dt.datetime(2006, 2, 26, 9, 0, tzinfo=brussels),
            50,
            ["Raphael Bauduin"],
        ),
    }


def test_import_skipping_more_than_half_is_refused_unless_partial_is_allowed(db):
    factories.OrganiserFactory()
    with pytest.raises(ImportRefused, match=r"3 of the 4 sessions .* nothing was imported.*--allow-partial"):
        import_program(data=fixture("mostly-broken.schedule.xml"), by=None)
    assert not Event.objects.filter(slug="broken").exists()

    report = import_program(data=fixture("mostly-broken.schedule.xml"), by=None, allow_partial=True)
    assert report.counts["session"]["created"] == 1
    assert report.counts["session"]["skipped"] == 3


def test_import_with_no_sessions_is_refused(db):
    factories.OrganiserFactory()
    with pytest.raises(ImportRefused, match="lists no sessions"):
        import_program(data=fixture("no-sessions.schedule.xml"), by=None)
    assert not Event.objects.exists()


def test_import_that_would_empty_the_program_is_refused(db):
    factories.OrganiserFactory()
    import_program(data=fixture("mostly-broken.schedule.xml"), by=None, allow_partial=True)
    gone = fixture("mostly-broken.schedule.xml").replace(b"<title>Fine</title>", b"")
    with pytest.raises(ImportRefused, match="None of the 4 sessions in the file would be on the program"):
        import_program(data=gone, by=None)
    assert Proposal.objects.get(event__slug="broken", title="Fine").slot.start is not None


# --- iCal folding ---------------------------------------------------------------------------------------


def test_ical_is_unfolded_before_it_is_decoded_and_cr_cr_lf_leaves_no_cr():
    program = read_program(fixture("folded-utf8.ics"))
    (session,) = program.sessions
    assert session.title == "Café crème → déjà vu"
    assert session.room == "Salle Été"
    assert session.abstract == "First line\nSecond line with a fold and über"
    assert program.time_zone == "Europe/Paris"
    assert session.start == dt.datetime(2025, 9, 4, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    assert session.duration_minutes == 45


# --- Hostile XML: a DTD anywhere ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "doctype-late-entity.xml",
        "doctype-late-system.xml",
        "doctype-late-parameter.xml",
        "doctype-late-whitespace.xml",
    ],
)
def test_a_dtd_after_the_first_4_kb_is_refused(db, name):
    data = fixture(name)
    assert data.find(b"<!DOCTYPE") > 4096
    factories.OrganiserFactory()
    with pytest.raises(ImportRefused, match="document type declaration"):
        import_program(data=data, by=None)
    assert not Event.objects.exists()


# --- A fresh install ------------------------------------------------------------------------------------


def podium_import(*args) -> str:
    out = StringIO()
    call_command("import", *map(str, args), stdout=out)
    return out.getvalue()


PENTA = FIXTURES / "pentabarf-oldest.schedule.xml"


def test_fresh_install_without_organiser_says_how_to_make_one(db):
    with pytest.raises(CommandError, match="no organiser yet: name one with --organiser NAME"):
        podium_import(PENTA)


def test_organiser_named_is_created_with_the_admin_given(db):
    admin = factories.UserFactory(email="root@example.org")
    text = podium_import(PENTA, "--organiser", "Old Penta e.V.", "--admin", "ROOT@example.org")
    organiser = Organiser.objects.get(slug="old-penta-ev")
    assert organiser.name == "Old Penta e.V."
    assert list(organiser.teams.get(is_admin=True).members.all()) == [admin]
    assert Event.objects.get(slug="penta2006").organiser == organiser
    assert "Created the organiser “Old Penta e.V.” (old-penta-ev); root@example.org administers it." in text


def test_organiser_created_with_the_only_site_administrator_and_says_so(db):
    factories.UserFactory(email="someone@example.org")
    boss = factories.UserFactory(email="boss@example.org", is_superuser=True, is_staff=True)
    text = podium_import(PENTA, "--organiser", "penta")
    organiser = Organiser.objects.get(slug="penta")
    assert list(organiser.teams.get(is_admin=True).members.all()) == [boss]
    assert "boss@example.org administers it (the only site administrator; --admin was not given)" in text


def test_organiser_is_not_created_without_a_clear_administrator(db):
    with pytest.raises(
        CommandError, match="there is no site administrator: name an existing account with --admin"
    ):
        podium_import(PENTA, "--organiser", "penta")
    factories.UserFactory(is_superuser=True)
    factories.UserFactory(is_superuser=True)
    with pytest.raises(CommandError, match="several site administrators exist"):
        podium_import(PENTA, "--organiser", "penta")
    with pytest.raises(CommandError, match=r"There is no account “nobody@example\.org”"):
        podium_import(PENTA, "--organiser", "penta", "--admin", "nobody@example.org")
    assert not Organiser.objects.exists()


def test_existing_organiser_is_found_by_name_and_dry_run_creates_none(db):
    factories.UserFactory(email="root@example.org")
    text = podium_import(PENTA, "--organiser", "Brand New", "--admin", "root@example.org", "--dry-run")
    assert "Created the organiser “Brand New”" in text
    assert not Organiser.objects.exists()
    existing = factories.OrganiserFactory(name="Brand New", slug="bn")
    podium_import(PENTA, "--organiser", "brand new")
    assert Event.objects.get(slug="penta2006").organiser == existing


def test_command_options_timezone_and_allow_partial(db, tmp_path):
    factories.OrganiserFactory()
    with pytest.raises(CommandError, match="--timezone"):
        podium_import(FIXTURES / "no-zone.schedule.xml")
    text = podium_import(FIXTURES / "no-zone.schedule.xml", "--timezone", "Europe/Madrid")
    assert "Time zone: Europe/Madrid (given for this import)." in text
    with pytest.raises(CommandError, match="more than half"):
        podium_import(FIXTURES / "mostly-broken.schedule.xml")
    assert "sessions: 1 created, 3 skipped" in podium_import(
        FIXTURES / "mostly-broken.schedule.xml", "--allow-partial"
    )


# --- The upload page ------------------------------------------------------------------------------------


@pytest.fixture
def upload_organiser(client, event, settings, tmp_path):
    settings.PODIUM_IMPORT_DIR = tmp_path / "imports"
    user = factories.team_member(event, name="Organisers", can_edit_event=True, can_schedule=True)
    client.force_login(user)
    return user


def upload(client, event, data: bytes, **fields):
    return client.post(
        reverse("orga:event_import", kwargs={"event": event.slug}),
        {"file": SimpleUploadedFile("schedule.xml", data), "format": "", **fields},
    )


def test_upload_page_asks_to_check_the_zone_of_a_file_without_one(client, event, upload_organiser):
    preview = upload(client, event, fixture("no-zone.schedule.xml"))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "The file names no time zone" in page
    assert "Time zone: America/Chicago" in page

    chosen = upload(client, event, fixture("no-zone.schedule.xml"), timezone="Europe/Lisbon")
    assert "The file names no time zone" not in chosen.content.decode()
    apply_form = chosen.context["apply_form"]
    done = client.post(
        reverse("orga:event_import_apply", kwargs={"event": event.slug}),
        {name: value for name, value in apply_form.initial.items() if value not in (None, False)},
    )
    assert done.status_code == 200, done.content.decode()
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    assert start_of(event.slug, "Morning keynote") == dt.datetime(2025, 7, 10, 9, 0, tzinfo=lisbon)


def test_upload_page_refuses_a_mostly_broken_file_unless_partial_is_ticked(client, event, upload_organiser):
    refused = upload(client, event, fixture("mostly-broken.schedule.xml"))
    assert refused.status_code == 400
    assert "more than half" in refused.content.decode()
    preview = upload(client, event, fixture("mostly-broken.schedule.xml"), allow_partial="on")
    assert preview.status_code == 200
    apply_form = preview.context["apply_form"]
    assert apply_form.initial["allow_partial"] is True
    done = client.post(
        reverse("orga:event_import_apply", kwargs={"event": event.slug}),
        {"token": apply_form.initial["token"], "format": "", "timezone": "", "allow_partial": "True"},
    )
    assert done.status_code == 200, done.content.decode()
    assert Proposal.objects.filter(event=event).count() == 1


def test_sessions_outside_an_existing_events_days_are_imported_and_the_report_says_so(db):
    """They are placed where the file puts them (the editor lists them as errors): the report told
    nothing, and an organiser only learnt it from the editor."""
    event = factories.EventFactory(
        slug="days", timezone="Europe/Brussels", date_from=dt.date(2025, 3, 29), date_to=dt.date(2025, 3, 30)
    )
    data = b"title,start,duration,room\nInside,2025-03-29T12:00:00,60,Hall\nA week later,2025-04-05T12:00:00,60,Hall\n"

    report = import_program(data=data, event=event, by=None)

    assert Proposal.objects.filter(event=event).count() == 2
    assert (
        "Note: 1 session(s) of the file are outside the event's days (2025-03-29 to 2025-03-30), for "
        "example “A week later” at 2025-04-05 12:00: they are placed where the file puts them"
    ) in report.text
    inside_only = import_program(data=data.rsplit(b"\n", 2)[0] + b"\n", event=event, by=None)
    assert "outside the event's days" not in inside_only.text


WIDENED = b"""<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <conference><acronym>widened</acronym><title>Widened Conf</title><start>2025-07-10</start>
    <end>2025-07-11</end><time_zone_name>Europe/Lisbon</time_zone_name></conference>
  <day date="2025-07-10" index="1"><room name="Hall">
    <event id="1"><date>2025-07-10T09:00:00+01:00</date><start>09:00</start><duration>00:45</duration>
      <room>Hall</room><title>Keynote</title></event>
  </room></day>
  <day date="2025-09-10" index="2"><room name="Hall">
    <event id="2"><date>2025-09-10T10:00:00+01:00</date><start>10:00</start><duration>00:45</duration>
      <room>Hall</room><title>Mistyped month</title></event>
  </room></day>
</schedule>
"""


def test_a_new_events_days_widened_beyond_the_files_conference_days_are_reported(db):
    """The new event covers every session (two months of days here, for one mistyped date): the
    report said nothing of it, and an organiser met a two-month grid."""
    factories.OrganiserFactory()
    report = import_program(data=WIDENED, by=None)

    event = Event.objects.get(slug="widened")
    assert (event.date_from, event.date_to) == (dt.date(2025, 7, 10), dt.date(2025, 9, 10))
    assert (
        "Note: The file's conference days are 2025-07-10 to 2025-07-11, but 1 session(s) are on other "
        "days, for example “Mistyped month” on 2025-09-10: the new event's days were widened to "
        "2025-07-10 to 2025-09-10 to show them."
    ) in report.text
    within = WIDENED.replace(b"2025-09-10", b"2025-07-11").replace(b"acronym>widened", b"acronym>within")
    assert "widened" not in import_program(data=within, by=None).text


def test_an_acronym_that_makes_no_short_name_is_refused_naming_it(db):
    """A Chinese acronym slugifies to nothing: the refusal said the file names none."""
    factories.OrganiserFactory()
    data = WIDENED.replace(b"<acronym>widened</acronym>", "<acronym>中文大会</acronym>".encode())

    with pytest.raises(ImportRefused, match="The file's conference acronym “中文大会” makes no short name"):
        import_program(data=data, by=None)
    assert import_program(data=data, by=None, event_slug="zhongwen").event_slug == "zhongwen"
