"""Each release's public files, written once after it is published and served like static files.

A release never changes, so everything the public reads from it is rendered once into a directory
and served from there (by the views below, and by anything in front of Django that reads the same
layout: see docs/operations.md, "Release files"):

    <PODIUM_RELEASE_DIR>/<event slug>/<version>-<hash>/
        manifest.json                  every file: sha256, size, content type, its public URL
        schedule.xml  schedule.json  schedule.ics
        room/<uuid>.ics  speaker/<CODE>.ics  talk/<CODE>.ics
        pages/schedule/<day>/grid.html  pages/schedule/<day>/list.html
        pages/room/<uuid>/<day>.html   (the grid of one room's day)
        pages/talks.html  pages/speakers.html  pages/talk/<CODE>.html  pages/speaker/<CODE>.html
        … and beside every file the same bytes as <name>.gz and <name>.br
    <PODIUM_RELEASE_DIR>/<event slug>/latest -> <version>-<hash>   (a symlink, swapped atomically)

The schedule, talk and speaker pages are rendered by forked helper processes too, one per core
(_Helpers): the files are the same whoever renders them.

`<hash>` is made from the files' hashes, so rendering the same release again gives the same name and
writes nothing (`render_release` returns `written=False`). A directory is written under a temporary
name and renamed when complete; the `latest` link is replaced by a rename too. The last
PODIUM_RELEASES_KEPT releases of an event keep their directories; an older one is no longer served
and is set aside (`.spare-…`, at most PODIUM_RELEASE_SPARES) for a later render to write into, file
over file (see SPARE: creating 12,000 files can cost seconds where writing into them does not); a file
some process still reads is replaced instead (_write).

Pages are the anonymous visitor's page (no stars, no log-in state: stars.js asks `me.json` for those).
They also show what may change between releases (the information pages in the menu, the sponsors,
seats left, notes shared under a talk): the manifest records, per page, the page cache's variant it
was rendered with (pagecache.cached_page), and a view serves the file only while that still holds;
otherwise it renders the page as before and asks for the files to be written again.
"""

import fcntl
import gc
import gzip
import hashlib
import io
import json
import logging
import multiprocessing
import os
import pickle
import select
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.db import connections, transaction
from django.http import HttpResponse
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.cache import parse_etags
from django.utils.http import http_date

from podium.base import background
from podium.events.models import Event
from podium.schedule import changelog
from podium.schedule.models import Release, SlotKind

log = logging.getLogger(__name__)

#: Raised when the layout or the rendering changes, so directories from before are written again.
LAYOUT = 1
MANIFEST = "manifest.json"
PAGES = "pages/"  # the pages' folder in a release directory; the rest are exports
LATEST = "latest"
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
LATEST_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600"
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
#: A render asked for by a request (files missing or out of date) is asked for at most this often.
RENDER_DEBOUNCE_SECONDS = 300
HTML = "text/html; charset=utf-8"
SPARE = ".spare-"
# The directories of pruned releases set aside per event (settings.PODIUM_RELEASE_SPARES, 2 by default),
# for later renders to write into (_claim_spare) instead of creating every file anew. On ext4 without a
# journal, creating a file in the minutes after many were removed makes the kernel step over each
# recently freed inode (`recently_deleted` in fs/ext4/ialloc.c): a FOSDEM-size render's 12,000 new files
# cost 0.2 s of system time on a quiet disk and 2 to 6 s after a prune had removed as many
# (benchmarks/README.md, "Spare directories"). Writing into existing files allocates no inode. Two, so
# that releases published a minute apart find one old enough (SPARE_AFTER) and nothing is removed.
#: A set-aside directory is taken for a render only this long after it stopped being served. Safety does
#: not rest on it: a file some process still has open (a download of a pruned release's file) is never
#: written over, but replaced by a new file (_write).
SPARE_AFTER = 120.0
#: A spare no render took for this long is removed (an event that stopped publishing).
SPARE_LIFETIME = 86400.0


@dataclass(frozen=True)
class Rendered:
    """What `render_release` did: the directory, its hash, whether it was written now, how long it took."""

    path: Path
    digest: str
    written: bool
    files: int
    seconds: float


@dataclass(frozen=True)
class Artefact:
    name: str  # path inside the release directory
    content: bytes
    content_type: str
    url: str  # the public address (latest release) it answers
    #: pages: (request path, page-cache variant, context, whether logged-in visitors get it too)
    page: tuple[str, str, str, bool] | None = None


def files_language() -> str:
    """The language the pages are rendered in: LANGUAGE_CODE's, whatever the language of the request or
    thread that renders them (the exports are the same in every language)."""
    return settings.LANGUAGE_CODE


def language_of(manifest: dict) -> str:
    """The language a directory's pages are in (directories written before it was recorded: English)."""
    return manifest.get("language") or "en"


def serves_language(manifest: dict, language: str) -> bool:
    """Whether a visitor whose language (LocaleMiddleware's decision) is `language` may get this
    directory's pages: only in the language they were rendered in. Exports are for everyone."""
    return language_of(manifest) == language


def event_dir(slug: str) -> Path:
    return Path(settings.PODIUM_RELEASE_DIR) / slug


# --- Rendering -------------------------------------------------------------------------------------


#: Chosen by measuring FOSDEM 2025's 4,000 files (26 MB; benchmarks/README.md, "Release files"):
#: gzip 9 makes 8.66 MB in 0.7 s of CPU (6: 8.68 MB, 0.6 s); brotli 5 makes 7.74 MB in 1.0 s, where 6
#: saves 0.4 % more for 20 % more time, 9 takes 25 s and 11 (6.81 MB) minutes.
GZIP_LEVEL = 9
BROTLI_QUALITY = 5
#: Threads compressing and writing while the pages render (zlib and brotli let go of the GIL). One:
#: the helper processes (below) use the other cores, and a second thread only added switching
#: (FOSDEM 2025 on 2 cores, three pairs of renders: this process spent some 0.3 s less user and 0.4 s
#: less system CPU with one than with two).
COMPRESS_THREADS = 1
#: Processes rendering a release's files: this one and forked helpers for the schedule, talk and
#: speaker pages (_Helpers), one per core the process may use (at most 4); without fork, this one.
RENDER_PROCESSES = (
    min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    if hasattr(os, "fork")
    else 1
)
#: Fewer such pages than this are rendered here alone: a fork costs more than they do.
FORK_MIN_PAGES = 64
#: How many of those pages a process takes at a time.
BATCH = 8
#: During a render the garbage collector runs this many times less often (_fewer_collections).
COLLECTION_SCALE = 20
#: How long the helpers may take, all together, before they are ended and their pages rendered here
#: (a fork that hangs, say on a lock another thread held at the fork, never blocks a render).
HELPER_DEADLINE = 300.0


_collector_lock = threading.Lock()
_collector_renders = 0  # renders running in this process
_collector_thresholds = gc.get_threshold()


@contextmanager
def _fewer_collections():
    """While a render runs: the objects alive when it starts, and when it forks its helpers, are set
    aside from the garbage collector (gc.freeze: no collection scans them again, and a helper does
    not copy its parent's memory by marking them), and collections come COLLECTION_SCALE times less
    often. Rendering a FOSDEM-size release makes millions of short-lived objects, nearly all freed
    by their reference counts, and the collections scanning the whole heap over and over were some
    7 % of its CPU. Undone when the last render running in the process ends."""
    global _collector_renders, _collector_thresholds
    with _collector_lock:
        if _collector_renders == 0:
            _collector_thresholds = gc.get_threshold()
            gc.freeze()
            first, *others = _collector_thresholds
            gc.set_threshold(first * COLLECTION_SCALE, *others)
        _collector_renders += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_renders -= 1
            if _collector_renders == 0:
                gc.set_threshold(*_collector_thresholds)
                gc.unfreeze()


def _compress(content: bytes) -> tuple[bytes, bytes]:
    """(gzip, brotli) of `content`; gzip without a time stamp so the same bytes give the same file."""
    return (
        gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0),
        brotli.compress(content, quality=BROTLI_QUALITY),
    )


def _exports(release: Release) -> Iterator[Artefact]:
    # The exporters (iCal, lxml) are loaded by the first render, not by every process that starts (the
    # site's app loads this module): a `podium` command starts without them.
    from podium.interop import exporters
    from podium.interop.exporters import ical

    slug = release.event.slug
    for name, fmt, url in (
        ("schedule.xml", "frab-xml", "site:export_xml"),
        ("schedule.json", "frab-json", "site:export_json"),
    ):
        export = exporters.render(release, fmt)
        yield Artefact(name, export.content, export.content_type, reverse(url, kwargs={"event": slug}))
    talks = list(release.sessions.filter(kind=SlotKind.SESSION).values_list("code", flat=True).distinct())
    talks += [
        c["code"] for c in release.changes if c["kind"] == changelog.CANCELLED and c["code"] not in talks
    ]
    speakers = list(release.speakers.values_list("code", flat=True))
    feeds = (
        [("schedule.ics", {}, "site:export_ics", None, None)]  # the whole event's feed (ical.render)
        + [(f"room/{room['uuid']}.ics", {"room_uuid": room["uuid"]}, "site:export_room_ics", "room", room["uuid"])
         for room in release.rooms]
        + [(f"speaker/{code}.ics", {"speaker_code": code}, "site:export_speaker_ics", "speaker", code)
           for code in speakers]
        + [(f"talk/{code}.ics", {"talk_code": code}, "site:export_talk_ics", "code", code) for code in talks]
    )  # fmt: skip
    rendered = ical.render_feeds(release, [feed for _name, feed, *_ in feeds])
    for (name, _feed, url, key, value), export in zip(feeds, rendered, strict=True):
        kwargs = {"event": slug} | ({key: value} if key else {})
        yield Artefact(name, export.content, export.content_type, reverse(url, kwargs=kwargs))


def _request(path: str, query: dict | None = None, *, data=None, context: str | None = None) -> WSGIRequest:
    """An anonymous GET of `path` as a visitor would send it (host and scheme of PODIUM_BASE_URL);
    with the release's `data` (program_data) its sponsors, and the pages' `context` (what every page
    shows besides the release, pagecache._file_context), read once for all pages."""
    scheme, _, host = settings.BASE_URL.partition("://")
    host = host.split("/")[0]
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": urlencode(query or {}),
            "HTTP_HOST": host,
            "SERVER_NAME": host.split(":")[0],
            "SERVER_PORT": host.partition(":")[2] or ("443" if scheme == "https" else "80"),
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(b""),
        }
    )
    request.user = AnonymousUser()
    # pagecache.cached_page renders and tells how the page is keyed, and serves no file.
    request.podium_render_capture = {} if context is None else {"context": context}
    if data is not None:  # views.common.event_sponsors: read once per request, here once per render
        request._podium_sponsors = {data.event.pk: data.sponsors}
        request.podium_urls = data.urls  # templatetags.site_urls: each address reversed once per render
        request.podium_fragments = data.fragments  # templatetags.site_once: each fragment rendered once
    return request


def _page(
    name: str, path: str, query: dict | None = None, *, build=None, data=None, context: str | None = None
) -> Artefact | None:
    """The anonymous page at `path` (with `query`): `build(request)` (the view's page function given
    the release's data), or else the view itself; None unless it answers 200."""
    request = _request(path, query, data=data, context=context)
    match = resolve(path)
    request.resolver_match = match
    with translation.override(files_language()):  # the language the manifest says (serves_language)
        response = match.func(request, *match.args, **match.kwargs) if build is None else build(request)
    capture = request.podium_render_capture
    if response.status_code != 200 or "variant" not in capture:
        return None
    url = path + (f"?{urlencode(query)}" if query else "")
    page = (path, capture["variant"], capture["context"], capture.get("members", False))
    return Artefact(name, response.content, response["Content-Type"], url, page)


@dataclass(frozen=True)
class _PageJobs:
    """The anonymous pages to render, each a call giving its Artefact (None unless it answers 200)."""

    here: list[Callable[[], Artefact | None]]  # the lists of talks and speakers: they query
    anywhere: list[Callable[[], Artefact | None]]  # schedule, talk and speaker pages: `data` alone


def _page_jobs(event: Event, release: Release) -> _PageJobs:
    """The anonymous pages, each built by its view's page function (views.schedule.schedule_page,
    views.program.talk_page, …) from the release's program read once (program_data), instead of
    through the view and its queries page by page."""
    from podium.site import pagecache, program_data
    from podium.site.templatetags import site_proposal_tags
    from podium.site.views import program, schedule

    data = program_data.load(event, release)
    common = {"data": data, "context": pagecache._file_context(event, pagecache._menu(event))}
    slug = event.slug
    schedule_path = reverse("site:schedule", kwargs={"event": slug})

    def schedule_page(request):
        return schedule.schedule_page(request, event, release, data=data)

    anywhere = []
    for day in data.days:
        for view in ("grid", "list"):
            query = {"day": day.isoformat()} | ({"view": view} if view != "grid" else {})
            name = f"pages/schedule/{day.isoformat()}/{view}.html"
            anywhere.append(partial(_page, name, schedule_path, query, build=schedule_page, **common))
        for room in release.rooms:
            query = {"day": day.isoformat(), "room": room["uuid"]}
            name = f"pages/room/{room['uuid']}/{day.isoformat()}.html"
            anywhere.append(partial(_page, name, schedule_path, query, build=schedule_page, **common))
    here = [
        partial(
            _page,
            "pages/talks.html",
            reverse("site:talks", kwargs={"event": slug}),
            build=lambda request: program.talks_page(request, event, release),
            **common,
        ),
        partial(
            _page,
            "pages/speakers.html",
            reverse("site:speakers", kwargs={"event": slug}),
            build=lambda request: program.speakers_page(request, event, release),
            **common,
        ),
    ]
    for code in dict.fromkeys(s.code for s in data.sessions if s.kind == SlotKind.SESSION):
        anywhere.append(
            partial(
                _page,
                f"pages/talk/{code}.html",
                reverse("site:talk", kwargs={"event": slug, "code": code}),
                build=lambda request, code=code: program.talk_page(request, event, release, code, data=data),
                **common,
            )
        )
    for code in data.speakers:
        anywhere.append(
            partial(
                _page,
                f"pages/speaker/{code}.html",
                reverse("site:speaker", kwargs={"event": slug, "speaker": code}),
                build=lambda request, code=code: program.speaker_page(
                    request, event, release, code, data=data
                ),
                **common,
            )
        )
    # What those pages read besides `data`, read here once: they may render in a helper process,
    # which asks no database (_Helpers).
    site_proposal_tags.talk_public_tags(event, "")
    for person in data.speakers.values():
        data.photo_url(person)
    return _PageJobs(here, anywhere)


def _pages(event: Event, release: Release) -> Iterator[Artefact | None]:
    """The anonymous pages (None for one that does not answer 200), rendered here one by one."""
    jobs = _page_jobs(event, release)
    for job in jobs.here + jobs.anywhere:
        yield job()


def _widget(event: Event, release: Release) -> Iterator[Artefact]:
    """The embeddable widget (views.widget): its iframe page, the script and the JSON it reads."""
    from podium.site.views import widget

    for name, content, content_type, url in (
        (widget.PAGE, widget.render_page(event, release), HTML, "site:widget"),
        (widget.DATA, widget.render_data(event, release), widget.JSON_TYPE, "site:widget_data"),
        (widget.SCRIPT, widget.render_script(), widget.SCRIPT_TYPE, "site:widget_script"),
    ):
        yield Artefact(name, content, content_type, reverse(url, kwargs={"event": event.slug}))


@dataclass(frozen=True)
class Written:
    """A file a helper process wrote (_Helpers): its name, manifest entry and page (as Artefact's)."""

    name: str
    entry: dict
    page: tuple[str, str, str, bool] | None


def artefacts(event: Event, release: Release, folder: Path | None = None) -> Iterator[Artefact | Written]:
    """Every public file of `release`: the exports, the anonymous pages, the widget. Given the
    `folder` they go to, helper processes (forked here, before the caller starts any thread) render
    and write most pages into it themselves while this one renders the rest: those come last, as
    `Written`."""
    jobs = _page_jobs(event, release)
    helpers = None
    if folder is not None and RENDER_PROCESSES > 1 and len(jobs.anywhere) >= FORK_MIN_PAGES:
        if _collector_renders:  # the program just read, too (_fewer_collections)
            gc.freeze()
        helpers = _Helpers(folder, jobs.anywhere, RENDER_PROCESSES)
    return _artefacts(event, release, jobs, helpers, folder)


def _artefacts(event, release, jobs: _PageJobs, helpers, folder) -> Iterator[Artefact | Written]:
    try:
        yield from _exports(release)
        pages = jobs.here + (jobs.anywhere if helpers is None else [])
        yield from (page for page in (job() for job in pages) if page is not None)
        yield from _widget(event, release)
        if helpers is None:
            return
        yield from (page for page in (job() for job in helpers.mine()) if page is not None)
        left = helpers.join()
        if helpers.errors:
            log.warning("release files: %s pages rendered here instead: %s", len(left), helpers.errors)
        for job in left:
            page = job()
            if page is not None:  # a helper that died may have written it: written again
                for suffix in ("", ".gz", ".br"):
                    (folder / (page.name + suffix)).unlink(missing_ok=True)
                yield page
        yield from (Written(*stored) for stored in helpers.stored)
    finally:  # stopped early (a failure): no helper goes on writing
        if helpers is not None:
            helpers.stop()


def _write(path: str, content: bytes) -> None:
    """A file holding `content`: open, write, close (no buffering). A file of a spare directory is
    written over and then cut to length, never emptied first: ext4 flushes a file emptied and written
    again when it is closed (its auto_da_alloc), which made rewriting a spare slower than creating.
    A file that another open file still reads (a download that began while its release was served) is
    not written over: it is unlinked, so the reader keeps every old byte, and created anew."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        size = os.fstat(descriptor).st_size
        if size and not _alone(descriptor):
            os.close(descriptor)
            descriptor = -1
            os.unlink(path)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
            size = 0
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
        if size > len(content):
            os.ftruncate(descriptor, len(content))
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _alone(descriptor: int) -> bool:
    """Whether `descriptor` is the only open file of its file, in any process of this machine: Linux grants
    a write lease only then (fcntl(2), F_SETLEASE). The lease is held until the descriptor is closed: a
    process that opens the file meanwhile waits for that, and the break is signalled with SIGURG, which
    is ignored unless handled. False where leases are refused (not the file's owner; a file system
    without them, such as NFS; a system other than Linux: _leases_work keeps spares from being taken
    there)."""
    if not hasattr(fcntl, "F_SETLEASE"):
        return False
    try:
        fcntl.fcntl(descriptor, fcntl.F_SETSIG, signal.SIGURG)
        fcntl.fcntl(descriptor, fcntl.F_SETLEASE, fcntl.F_WRLCK)
    except OSError:
        return False
    return True


_LEASES: dict[int, bool] = {}


def _leases_work(base: Path) -> bool:
    """Whether the file system of `base` grants write leases (_alone), asked once per process and device."""
    device = base.stat().st_dev
    if device not in _LEASES:
        probe = base / f".lease-{os.getpid()}-{time.monotonic_ns()}"
        try:
            descriptor = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            try:
                _LEASES[device] = _alone(descriptor)
            finally:
                os.close(descriptor)
        finally:
            with suppress(FileNotFoundError):
                os.unlink(probe)
    return _LEASES[device]


def _store(folder: Path, item: Artefact) -> dict:
    """Compress `item` and write it with its .gz and .br (run in a thread: hashing, zlib, brotli and
    writing let go of the GIL); its manifest entry."""
    gz, br = _compress(item.content)
    target = str(folder / item.name)
    _write(target, item.content)
    _write(target + ".gz", gz)
    _write(target + ".br", br)
    return {
        "sha256": hashlib.sha256(item.content).hexdigest(),
        "size": len(item.content),
        "type": item.content_type,
        "url": item.url,
        "gz": len(gz),
        "br": len(br),
    }


def _submit(pool: ThreadPoolExecutor, folder: Path, item: Artefact) -> Future:
    """`_store` on the pool, or here when the interpreter is exiting: a command that published a
    release waits for its background render at exit, when no new thread may start."""
    try:
        return pool.submit(_store, folder, item)
    except RuntimeError:
        done: Future = Future()
        done.set_result(_store(folder, item))
        return done


def _no_queries(execute, sql, params, many, context):
    raise RuntimeError(f"a helper process asked the database: {sql[:200]}")


class _Helpers:
    """Forked processes rendering, compressing and writing the schedule, talk and speaker pages while
    this one renders the rest (the exports, the lists of talks and speakers), then helps them: every process takes the next few pages (BATCH) when it is
    free. A fork starts with the release's program read and the templates loaded; it asks neither the
    database nor the cache (a query is refused) and reports, through a pipe, the pages it finished
    and each file's manifest entry. The pages no helper finished (one failed, or died) are rendered
    here afterwards, so the files are the same whoever rendered them."""

    def __init__(self, folder: Path, jobs: list[Callable[[], Artefact | None]], processes: int):
        self.jobs = jobs
        self.stored: list[tuple[str, dict, tuple | None]] = []  # (name, manifest entry, page)
        self.errors: list[str] = []
        self._next = multiprocessing.get_context("fork").Value("q", 0)
        self._claimed: set[int] = set()  # by this process
        self._children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        for _ in range(processes - 1):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                self._help(folder, write)  # never returns
            os.close(write)
            self._children.append((pid, read))

    def _claim(self) -> Iterator[int]:
        lock = self._next.get_lock()
        while True:
            if not lock.acquire(timeout=HELPER_DEADLINE):  # a helper ended holding it: join renders the rest
                return
            try:
                start = self._next.value
                self._next.value = start + BATCH
            finally:
                lock.release()
            if start >= len(self.jobs):
                return
            yield from range(start, min(start + BATCH, len(self.jobs)))

    def _help(self, folder: Path, write: int) -> None:
        """The helper process: render what it claims until none is left, report, exit."""
        done, error = [], None
        try:
            for number in (signal.SIGTERM, signal.SIGINT):  # stopped with the server, not its handlers
                signal.signal(number, signal.SIG_DFL)
            with ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(_no_queries))
                for index in self._claim():
                    item = self.jobs[index]()
                    if item is not None:
                        (folder / item.name).parent.mkdir(parents=True, exist_ok=True)
                        self.stored.append((item.name, _store(folder, item), item.page))
                    done.append(index)
        except BaseException as exc:  # reported: the parent renders what is left
            error = f"{type(exc).__name__}: {exc}"
        try:
            with os.fdopen(write, "wb") as pipe:
                pipe.write(pickle.dumps((done, self.stored, error)))
        finally:
            os._exit(0)

    def mine(self) -> Iterator[Callable[[], Artefact | None]]:
        """The pages this process takes, while any is left."""
        for index in self._claim():
            self._claimed.add(index)
            yield self.jobs[index]

    def join(self) -> list[Callable[[], Artefact | None]]:
        """Wait for the helpers, keep what they wrote; the pages none finished (to render here)."""
        finished = set(self._claimed)
        deadline = time.monotonic() + HELPER_DEADLINE
        for pid, read in self._children:
            payload = _read_until(read, deadline)
            os.close(read)
            if payload is None:  # still working after the deadline: ended, its pages rendered here
                os.kill(pid, signal.SIGKILL)
                payload = b""
            os.waitpid(pid, 0)
            try:
                done, stored, error = pickle.loads(payload)  # noqa: S301  our own child's
            except Exception:  # a helper that died mid-way
                done, stored, error = [], [], "the helper process ended without a report"
            finished.update(done)
            self.stored.extend(stored)
            if error:
                self.errors.append(error)
        self._children = []
        return [job for index, job in enumerate(self.jobs) if index not in finished]

    def stop(self) -> None:
        """After a failure here: end the helpers (their files go with the temporary directory)."""
        for pid, read in self._children:
            os.kill(pid, signal.SIGKILL)
            os.close(read)
            os.waitpid(pid, 0)
        self._children = []


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything a helper writes to its pipe until it closes it; None if the deadline comes first."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def render_release(event: Event, release: Release) -> Rendered:
    """Write every public file of `release` (and its .gz and .br) into its directory, atomically.

    Nothing is rewritten when a directory with the same content exists; `latest` points at the new
    directory when `release` is the event's latest release; older releases beyond
    PODIUM_RELEASES_KEPT lose their directories. Safe to run again and from several processes.
    """
    with _fewer_collections():
        return _render_release(event, release)


def _render_release(event: Event, release: Release) -> Rendered:
    started = time.monotonic()
    release.event = event
    base = event_dir(event.slug)
    base.mkdir(parents=True, exist_ok=True)
    temporary = _claim_spare(base)
    recycled = temporary is not None
    if temporary is None:
        temporary = Path(tempfile.mkdtemp(prefix=".tmp-", dir=base))
    done = False
    try:
        pages: dict[str, dict[str, str]] = {}
        members = []
        contexts = set()
        stored: dict[str, Future] = {}
        folders = {temporary}
        items = artefacts(event, release, temporary)  # forks the helper processes, if any
        # The pages render in this thread while another compresses and writes the ones rendered before.
        pool = ThreadPoolExecutor(max_workers=COMPRESS_THREADS, thread_name_prefix="release-files")
        failed = True
        try:
            for item in items:
                if item.name in stored or item.name == MANIFEST:
                    raise ValueError(f"two release files are named {item.name}")
                if isinstance(item, Written):
                    stored[item.name] = Future()
                    stored[item.name].set_result(item.entry)
                else:
                    folder = (temporary / item.name).parent
                    if folder not in folders:
                        folder.mkdir(parents=True, exist_ok=True)
                        folders.add(folder)
                    stored[item.name] = _submit(pool, temporary, item)
                if item.page is not None:
                    path, variant, context, shared = item.page
                    pages.setdefault(path, {})[variant + context] = item.name
                    contexts.add(context)
                    if shared:
                        members.append(item.name)
            failed = False
        finally:  # on a failure nothing more is written; either way no thread writes after this
            items.close()
            pool.shutdown(wait=True, cancel_futures=failed)
        files = {name: future.result() for name, future in stored.items()}
        if recycled:  # what the spare held and this release has not: removed
            _remove_others(temporary, {f"{name}{suffix}" for name in files for suffix in ("", ".gz", ".br")})
        digest = hashlib.sha256(
            json.dumps({name: entry["sha256"] for name, entry in files.items()}, sort_keys=True).encode()
        ).hexdigest()[:16]
        manifest = {
            "layout": LAYOUT,
            "event": event.slug,
            "event_id": event.pk,
            "release": release.version,
            "release_id": release.pk,
            "fingerprint": release.fingerprint,
            "published_at": release.published_at.isoformat(),
            "files": files,
            "pages": pages,
            # The pages' language: served only to visitors of this language (serves_language).
            "language": files_language(),
            # The pages Django gives logged-in visitors too (their own part comes from me.json).
            "members": sorted(members),
            # What every page shows besides the release when it was written (pagecache.cached_page).
            "context": contexts.pop() if len(contexts) == 1 else None,
        }
        (temporary / MANIFEST).write_text(json.dumps(manifest, sort_keys=True, indent=0))
        os.chmod(temporary, 0o755)  # noqa: S103  mkdtemp makes it private; the files are public
        final = base / f"{release.version}-{digest}"
        written = not final.exists()
        if written:
            try:
                os.rename(temporary, final)
            except OSError:  # another process wrote the same directory first
                written = False
        done = True
    finally:
        if temporary.exists():
            if done:  # the same files were there already: never served, so a spare to take at once
                _set_aside(base, temporary, since=time.time() - SPARE_AFTER)
            else:  # failed part-way
                shutil.rmtree(temporary, ignore_errors=True)
    if _is_latest(event, release):
        _point_latest(base, final.name)
    prune(event.slug)
    _after_render(event)
    return Rendered(final, digest, written, len(files), time.monotonic() - started)


def _is_latest(event: Event, release: Release) -> bool:
    newest = event.releases.order_by("-version").values_list("version", flat=True).first()
    return newest == release.version


def _point_latest(base: Path, name: str) -> None:
    link = base / LATEST
    if link.is_symlink() and os.readlink(link) == name:
        return
    temporary = base / f".latest-{os.getpid()}-{time.monotonic_ns()}"
    os.symlink(name, temporary)
    os.replace(temporary, link)


def _version_of(name: str) -> int | None:
    head, _, _digest = name.partition("-")
    return int(head) if head.isdigit() else None


def _spare_since(name: str) -> float | None:
    """When the spare directory `name` stopped being served (its name says), or None if not a spare."""
    if not name.startswith(SPARE):
        return None
    try:
        return float(name[len(SPARE) :].split("-")[0])
    except ValueError:
        return None


def _set_aside(base: Path, folder: Path, *, since: float) -> str:
    """Make `folder` (no longer served since `since`) a spare for a later render, or remove it when
    PODIUM_RELEASE_SPARES are set aside already. Returns the name it was given (or had, if removed)."""
    spares = sum(1 for entry in base.iterdir() if _spare_since(entry.name) is not None)
    if spares < settings.PODIUM_RELEASE_SPARES:
        name = f"{SPARE}{since:.3f}-{os.getpid()}-{time.monotonic_ns()}"
        try:
            os.rename(folder, base / name)
            return name
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)
    return folder.name


def _claim_spare(base: Path) -> Path | None:
    """The oldest spare directory of `base` served by nobody for SPARE_AFTER, renamed to a temporary
    name for this render alone (a rename only one process wins), or None. None where the file system
    grants no leases: there a file still being read could not be told apart (_write)."""
    now = time.time()
    spares = sorted(
        (since, entry)
        for entry in base.iterdir()
        if (since := _spare_since(entry.name)) is not None and entry.is_dir() and not entry.is_symlink()
    )
    for since, entry in spares:
        if now - since < SPARE_AFTER or not _leases_work(base):
            break
        claimed = base / f".tmp-{os.getpid()}-{time.monotonic_ns()}"
        try:
            os.rename(entry, claimed)
        except OSError:  # another render took it
            continue
        os.utime(claimed)  # a fresh temporary directory for prune's hour
        return claimed
    return None


def _remove_others(folder: Path, names: set[str]) -> None:
    """Remove every file under `folder` not in `names` (paths relative to it), and emptied folders."""
    for root, folders, files in os.walk(folder, topdown=False):
        relative = os.path.relpath(root, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for file in files:
            if prefix + file not in names:
                os.unlink(os.path.join(root, file))
        for sub in folders:
            with suppress(OSError):  # not empty
                os.rmdir(os.path.join(root, sub))


def prune(slug: str, keep: int | None = None) -> list[str]:
    """Take out of service the directories of all but the `keep` newest releases
    (PODIUM_RELEASES_KEPT) and the superseded directories of a kept release (all but the one `latest`
    names or the newest): each is set aside as a spare for a later render (_set_aside) or removed.
    Remove temporary directories left by a render that died, and spares unused for SPARE_LIFETIME.
    Returns the names of the directories taken out of service or removed."""
    keep = keep or settings.PODIUM_RELEASES_KEPT
    base = event_dir(slug)
    if not base.is_dir():
        return []
    latest = os.readlink(base / LATEST) if (base / LATEST).is_symlink() else None
    by_version: dict[int, list[Path]] = {}
    removed = []
    now = time.time()
    for entry in base.iterdir():
        since = _spare_since(entry.name)
        if (entry.name.startswith(".tmp-") and now - entry.stat().st_mtime > 3600) or (
            since is not None and now - since > SPARE_LIFETIME
        ):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
            continue
        version = _version_of(entry.name)
        if version is not None and entry.is_dir() and not entry.is_symlink():
            by_version.setdefault(version, []).append(entry)
    kept_versions = sorted(by_version, reverse=True)[:keep]
    for version, folders in by_version.items():
        folders.sort(key=lambda folder: (folder.name == latest, folder.stat().st_mtime), reverse=True)
        doomed = folders if version not in kept_versions else folders[1:]
        for folder in doomed:
            if folder.name == latest:
                continue
            _set_aside(base, folder, since=now)
            removed.append(folder.name)
    return sorted(removed)


# --- After publishing ------------------------------------------------------------------------------


def render_by_id(release_id: int) -> Rendered | None:
    """Render a release given its id (the job the worker or a background thread runs)."""
    release = Release.objects.select_related("event").filter(pk=release_id).first()
    if release is None:
        return None
    rendered = render_release(release.event, release)
    log.info(
        "release files of %s v%s: %s files in %.2f s (%s)",
        release.event.slug,
        release.version,
        rendered.files,
        rendered.seconds,
        "written" if rendered.written else "unchanged",
    )
    return rendered


def schedule_render(release: Release) -> None:
    """Have the release's files written soon: the worker with a broker, a background thread without."""
    if not settings.PODIUM_RELEASE_FILES:
        return
    release_id = release.pk
    if settings.CELERY_TASK_ALWAYS_EAGER:
        background.submit("release-files", render_by_id, release_id)
        return
    from podium.site.tasks import render_release_files

    try:
        render_release_files.delay(release_id=release_id)
    except Exception as exc:  # broker unreachable: the next request for a missing file asks again
        log.warning("could not hand release %s to the worker: %s", release_id, exc)


def on_release_published(sender, *, release: Release, **kwargs) -> dict:
    """Receiver of `schedule.signals.release_published`: write the files once the release is committed."""
    if settings.PODIUM_RELEASE_FILES:
        transaction.on_commit(lambda: schedule_render(release))
    return {}


def _ask_render(release: Release) -> None:
    """A request found the files missing or out of date: render, at most once per few minutes."""
    if settings.PODIUM_RELEASE_FILES and cache.add(
        f"podium:release-files:asked:{release.pk}", True, RENDER_DEBOUNCE_SECONDS
    ):
        schedule_render(release)


# --- Serving ---------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _manifest(path: str) -> dict | None:
    """A directory's manifest, read once per process: a directory never changes once renamed into place."""
    try:
        return json.loads((Path(path) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class ReleaseDir:
    path: Path
    manifest: dict

    @property
    def files(self) -> dict:
        return self.manifest["files"]


def release_dir(slug: str, release: Release) -> ReleaseDir | None:
    """The files of `release` (the one `latest` names when it is this release), or None when none are
    written or they are of another rendering of the release (a person's data erased since, say)."""
    if not settings.PODIUM_RELEASE_FILES:
        return None
    base = event_dir(slug)
    prefix = f"{release.version}-"
    try:
        latest = os.readlink(base / LATEST)
    except OSError:
        latest = ""
    candidates = [latest] if latest.startswith(prefix) else []
    if not candidates:
        try:
            candidates = sorted((e.name for e in os.scandir(base) if e.name.startswith(prefix)), reverse=True)
        except OSError:
            candidates = []
    for name in candidates:
        manifest = _manifest(str(base / name))
        if (
            manifest is not None
            and manifest.get("layout") == LAYOUT
            and manifest.get("release_id") == release.pk
            and manifest.get("fingerprint") == release.fingerprint
        ):
            return ReleaseDir(base / name, manifest)
    return None


def _accepted(request) -> set[str]:
    """The encodings the client accepts (q > 0) among those stored."""
    accepted = set()
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if float(quality) > 0:
                accepted.add(coding.strip().lower())
        except ValueError:
            continue
    return accepted


def file_response(
    request, folder: ReleaseDir, name: str, *, immutable: bool = False, cors: bool = False
) -> HttpResponse | None:
    """The stored file `name` as the answer (br or gzip when accepted, 304 when the client has it), or
    None when the directory has no such file (or it went away: the caller renders as before)."""
    entry = folder.files.get(name)
    if entry is None:
        return None
    etag = f'"{entry["sha256"][:32]}"'
    accepted = _accepted(request)
    encoding, suffix = next(
        ((coding, suffix) for coding, suffix in ENCODINGS if coding in accepted), ("", "")
    )
    headers = {
        "ETag": etag,
        "Cache-Control": IMMUTABLE_CACHE_CONTROL if immutable else LATEST_CACHE_CONTROL,
        # Pages are given to visitors of their language alone (LocaleMiddleware would add the same).
        "Vary": "Accept-Encoding, Accept-Language",
        "Content-Language": language_of(folder.manifest),
    }
    if cors:
        headers["Access-Control-Allow-Origin"] = "*"
    if "published_at" in folder.manifest:
        headers["Last-Modified"] = http_date(
            datetime.fromisoformat(folder.manifest["published_at"]).timestamp()
        )
    matches = parse_etags(request.headers.get("If-None-Match", ""))
    if "*" in matches or etag in matches or f"W/{etag}" in matches:
        response = HttpResponse(status=304)
        for key, value in headers.items():
            response[key] = value
        return response
    try:
        if request.method == "HEAD":
            size = (folder.path / (name + suffix)).stat().st_size
            content = b""
        else:
            content = (folder.path / (name + suffix)).read_bytes()
            size = len(content)
    except OSError:
        return None
    response = HttpResponse(content, content_type=entry["type"])
    for key, value in headers.items():
        response[key] = value
    if encoding:
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(size)
    return response


def serve_export(request, release: Release, name: str, *, immutable: bool = False) -> HttpResponse | None:
    """An export of `release` from its files, or None (and the files are asked for) when they are missing."""
    folder = release_dir(release.event.slug, release)
    if folder is None:
        _ask_render(release)
        return None
    return file_response(request, folder, name, immutable=immutable, cors=True)


def serve_page(request, event: Event, release: Release, variant: str, context: str) -> HttpResponse | None:
    """The stored page for this request path and page-cache variant, or None: no file for it (a
    filtered page, a talk whose seats or shared notes changed since), the visitor's language is not
    the pages' (`serves_language`), or what every page shows
    besides the release (`context`: the menu's information pages, the sponsors) changed since the
    files were written, and then they are asked for again."""
    folder = release_dir(event.slug, release)
    if folder is None:
        _ask_render(release)
        return None
    if not serves_language(folder.manifest, translation.get_language()):
        return None  # the visitor reads another language: rendered for them
    name = folder.manifest.get("pages", {}).get(request.path, {}).get(variant + context)
    if name is None:
        if folder.manifest.get("context") != context:
            _ask_render(release)
        return None
    return file_response(request, folder, name)


# --- What a server in front may serve (site/fastpath.py) -------------------------------------------


def _after_render(event: Event) -> None:
    """Once files are written: `latest` and the event's state file say again what the database says (a
    release published, an event hidden or a person erased while these files were being written)."""
    from podium.site import fastpath

    fastpath.sync(event.pk)
