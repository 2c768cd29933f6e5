"""A release's files: what is written, how (atomically, with a manifest, .gz and .br), how long they
are kept, and that writing again changes nothing."""

import gzip
import hashlib
import json
import os
import re
import time

import brotli
import pytest
from django.db import transaction

from podium.interop import exporters
from podium.interop.exporters import ical
from podium.schedule import services
from podium.site import fastpath, release_files
from tests.program import release

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_on")]


def _manifest(rendered) -> dict:
    return json.loads((rendered.path / "manifest.json").read_text())


def _releases_in(base) -> list[str]:
    """The release directories and `latest` (beside them, the fast path's state file, its lock and the
    links it keeps for nginx)."""
    kept = {"state.json", fastpath.SERVED, fastpath.SERVED_STATIC, fastpath.TODAY}
    return sorted(p.name for p in base.iterdir() if p.name not in kept and not p.name.startswith("."))


def test_writes_every_export_and_page_with_its_manifest(program):
    event, first = program["event"], program["release"]
    rendered = release_files.render_release(event, first)
    assert rendered.written
    assert rendered.path.parent == release_files.event_dir(event.slug)
    assert rendered.path.name == f"1-{rendered.digest}"
    files = _manifest(rendered)["files"]
    alpha, ada_code = program["alpha"].code, first.speakers.get(name="Ada Lovelace").code
    room = first.rooms[0]["uuid"]
    for name in (
        "schedule.xml",
        "schedule.json",
        "schedule.ics",
        f"room/{room}.ics",
        f"speaker/{ada_code}.ics",
        f"talk/{alpha}.ics",
        "pages/talks.html",
        "pages/speakers.html",
        f"pages/talk/{alpha}.html",
        f"pages/speaker/{ada_code}.html",
        f"pages/room/{room}/{first.sessions.order_by('day').first().day.isoformat()}.html",
    ):
        assert name in files, name
    days = sorted({s.day.isoformat() for s in first.sessions.all()})
    assert len(days) == 2
    for day in days:
        assert f"pages/schedule/{day}/grid.html" in files
        assert f"pages/schedule/{day}/list.html" in files
    assert files["schedule.xml"]["url"] == f"/{event.slug}/schedule/export/schedule.xml"
    # The manifest tells the truth about every file, and the exports are what the exporters make.
    for name, entry in files.items():
        content = (rendered.path / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert len(content) == entry["size"]
    assert (rendered.path / "schedule.xml").read_bytes() == exporters.render(first, "frab-xml").content
    assert (rendered.path / f"talk/{alpha}.ics").read_bytes() == exporters.render(
        first, "ical", talk_code=alpha
    ).content
    assert files["schedule.json"]["type"].startswith("application/json")
    assert files[f"pages/talk/{alpha}.html"]["type"] == "text/html; charset=utf-8"


def test_gz_and_br_decode_to_the_same_bytes(program):
    rendered = release_files.render_release(program["event"], program["release"])
    for name, entry in _manifest(rendered)["files"].items():
        content = (rendered.path / name).read_bytes()
        assert gzip.decompress((rendered.path / f"{name}.gz").read_bytes()) == content
        assert brotli.decompress((rendered.path / f"{name}.br").read_bytes()) == content
        assert entry["gz"] == (rendered.path / f"{name}.gz").stat().st_size


def test_pages_are_an_anonymous_visitors(program, client):
    event = program["event"]
    rendered = release_files.render_release(event, program["release"])
    page = (rendered.path / f"pages/talk/{program['alpha'].code}.html").read_text()
    assert "Alpha talk" in page
    assert not re.search(r'name="csrfmiddlewaretoken" value="[^"]', page)  # no visitor's token in it
    assert 'data-me-url="/' in page
    assert 'data-logged-in="0"' in page


def test_rendering_again_writes_nothing_and_gives_the_same_hash(program):
    event, first = program["event"], program["release"]
    one = release_files.render_release(event, first)
    stamp = (one.path / "schedule.xml").stat().st_mtime_ns
    two = release_files.render_release(event, first)
    assert not two.written
    assert two.path == one.path
    assert two.digest == one.digest
    assert (one.path / "schedule.xml").stat().st_mtime_ns == stamp
    assert _releases_in(release_files.event_dir(event.slug)) == sorted(["latest", one.path.name])


def test_writing_is_atomic_a_failed_render_leaves_nothing(program, monkeypatch):
    event, first = program["event"], program["release"]

    def broken(*args, **kwargs):
        yield release_files.Artefact("schedule.xml", b"<x/>", "application/xml", "/x")
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(release_files, "artefacts", broken)
    with pytest.raises(RuntimeError):
        release_files.render_release(event, first)
    assert list(release_files.event_dir(event.slug).iterdir()) == []
    assert release_files.release_dir(event.slug, first) is None


def test_latest_points_at_the_newest_release_and_old_ones_are_pruned(program, settings):
    settings.PODIUM_RELEASES_KEPT = 2
    event, scheduler = program["event"], program["scheduler"]
    base = release_files.event_dir(event.slug)
    written = [release_files.render_release(event, program["release"])]
    for number in (2, 3):
        newer = services.publish_release(event=event, by=scheduler, name=f"v{number}", force=True)
        written.append(release_files.render_release(event, newer))
        assert os.readlink(base / "latest") == written[-1].path.name
    names = _releases_in(base)
    assert names == sorted(["latest", written[1].path.name, written[2].path.name])
    # Rendering an older release again does not move `latest` back.
    release_files.render_release(event, event.releases.get(version=2))
    assert os.readlink(base / "latest") == written[2].path.name


def _spares(base) -> list[str]:
    return sorted(p.name for p in base.iterdir() if p.name.startswith(release_files.SPARE))


def _files_under(folder) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()
    }


def test_a_pruned_release_is_set_aside_and_a_later_render_writes_into_its_files(
    program, settings, monkeypatch
):
    """Past PODIUM_RELEASES_KEPT a release's directory is no longer served but kept as a spare; a render
    SPARE_AFTER later writes into its files (the same inodes: no file is created anew) and leaves exactly
    the files a render into an empty directory makes."""
    settings.PODIUM_RELEASES_KEPT = 1
    event, scheduler = program["event"], program["scheduler"]
    base = release_files.event_dir(event.slug)
    first = release_files.render_release(event, program["release"])
    inodes = {
        path.relative_to(first.path).as_posix(): path.stat().st_ino for path in first.path.rglob("*.html")
    }
    second_release = services.publish_release(event=event, by=scheduler, name="v2", force=True)
    second = release_files.render_release(event, second_release)
    assert not first.path.exists()
    [spare] = _spares(base)
    assert _releases_in(base) == sorted(["latest", second.path.name])
    # A stray file and folder in the spare (say, a talk withdrawn since) are not carried over.
    (base / spare / "pages" / "talk" / "GONE.html").write_text("withdrawn")
    (base / spare / "old" / "deep").mkdir(parents=True)
    (base / spare / "old" / "deep" / "x.ics").write_text("x")

    third_release = services.publish_release(event=event, by=scheduler, name="v3", force=True)
    young = release_files.render_release(event, third_release)  # the spare is too young to take
    assert young.written
    assert spare in _spares(base)
    assert not (young.path / "pages" / "talk" / "GONE.html").exists()

    monkeypatch.setattr(release_files, "SPARE_AFTER", 0.0)
    # A download of the pruned release's schedule.xml that began while it was served, still going.
    old_xml = (base / spare / "schedule.xml").read_bytes()
    download = (base / spare / "schedule.xml").open("rb")
    started = download.read(100)
    fourth_release = services.publish_release(event=event, by=scheduler, name="v4", force=True)
    fourth = release_files.render_release(event, fourth_release)
    assert spare not in _spares(base)
    assert started + download.read() == old_xml  # every byte of the old file, none of the new one
    assert os.fstat(download.fileno()).st_ino != (fourth.path / "schedule.xml").stat().st_ino
    download.close()
    reused = {
        name
        for name, inode in inodes.items()
        if (fourth.path / name).exists() and (fourth.path / name).stat().st_ino == inode
    }
    assert len(reused) == len(inodes)  # every page written over, none created anew
    assert not (fourth.path / "pages" / "talk" / "GONE.html").exists()
    assert not (fourth.path / "old").exists()
    # The same files as a render into an empty directory (the release rendered again elsewhere).
    settings.PODIUM_RELEASE_DIR = str(base.parent.parent / "elsewhere")
    fresh = release_files.render_release(event, fourth_release)
    assert fresh.digest == fourth.digest
    assert _files_under(fourth.path) == _files_under(fresh.path)
    manifest = _manifest(fourth)
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((fourth.path / name).read_bytes()).hexdigest() == entry["sha256"]


def test_a_file_written_over_holds_only_the_new_bytes(tmp_path):
    path = str(tmp_path / "page.html")
    release_files._write(path, b"a longer page of an older release")
    inode = os.stat(path).st_ino
    release_files._write(path, b"shorter")
    assert (tmp_path / "page.html").read_bytes() == b"shorter"
    release_files._write(path, b"now longer than before")
    assert (tmp_path / "page.html").read_bytes() == b"now longer than before"
    release_files._write(path, b"")
    assert (tmp_path / "page.html").read_bytes() == b""
    assert os.stat(path).st_ino == inode


def test_a_file_still_open_elsewhere_is_replaced_and_keeps_its_bytes_for_its_reader(tmp_path):
    path = tmp_path / "schedule.xml"
    release_files._write(str(path), b"<schedule>the release a phone is still downloading</schedule>")
    reader = path.open("rb")
    begun = reader.read(10)
    release_files._write(str(path), b"<schedule>the next one</schedule>")
    assert begun + reader.read() == b"<schedule>the release a phone is still downloading</schedule>"
    assert path.read_bytes() == b"<schedule>the next one</schedule>"
    assert os.fstat(reader.fileno()).st_ino != path.stat().st_ino
    reader.close()
    # Read by nobody now: written over in place.
    inode = path.stat().st_ino
    release_files._write(str(path), b"<schedule/>")
    assert path.read_bytes() == b"<schedule/>"
    assert path.stat().st_ino == inode


def test_without_leases_a_file_is_replaced_and_no_spare_is_taken(tmp_path, monkeypatch):
    """Where the file system grants no write lease (NFS), nobody's reading can be told apart: a file is
    never written over, and a spare is never taken (a new directory costs less than replacing each file)."""
    monkeypatch.setattr(release_files, "_alone", lambda descriptor: False)
    monkeypatch.setattr(release_files, "_LEASES", {})
    path = tmp_path / "page.html"
    release_files._write(str(path), b"an older page")
    os.link(path, tmp_path / "the old file")  # the file itself, whatever name it keeps
    release_files._write(str(path), b"new")
    assert path.read_bytes() == b"new"
    assert (tmp_path / "the old file").read_bytes() == b"an older page"
    spare = tmp_path / f"{release_files.SPARE}{time.time() - 7200:.3f}-1-1"
    (spare / "pages").mkdir(parents=True)
    assert release_files._claim_spare(tmp_path) is None
    assert spare.is_dir()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".lease-")] == []


def test_at_most_podium_release_spares_are_set_aside_and_unused_ones_are_removed(
    program, settings, monkeypatch
):
    settings.PODIUM_RELEASES_KEPT = 1
    settings.PODIUM_RELEASE_SPARES = 2
    event, scheduler = program["event"], program["scheduler"]
    base = release_files.event_dir(event.slug)
    release_files.render_release(event, program["release"])
    for number in range(2, 5):
        newer = services.publish_release(event=event, by=scheduler, name=f"v{number}", force=True)
        release_files.render_release(event, newer)
    assert len(_spares(base)) == 2
    assert len(_releases_in(base)) == 2  # latest and the one it names
    # Spares no render took for SPARE_LIFETIME go.
    monkeypatch.setattr(release_files, "SPARE_LIFETIME", -1.0)
    removed = release_files.prune(event.slug)
    assert _spares(base) == []
    assert len(removed) == 2
    # None kept: a release no longer served is removed at once.
    settings.PODIUM_RELEASE_SPARES = 0
    newer = services.publish_release(event=event, by=scheduler, name="v5", force=True)
    release_files.render_release(event, newer)
    assert _spares(base) == []
    assert len(_releases_in(base)) == 2


def test_rendering_a_release_whose_files_exist_returns_the_spare_it_took(program):
    event, first = program["event"], program["release"]
    base = release_files.event_dir(event.slug)
    one = release_files.render_release(event, first)
    spare = base / f"{release_files.SPARE}{time.time() - 3600:.3f}-1-1"
    (spare / "pages").mkdir(parents=True)
    (spare / "pages" / "old.html").write_text("old")
    two = release_files.render_release(event, first)  # takes the spare (an hour old)
    assert not two.written
    assert two.path == one.path
    [again] = _spares(base)
    assert again != spare.name
    assert (
        release_files._spare_since(again) <= time.time() - release_files.SPARE_AFTER
    )  # never served: free to take at once
    assert not [p for p in base.iterdir() if p.name.startswith(".tmp-")]


def test_a_spare_goes_to_one_render_and_stays_out_of_the_hourly_clean_up(tmp_path):
    """Two renders at once: the rename gives the spare to one of them. The directory it gets is new to
    prune's clean-up of temporary directories left by a render that died (an hour old)."""
    spare = tmp_path / f"{release_files.SPARE}{time.time() - 7200:.3f}-1-1"
    (spare / "pages").mkdir(parents=True)
    os.utime(spare, (time.time() - 7200, time.time() - 7200))
    (tmp_path / f"{release_files.SPARE}{time.time() - 7200:.3f}-1-2").write_text("not a directory")
    claimed = release_files._claim_spare(tmp_path)
    assert claimed is not None
    assert claimed.name.startswith(".tmp-")
    assert (claimed / "pages").is_dir()
    assert release_files._claim_spare(tmp_path) is None  # the other render makes a directory of its own
    assert time.time() - claimed.stat().st_mtime < 60


def test_two_files_of_one_name_fail_the_render_and_leave_nothing(program, monkeypatch):
    event, first = program["event"], program["release"]

    def twice(*args, **kwargs):
        yield release_files.Artefact("schedule.xml", b"<x/>", "application/xml", "/x")
        yield release_files.Artefact("schedule.xml", b"<y/>", "application/xml", "/y")

    monkeypatch.setattr(release_files, "artefacts", twice)
    with pytest.raises(ValueError, match=r"two release files are named schedule\.xml"):
        release_files.render_release(event, first)
    assert list(release_files.event_dir(event.slug).iterdir()) == []


def test_a_changed_rendering_of_a_release_replaces_the_old_directory(program, client):
    event, first = program["event"], program["release"]
    one = release_files.render_release(event, first)
    event.name = "Renamed Conference"
    event.save()
    two = release_files.render_release(event, first)
    assert two.written
    assert two.path != one.path
    assert not one.path.exists()
    assert release_files.release_dir(event.slug, first).path == two.path


def test_files_of_another_rendering_of_the_release_are_not_used(program):
    """Erasing a person rewrites the release and its fingerprint: the files from before are not served."""
    event, first = program["event"], program["release"]
    release_files.render_release(event, first)
    assert release_files.release_dir(event.slug, first) is not None
    first.fingerprint = "0" * 64
    assert release_files.release_dir(event.slug, first) is None


def test_publishing_writes_the_files_after_commit(event, scheduler, django_capture_on_commit_callbacks):
    from tests.program import at, placed_talk

    placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler)
    with django_capture_on_commit_callbacks(execute=True):
        published = release(event, scheduler)
    folder = release_files.release_dir(event.slug, published)
    assert folder is not None
    assert "schedule.xml" in folder.files


def test_nothing_is_written_when_release_files_are_off(event, scheduler, settings, files_on):
    from tests.program import at, placed_talk

    settings.PODIUM_RELEASE_FILES = False
    placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler)
    with transaction.atomic():
        release(event, scheduler)
    assert not files_on.exists()


def test_feeds_rendered_together_are_the_feeds_rendered_one_by_one(program):
    first = program["release"]
    feeds = [{"room_uuid": room["uuid"]} for room in first.rooms] + [
        {"talk_code": program["alpha"].code},
        {"speaker_code": first.speakers.first().code},
        {},
    ]
    together = ical.render_feeds(first, feeds)
    assert [export.content for export in together] == [ical.render(first, **feed).content for feed in feeds]


def test_prune_removes_temporary_directories_left_by_a_dead_render(program):
    base = release_files.event_dir(program["event"].slug)
    stale = base / ".tmp-dead"
    stale.mkdir(parents=True)
    os.utime(stale, (0, 0))
    assert release_files.prune(program["event"].slug) == [".tmp-dead"]
    assert not stale.exists()


def _with_seats_and_notes(program):
    """The alpha talk needs a seat and has notes shared under it (each changes what its pages show)."""
    from podium.attendance import services as attendance_services
    from podium.events.models import SessionType
    from tests import factories

    alpha = program["alpha"]
    SessionType.objects.filter(pk=alpha.session_type_id).update(requires_seat=True, seats=10)
    for name in ("Carol", "Dan"):
        attendance_services.save_note(
            proposal=alpha, by=factories.UserFactory(name=name), text=f"Notes by **{name}**", shared=True
        )


def test_every_page_file_is_the_page_its_view_serves(program, client, settings):
    """Pages are built from the release read once, not through each view's queries: the bytes are
    still the ones the view answers an anonymous visitor, for every kind of page."""
    _with_seats_and_notes(program)
    rendered = release_files.render_release(program["event"], program["release"])
    manifest = _manifest(rendered)
    settings.PODIUM_RELEASE_FILES = False
    settings.PODIUM_PAGE_CACHE = False
    kinds = set()
    for name, entry in manifest["files"].items():
        if not name.startswith(release_files.PAGES):
            continue
        kinds.add(name.split("/")[1])
        answer = client.get(entry["url"], HTTP_HOST=settings.BASE_URL.partition("://")[2])
        assert answer.status_code == 200, name
        assert answer.content == (rendered.path / name).read_bytes(), name
    assert kinds == {"schedule", "room", "talks.html", "speakers.html", "talk", "speaker", "widget"}
    alpha = (rendered.path / f"pages/talk/{program['alpha'].code}.html").read_text()
    assert "Notes by <strong>Carol</strong>" in alpha


def test_pages_are_rendered_in_a_bounded_number_of_queries(program):
    """The release is read once for all its pages: more talks and speakers add no queries (but the
    talk page's public tags, read by their template tag, one query per talk page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.program import at, placed_talk

    _with_seats_and_notes(program)
    event, scheduler = program["event"], program["scheduler"]
    for hour in range(11, 17):
        placed_talk(event, f"Talk at {hour}", "Room 101", at(event, hour, day=1), scheduler)
    bigger = release(event, scheduler, name="v2")
    with CaptureQueriesContext(connection) as queries:
        rendered = release_files.render_release(event, bigger)
    assert rendered.files > 40
    assert len([query for query in queries if '"proposals_tag"' not in query["sql"]]) <= 40


def test_each_session_card_is_rendered_once_per_render(program, monkeypatch):
    """The grid, the grid page's list, the list page and the room pages show the same session cards:
    a render renders each (with and without its room) once and gives its HTML again (site_once)."""
    from podium.site.templatetags import site_once

    asked, rendered = [], []
    render, fill = site_once.OnceNode.render, site_once.OnceNode._render

    def asking(node, context):
        if node.name == '"card"':
            asked.append(context["session"].pk)
        return render(node, context)

    def rendering(node, context, **push):
        if node.name == '"card"' and "request" in push:  # kept for the other pages
            rendered.append((context["session"].pk, context["show_room"]))
        return fill(node, context, **push)

    monkeypatch.setattr(site_once.OnceNode, "render", asking)
    monkeypatch.setattr(site_once.OnceNode, "_render", rendering)
    release_files.render_release(program["event"], program["release"])
    assert len(rendered) == len(set(rendered)) > 0
    assert len(asked) > 2 * len(rendered)  # every card on at least three pages


def test_collections_are_rarer_during_a_render_and_as_before_after(program, monkeypatch):
    import gc

    before = gc.get_threshold()
    seen = []
    artefacts = release_files.artefacts

    def watching(*args, **kwargs):
        seen.append((gc.get_threshold(), gc.get_freeze_count() > 0))
        return artefacts(*args, **kwargs)

    monkeypatch.setattr(release_files, "artefacts", watching)
    release_files.render_release(program["event"], program["release"])
    assert seen == [((before[0] * release_files.COLLECTION_SCALE, *before[1:]), True)]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
