"""The fast path: a release's files answered straight from disk, in front of Django.

`podium serve` runs `FastPath(django_application)` (podium/asgi.py). For a GET or HEAD of an address a
release file answers (podium.site.release_files: the exports of the latest release, the files of
`/<event>/releases/<n>/<name>`, and the anonymous pages), it sends the file without Django, the
database or the session: `.br` or `.gz` by Accept-Encoding, 304 on If-None-Match, a single byte range
of the uncompressed file, with the headers Django's own answer from the same file carries. Anything
else, and anything it cannot prove Django would answer with that file, goes to Django unchanged.

What it may serve is decided on the Django side and kept on disk, where nginx can follow it too:

- `<PODIUM_RELEASE_DIR>/<event>/latest` exists only while the event is public and names the files of
  its latest release with the releases' current fingerprints (`sync`, run after every commit that
  changes the event, a new release, after writing files; erasing a person removes the event's
  folder). nginx serving `latest/<name>` relies on this alone.
- `<PODIUM_RELEASE_DIR>/<event>/state.json`, written by `sync` from the database under a lock: whether
  the event is public, its releases' ids and fingerprints, what every page shows besides the release
  (the information pages in the menu and the sponsors: pagecache's file context), whether any page
  varies with seats or shared notes, and the event's time zone and day start (the schedule's default
  day). The fast path serves a file only when the manifest's release and fingerprint are the state's,
  and a page only when its recorded variant and context are the ones Django would compute now.

Pages are the same file for everyone (the visitor's own part comes from `/<event>/me.json`), so a
visitor with a session cookie gets them too, where Django does (the manifest's `members`: not a talk
page, which holds a logged-in visitor's note and feedback forms). Messages (django.contrib.messages)
live in the session; `MessageStorage` keeps the cookie `podium_messages` set while some wait, and a
visitor with it gets Django's page, which shows them. Talk and schedule pages are served only while
the event has no seated sessions and no shared notes (their variants change without a commit to watch).

For nginx, which cannot read the state, `sync` keeps links beside `latest` that exist only while the
pages behind them may be served (see `_point_pages`): `served` (the talk and speaker lists and speaker
pages), `served-static` (also the schedule, room and talk pages) and `today` (the schedule's default
day by the time of day, named by the leading digits of the Unix time).
"""

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import zoneinfo
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.session import SessionStorage
from django.db import transaction
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.cache import parse_etags
from django.utils.http import http_date

from podium.base import metrics
from podium.base.logging import REQUEST_ID_HEADER, request_id_from
from podium.base.middleware import SecurityHeadersMiddleware
from podium.base.translated import language_for
from podium.site import release_files

log = logging.getLogger(__name__)

STATE = "state.json"
LOCK = ".state.lock"
#: Pages whose file depends on seats left and shared notes (served only while the event has neither).
STATIC_KINDS = ("schedule", "room", "talk")
#: Links beside `latest` for nginx (`_point_pages`).
SERVED, SERVED_STATIC, TODAY = "served", "served-static", "today"
#: Files up to this size are kept in memory once read (a release's files never change).
MEMORY_FILE_LIMIT = 4 * 1024 * 1024
MEMORY_TOTAL_LIMIT = 96 * 1024 * 1024
CHUNK = 256 * 1024
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
VERSIONED_RE = re.compile(r"/([a-z0-9][a-z0-9-]{0,63})/releases/([1-9][0-9]{0,8})/([^?#]+)")
RE_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
#: Set while messages wait for the visitor (MessageStorage); "messages" is Django's cookie storage's.
# Entries kept per memo of header values (Accept-Encoding, Accept-Language): a client cannot grow them
# past this; they are emptied and filled again.
MEMO_LIMIT = 1000
MESSAGES_COOKIE = "podium_messages"
MESSAGE_COOKIES = (MESSAGES_COOKIE, "messages")


class MessageStorage(SessionStorage):
    """django.contrib.messages kept in the session (settings.MESSAGE_STORAGE), and a cookie set exactly
    while some wait, so the fast path and nginx know without the session whose page must be Django's."""

    def _store(self, messages, response, *args, **kwargs):
        unstored = super()._store(messages, response, *args, **kwargs)
        self._mark(response, waiting=bool(messages))
        return unstored

    def update(self, response):
        unstored = super().update(response)
        if not self.used and not self.added_new and MESSAGES_COOKIE in self.request.COOKIES:
            # Nothing read or added here: the cookie stays only while the session holds messages (a
            # session ended by logging out, or a cookie left by an answer that failed, is put right).
            self._mark(response, waiting=bool(self._loaded_messages))
        return unstored

    def _mark(self, response, *, waiting: bool) -> None:
        if response.status_code >= 500:  # SessionMiddleware saves no session then: nothing changed
            return
        if waiting:
            response.set_cookie(
                MESSAGES_COOKIE,
                "1",
                max_age=None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        elif MESSAGES_COOKIE in self.request.COOKIES:
            response.delete_cookie(
                MESSAGES_COOKIE,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )


# --- The Django side: what may be served, kept on disk --------------------------------------------


def state_path(slug: str) -> Path:
    return release_files.event_dir(slug) / STATE


@contextlib.contextmanager
def _locked(base: Path):
    """One writer of an event's link and state at a time, across processes."""
    with open(base / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".state-", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _unlink_latest(base: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(base / release_files.LATEST)


def compute_state(event) -> dict:
    """What the fast path needs to know of `event` now (read from the database)."""
    from podium.attendance.models import Note
    from podium.events.models import SessionType
    from podium.schedule.queries import latest_release, release_days
    from podium.site import pagecache

    release = latest_release(event) if event.is_public else None
    if release is None:
        return {"event_id": event.pk, "public": False}
    return {
        "event_id": event.pk,
        "public": True,
        "release_id": release.pk,
        "releases": {
            str(version): [pk, fingerprint]
            for version, pk, fingerprint in event.releases.values_list("version", "pk", "fingerprint")
        },
        "context": pagecache._file_context(event, pagecache._menu(event)),
        # Seats left and shared notes change a page without a commit this can hear (counters are
        # changed by UPDATEs): while an event has either, its schedule and talk pages are Django's.
        "static": not SessionType.objects.filter(event=event, requires_seat=True).exists()
        and not Note.objects.filter(event=event, shared=True).exists(),
        "timezone": event.timezone,
        "day_start_hour": event.day_start_hour,
        "days": [day.isoformat() for day in release_days(release)],
    }


def page_servable(key: str | None, name: str, query: str, state: dict) -> bool:
    """Whether Django would answer a request for page file `name` (written with page-cache variant and
    context `key`; asked with `query`) with that file now (pagecache.cached_page)."""
    context = state.get("context")
    if key is None or context is None or not key.endswith(context):
        return False
    variant = key[: len(key) - len(context)]
    kind = name.split("/", 2)[1]
    if kind in STATIC_KINDS:
        if not state.get("static"):
            return False
        if kind == "talk":
            return variant == "|seats:"
        # Only the normal forms release_files writes: day, day and view, day and room.
        values = dict(part.split("=", 1) for part in query.split("&")) if query else {}
        expected = "|".join(
            [values.get("day", ""), values.get("view", "grid"), "", values.get("room", ""), ""]
        )
        return variant == expected + "|"
    return variant == ""


def _set_link(link: Path, target: str | None) -> None:
    """`link` names `target` (replaced atomically), or is gone when `target` is None."""
    try:
        current = os.readlink(link)
    except OSError:
        current = None
    if current == target:
        return
    if target is None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link)
        return
    temporary = link.parent / f".link-{os.getpid()}-{time.monotonic_ns()}"
    os.symlink(target, temporary)
    os.replace(temporary, link)


def _blocks(start: int, end: int) -> list[str]:
    """The Unix times [start, end) as blocks of 100, 1,000 or 10,000 seconds that start at a multiple of
    their size, each named by the leading digits its times share (nginx matches them in `$msec`)."""
    names, moment = [], start
    while moment < end:
        size = 100
        while size < 10_000 and moment % (size * 10) == 0 and moment + size * 10 <= end:
            size *= 10
        names.append(str(moment // size))
        moment += size
    return names


def _today_links(state: dict) -> dict[str, str] | None:
    """For nginx: the schedule's default day (`_default_day`) as links named by the time they hold,
    `<leading digits>.html` -> that day's grid, and `first.html` for any time outside the event's days;
    None when the days' bounds are not whole hundreds of seconds of 10-digit Unix times."""
    try:
        zone = zoneinfo.ZoneInfo(state["timezone"])
        days = [dt.date.fromisoformat(day) for day in state.get("days") or []]
    except (KeyError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None
    if not days:
        return None
    hour = dt.time(int(state.get("day_start_hour") or 0))
    links = {}
    for day in days:
        start = dt.datetime.combine(day, hour, tzinfo=zone).timestamp()
        end = dt.datetime.combine(day + dt.timedelta(days=1), hour, tzinfo=zone).timestamp()
        if start % 100 or end % 100 or not 10**9 <= start < end < 10**10:
            return None
        for name in _blocks(int(start), int(end)):
            links[f"{name}.html"] = f"../{SERVED_STATIC}/schedule/{day.isoformat()}/grid.html"
    links["first.html"] = f"../{SERVED_STATIC}/schedule/{days[0].isoformat()}/grid.html"
    return links


def _point_today(base: Path, state: dict | None) -> None:
    """`<event>/today` -> a folder of `_today_links` (with .gz and .br), made once per set of days."""
    links = _today_links(state) if state is not None else None
    name = None
    if links is not None:
        digest = hashlib.sha256(json.dumps(links, sort_keys=True).encode()).hexdigest()[:16]
        name = f".today-{digest}"
        if not (base / name).is_dir():
            temporary = Path(tempfile.mkdtemp(prefix=".tmp-today-", dir=base))
            for link, target in links.items():
                for suffix in ("", *(suffix for _coding, suffix in release_files.ENCODINGS)):
                    os.symlink(target + suffix, temporary / (link + suffix))
            os.chmod(temporary, 0o755)  # noqa: S103  mkdtemp makes it private; nginx reads it
            try:
                os.rename(temporary, base / name)
            except OSError:  # made meanwhile by another process
                shutil.rmtree(temporary, ignore_errors=True)
    _set_link(base / TODAY, name)
    for entry in base.iterdir():
        if entry.name.startswith(".today-") and entry.name != name:
            shutil.rmtree(entry, ignore_errors=True)


def _point_pages(base: Path, manifest: dict | None, state: dict) -> None:
    """For nginx: `served` and `served-static` name `latest/pages` while every page of their kinds may be
    served as the fast path would (page_servable) and the pages are in English, and `today` the default
    day's page by the time."""
    # nginx gives the files to visitors whose language is English (deploy/nginx.conf): English files only.
    english = manifest is not None and (manifest.get("language") or "en") == "en"
    servable = {False: english and bool(state.get("public")), True: bool(state.get("static"))}
    if manifest is not None:
        for variants in manifest.get("pages", {}).values():
            for key, name in variants.items():
                query = manifest["files"].get(name, {}).get("url", "").partition("?")[2]
                if not page_servable(key, name, query, state):
                    servable[name.split("/", 2)[1] in STATIC_KINDS] = False
    servable[True] = servable[True] and servable[False]
    pages = f"{release_files.LATEST}/{release_files.PAGES.rstrip('/')}"
    _set_link(base / SERVED, pages if servable[False] else None)
    _set_link(base / SERVED_STATIC, pages if servable[True] else None)
    _point_today(base, state if servable[True] else None)


def sync(event_id: int) -> dict | None:
    """Make the event's `latest` link and state file tell the truth of the database now: the link names
    the files of the latest release (with its current fingerprint) while the event is public, and
    nothing otherwise. Nothing is written for an event that has no files. Returns the state written."""
    from podium.events.models import Event
    from podium.schedule.queries import latest_release

    if not settings.PODIUM_RELEASE_FILES:
        return None
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return None
    base = release_files.event_dir(event.slug)
    if not base.is_dir():
        return None
    try:
        with _locked(base):
            state = compute_state(event)
            folder = None
            if state["public"]:
                folder = release_files.release_dir(event.slug, latest_release(event))
            if folder is None:
                _unlink_latest(base)
            else:
                release_files._point_latest(base, folder.path.name)
            _point_pages(base, folder.manifest if folder is not None else None, state)
            _write_atomically(base / STATE, json.dumps(state, sort_keys=True))
    except FileNotFoundError:  # the folder was removed meanwhile (a person erased): nothing to keep
        return None
    return state


def sync_after_commit(event_id: int) -> None:
    if settings.PODIUM_RELEASE_FILES:
        transaction.on_commit(lambda: sync(event_id))


def on_release_published(sender, *, release, **kwargs) -> dict:
    """Receiver of `schedule.signals.release_published`: the previous release's files stop being
    `latest` at once (the new one's are written soon after)."""
    sync_after_commit(release.event_id)
    return {}


def on_event_saved(sender, instance, **kwargs) -> None:
    sync_after_commit(instance.pk)


def on_event_row_changed(sender, instance, **kwargs) -> None:
    """An information page, sponsorship, sponsor level, track, session type or note was saved or deleted."""
    sync_after_commit(instance.event_id)


def on_organisation_saved(sender, instance, created, **kwargs) -> None:
    """An organisation was saved: the events it sponsors show it (a new one sponsors none yet)."""
    if created or not settings.PODIUM_RELEASE_FILES:
        return

    def sync_its_events():
        for event_id in sorted(set(instance.sponsorships.values_list("event_id", flat=True))):
            sync(event_id)

    transaction.on_commit(sync_its_events)


def connect() -> None:
    """Hear every change to what the served files depend on (called from apps.py)."""
    from django.db.models.signals import post_delete, post_save

    from podium.attendance.models import Note
    from podium.events.models import Event, Page, SessionType, Track
    from podium.schedule import signals
    from podium.sponsors.models import Organisation, SponsorLevel, Sponsorship

    uid = "site.fastpath"
    signals.release_published.connect(on_release_published, dispatch_uid=uid)
    post_save.connect(on_event_saved, sender=Event, dispatch_uid=uid)
    for model in (Page, Sponsorship, SponsorLevel, SessionType, Note, Track):
        post_save.connect(on_event_row_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(on_event_row_changed, sender=model, dispatch_uid=uid)
    post_save.connect(on_organisation_saved, sender=Organisation, dispatch_uid=uid)


# --- The ASGI side ---------------------------------------------------------------------------------


def speaks_language_of(manifest: dict, headers: list, memo: dict | None = None) -> bool:
    """Whether the visitor of these request headers reads the language of the directory's pages: the
    language LocaleMiddleware would speak to them (the language cookie, else Accept-Language), decided
    by Django's own code (podium.base.translated.language_for); release_files.serves_language. `memo`
    keeps the language chosen for each (cookie, Accept-Language) pair (few distinct ones in practice)."""
    raw_cookie = _header(headers, b"cookie")
    cookie = parse_cookie(raw_cookie).get(settings.LANGUAGE_COOKIE_NAME) if raw_cookie else None
    accept_language = _header(headers, b"accept-language")
    key = (cookie, accept_language)
    language = memo.get(key) if memo is not None else None
    if language is None:
        language = language_for(cookie=cookie, accept_language=accept_language)
        if memo is not None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            memo[key] = language
    return release_files.serves_language(manifest, language)


@dataclass
class Folder:
    """One release directory as the fast path uses it: its manifest and the addresses it answers."""

    path: Path
    manifest: dict
    exports: dict[str, str] = field(default_factory=dict)  # latest address -> file name
    pages: dict[str, str] = field(default_factory=dict)  # address (with query) -> file name
    keys: dict[str, str] = field(default_factory=dict)  # page file name -> variant + context
    members: frozenset[str] = frozenset()  # the pages Django gives a logged-in visitor too
    last_modified: str = ""
    directory: str = ""  # `path` as text, for joining file names cheaply

    def __post_init__(self):
        self.directory = str(self.path)

    @classmethod
    def load(cls, path: Path) -> "Folder | None":
        try:
            manifest = json.loads((path / release_files.MANIFEST).read_text())
        except (OSError, ValueError):
            return None
        if manifest.get("layout") != release_files.LAYOUT:
            return None
        folder = cls(path, manifest)
        for name, entry in manifest.get("files", {}).items():
            if name.startswith(release_files.PAGES):
                folder.pages[entry["url"]] = name
            else:
                folder.exports[entry["url"]] = name
        for variants in manifest.get("pages", {}).values():
            for key, name in variants.items():
                folder.keys[name] = key
        folder.members = frozenset(manifest.get("members", ()))
        if "published_at" in manifest:
            folder.last_modified = http_date(dt.datetime.fromisoformat(manifest["published_at"]).timestamp())
        return folder


@dataclass
class Answer:
    folder: Folder
    name: str
    kind: str  # "export", "versioned", "page": the metrics' label
    immutable: bool = False
    cors: bool = False
    page: bool = False


class _Files:
    """The bytes of small release files, kept in memory (least recently used out first)."""

    def __init__(self):
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.total = 0

    def get(self, path: str) -> bytes | None:
        content = self.entries.get(path)
        if content is not None:
            self.entries.move_to_end(path)
        return content

    def put(self, path: str, content: bytes) -> None:
        if len(content) > MEMORY_FILE_LIMIT or path in self.entries:
            return
        self.entries[path] = content
        self.total += len(content)
        while self.total > MEMORY_TOTAL_LIMIT:
            _, dropped = self.entries.popitem(last=False)
            self.total -= len(dropped)


def _header(headers: list, name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def _accepted(value: str) -> set[str]:
    """The codings accepted with q > 0 (release_files._accepted, on the raw header)."""
    accepted = set()
    for part in value.split(","):
        coding, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if float(quality) > 0:
                accepted.add(coding.strip().lower())
        except ValueError:
            continue
    return accepted


def _cookie_names(value: str | None) -> set[str]:
    if not value:
        return set()
    return {part.split("=", 1)[0].strip() for part in value.split(";")}


def _single_range(value: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of a single `bytes=` range; False when it cannot be satisfied; None to ignore it
    (not one range of bytes: the whole file is sent, as RFC 9110 allows)."""
    unit, _, spec = value.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            length = int(last)
            if length <= 0:
                return False
            return (max(0, size - length), size - 1) if size else False
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start < 0 or end < start:
        return None if start < size else False
    if start >= size:
        return False
    return start, min(end, size - 1)


class FastPath:
    """ASGI application: release files from disk, everything else to `app` (Django)."""

    def __init__(self, app, *, release_dir: Path | None = None):
        self.app = app
        self.enabled = bool(settings.PODIUM_RELEASE_FILES)
        self.base = Path(release_dir or settings.PODIUM_RELEASE_DIR)
        self.folders: dict[tuple[int, int, int], Folder] = {}  # (device, inode, mtime) of a directory
        self.states: dict[str, tuple[tuple, dict]] = {}  # slug -> ((inode, mtime, size), state)
        self.versioned: dict[tuple[str, int], tuple[float, Path | None]] = {}
        self.files = _Files()
        self.hosts: dict[str, bool] = {}
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT
        self.proxy_ssl = settings.SECURE_PROXY_SSL_HEADER
        self.hsts = ""
        if settings.SECURE_HSTS_SECONDS:
            self.hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                self.hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                self.hsts += "; preload"
        self.counting = metrics.enabled()
        self.base_text = str(self.base)
        # The middleware's headers as settings make them, built once (they depend on no request but
        # for the page kind and the scheme): (html, secure) -> (before Content-Length, after it).
        self.fixed_headers = {
            (html, secure): self._fixed_headers(html, secure)
            for html in (False, True)
            for secure in (False, True)
        }
        self.request_id_header = REQUEST_ID_HEADER.encode()
        self.encodings: dict[str, set[str]] = {}  # Accept-Encoding -> the codings it accepts
        self.languages: dict[tuple, str] = {}  # (language cookie, Accept-Language) -> language

    def _fixed_headers(self, html: bool, secure: bool) -> tuple[list, list]:
        before, after = [], []
        if html:
            before.append((b"Content-Security-Policy", SecurityHeadersMiddleware.CSP.encode()))
        before.append((b"Permissions-Policy", b"camera=(), microphone=(), geolocation=()"))
        if settings.X_FRAME_OPTIONS:
            before.append((b"X-Frame-Options", settings.X_FRAME_OPTIONS.upper().encode()))
        if self.hsts and secure:
            after.append((b"Strict-Transport-Security", self.hsts.encode()))
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            after.append((b"X-Content-Type-Options", b"nosniff"))
        if settings.SECURE_REFERRER_POLICY:
            after.append((b"Referrer-Policy", settings.SECURE_REFERRER_POLICY.encode()))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            after.append((b"Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode()))
        return before, after

    # The headers Django's middleware adds to a file's answer (settings.MIDDLEWARE), in its order.
    def _middleware_headers(
        self, content_type: str, secure: bool, request_id: str, *, length: bytes | None = None
    ) -> list[tuple[bytes, bytes]]:
        """`length`: an answer without its own Content-Length gets CommonMiddleware's, after these."""
        before, after = self.fixed_headers[(content_type.startswith("text/html"), secure)]
        middle = [(b"Content-Length", length)] if length is not None else []
        return [*before, *middle, *after, (self.request_id_header, request_id.encode())]

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if self.enabled and scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            try:
                handled = await self._serve(scope, send)
            except OSError:
                handled = False  # a file went away between the checks and the read: Django answers
            if handled:
                return
        await self.app(scope, receive, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- What a request asks for ------------------------------------------------------------------

    def _host_allowed(self, host: str | None) -> bool:
        if host is None:
            return False
        allowed = self.hosts.get(host)
        if allowed is None:
            domain, _port = split_domain_port(host)
            allowed = bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)
            if len(self.hosts) < 1000:
                self.hosts[host] = allowed
        return allowed

    def _secure(self, scope, headers) -> bool:
        if self.proxy_ssl:
            name, value = self.proxy_ssl
            got = _header(headers, name.removeprefix("HTTP_").replace("_", "-").lower().encode())
            if got is not None:
                return got.split(",", 1)[0].strip() == value
        return scope.get("scheme") == "https"

    def _state(self, slug: str) -> dict | None:
        path = f"{self.base_text}/{slug}/{STATE}"
        try:
            info = os.stat(path)
        except OSError:
            return None
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        cached = self.states.get(slug)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            with open(path, encoding="utf-8") as handle:
                state = json.load(handle)
        except (OSError, ValueError):
            return None
        self.states[slug] = (stamp, state)
        return state

    def _folder(self, path: str | Path) -> Folder | None:
        """The release directory at `path` (a `latest` link or a directory), loaded once per directory."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        key = (info.st_dev, info.st_ino, info.st_mtime_ns)
        folder = self.folders.get(key)
        if folder is None:
            folder = Folder.load(Path(os.path.realpath(path)))
            if folder is None or os.stat(folder.path).st_ino != info.st_ino:
                return None  # `latest` moved while it was read: next time
            if len(self.folders) > 64:
                self.folders.clear()
            self.folders[key] = folder
        return folder

    @staticmethod
    def _current(folder: Folder, state: dict) -> bool:
        """Whether the directory holds a release of this event as the database has it now."""
        manifest = folder.manifest
        expected = state.get("releases", {}).get(str(manifest.get("release")))
        return (
            expected is not None
            and manifest.get("event_id") == state.get("event_id")
            and [manifest.get("release_id"), manifest.get("fingerprint")] == expected
        )

    def _versioned_folder(self, slug: str, version: int, latest: Folder | None) -> Folder | None:
        """The directory of release `version` as release_files.release_dir would choose it."""
        if latest is not None and latest.manifest.get("release") == version:
            return latest
        now = time.monotonic()
        cached = self.versioned.get((slug, version))
        if cached is None or now - cached[0] > 1:
            prefix = f"{version}-"
            try:
                names = sorted(
                    (entry.name for entry in os.scandir(self.base / slug) if entry.name.startswith(prefix)),
                    reverse=True,
                )
            except OSError:
                names = []
            cached = (now, self.base / slug / names[0] if names else None)
            if len(self.versioned) > 1000:
                self.versioned.clear()
            self.versioned[(slug, version)] = cached
        return self._folder(cached[1]) if cached[1] is not None else None

    def _default_day(self, state: dict) -> str | None:
        """The day `/<event>/schedule/` shows: today's conference day while it runs, else the first."""
        days = state.get("days") or []
        if not days:
            return None
        try:
            zone = zoneinfo.ZoneInfo(state["timezone"])
        except (KeyError, zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
        local = dt.datetime.now(zone) - dt.timedelta(hours=int(state.get("day_start_hour") or 0))
        today = local.date().isoformat()
        return today if today in days else days[0]

    def _find(self, scope, headers) -> Answer | None:
        path = scope["path"]
        if scope.get("root_path") or not path.isascii():
            return None
        slug = path[1:].partition("/")[0]
        if not SLUG_RE.fullmatch(slug):
            return None
        state = self._state(slug)
        if state is None or not state.get("public"):
            return None
        latest = self._folder(f"{self.base_text}/{slug}/{release_files.LATEST}")
        if latest is not None and not self._current(latest, state):
            latest = None
        query = scope.get("query_string", b"").decode("latin-1")
        if latest is not None:
            name = latest.exports.get(path)
            if name is not None:  # the export views read no query string
                return Answer(latest, name, "export", cors=True)
        versioned = VERSIONED_RE.fullmatch(path)
        if versioned is not None and versioned.group(1) == slug:
            name = versioned.group(3)
            if name.startswith(release_files.PAGES):
                return None
            folder = self._versioned_folder(slug, int(versioned.group(2)), latest)
            if folder is None or not self._current(folder, state) or name not in folder.manifest["files"]:
                return None
            return Answer(folder, name, "versioned", immutable=True, cors=True)
        if latest is None:
            return None
        cookies = _cookie_names(_header(headers, b"cookie"))
        if not cookies.isdisjoint(MESSAGE_COOKIES):
            return None  # messages wait: Django's page shows them
        if query:
            name = latest.pages.get(f"{path}?{query}")
        else:
            name = latest.pages.get(path)
            if name is None and path == f"/{slug}/schedule/":
                day = self._default_day(state)
                name = latest.pages.get(f"{path}?day={day}") if day else None
                query = f"day={day}"
        if name is None or not page_servable(latest.keys.get(name), name, query, state):
            return None
        if self.session_cookie in cookies and name not in latest.members:
            return None  # Django renders this page for a logged-in visitor (their own forms)
        if not speaks_language_of(latest.manifest, headers, self.languages):
            return None  # the visitor reads another language: Django renders the page in it
        return Answer(latest, name, "page", page=True)

    # --- The answer --------------------------------------------------------------------------------

    async def _serve(self, scope, send) -> bool:
        headers = scope["headers"]
        if not self._host_allowed(_header(headers, b"host")):
            return False
        secure = self._secure(scope, headers)
        if self.ssl_redirect and not secure:
            return False
        answer = self._find(scope, headers)
        if answer is None:
            return False
        folder, name = answer.folder, answer.name
        entry = folder.manifest["files"][name]
        etag = f'"{entry["sha256"][:32]}"'
        accept = _header(headers, b"accept-encoding") or ""
        accepted = self.encodings.get(accept)
        if accepted is None:
            accepted = _accepted(accept)
            if len(self.encodings) >= MEMO_LIMIT:
                self.encodings.clear()
            self.encodings[accept] = accepted
        encoding, suffix = next(
            ((coding, suffix) for coding, suffix in release_files.ENCODINGS if coding in accepted), ("", "")
        )
        if not encoding and not answer.page and RE_ACCEPTS_GZIP.search(accept):
            return False  # Django would gzip the export itself (gzip_page): leave it to Django
        common = [
            (b"ETag", etag.encode()),
            (
                b"Cache-Control",
                (
                    release_files.IMMUTABLE_CACHE_CONTROL
                    if answer.immutable
                    else release_files.LATEST_CACHE_CONTROL
                ).encode(),
            ),
            # As release_files.file_response's, with Cookie added by SessionMiddleware for pages.
            (
                b"Vary",
                b"Accept-Encoding, Accept-Language, Cookie"
                if answer.page
                else b"Accept-Encoding, Accept-Language",
            ),
            (b"Content-Language", release_files.language_of(folder.manifest).encode()),
        ]
        if answer.cors:
            common.append((b"Access-Control-Allow-Origin", b"*"))
        if folder.last_modified:
            common.append((b"Last-Modified", folder.last_modified.encode()))
        request_id = request_id_from(_header(headers, b"x-request-id"))
        matches = parse_etags(_header(headers, b"if-none-match") or "")
        if "*" in matches or etag in matches or f"W/{etag}" in matches:
            content_type = "text/html; charset=utf-8"  # an empty HttpResponse's
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [
                        (b"Content-Type", content_type.encode()),
                        *common,
                        *self._middleware_headers(content_type, secure, request_id, length=b"0"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            self._count(answer, 304)
            return True
        file_path = f"{folder.directory}/{name}{suffix}"
        content = self.files.get(file_path)
        size = len(content) if content is not None else os.stat(file_path).st_size
        status, first, last = 200, 0, size - 1
        range_header = _header(headers, b"range")
        if range_header is not None and not encoding:
            if_range = _header(headers, b"if-range")
            if if_range is None or if_range.strip() == etag:
                wanted = _single_range(range_header, size)
                if wanted is False:
                    await self._unsatisfiable(answer, entry, size, common, secure, request_id, send)
                    return True
                if wanted:
                    status, (first, last) = 206, wanted
        out = [(b"Content-Type", entry["type"].encode()), *common]
        if encoding:
            out.append((b"Content-Encoding", encoding.encode()))
        if status == 206 or (range_header is not None and not encoding):
            out.append((b"Accept-Ranges", b"bytes"))
        if status == 206:
            out.append((b"Content-Range", f"bytes {first}-{last}/{size}".encode()))
        out.append((b"Content-Length", str(last - first + 1 if size else 0).encode()))
        out += self._middleware_headers(entry["type"], secure, request_id)
        if scope["method"] == "HEAD":
            await send({"type": "http.response.start", "status": status, "headers": out})
            await send({"type": "http.response.body", "body": b""})
            self._count(answer, status)
            return True
        if content is None and size <= MEMORY_FILE_LIMIT:
            with open(file_path, "rb") as handle:
                content = handle.read()
            self.files.put(file_path, content)
            size = len(content)
        await send({"type": "http.response.start", "status": status, "headers": out})
        if content is not None:
            await send({"type": "http.response.body", "body": content[first : last + 1]})
        else:
            await self._stream(file_path, first, last, send)
        self._count(answer, status)
        return True

    async def _unsatisfiable(self, answer, entry, size, common, secure, request_id, send) -> None:
        content_type = "text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 416,
                "headers": [
                    (b"Content-Type", content_type.encode()),
                    *common,
                    (b"Content-Range", f"bytes */{size}".encode()),
                    (b"Content-Length", b"0"),
                    *self._middleware_headers(content_type, secure, request_id),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        self._count(answer, 416)

    @staticmethod
    async def _stream(file_path: str, first: int, last: int, send) -> None:
        """A big file in chunks, never whole in memory."""
        with open(file_path, "rb") as handle:
            handle.seek(first)
            left = last - first + 1
            while left > 0:
                chunk = handle.read(min(CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": left > 0})
            if left > 0:  # the file was shorter than it said: end the answer
                await send({"type": "http.response.body", "body": b""})

    def _count(self, answer: Answer, status: int) -> None:
        if self.counting:
            metrics.fastpath_answered(answer.kind, status)
