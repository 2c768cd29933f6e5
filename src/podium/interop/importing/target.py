"""The organiser and event an import goes into: found, or created from the file's conference data."""

import datetime as dt

from django.utils.text import slugify

from podium.accounts.models import User
from podium.base.errors import ServiceError
from podium.events.models import Event, Organiser
from podium.events.services import SLUG_RE, create_event, create_organiser, possible_day
from podium.interop.importers.source import ImportRefused, SourceProgram
from podium.interop.importers.values import zone
from podium.interop.importing.report import ImportReport


def choose_organiser(
    slug: str | None, *, admin_email: str | None = None, by=None, report: ImportReport | None = None
) -> Organiser:
    """The organiser named (by short name or name), or the only one. An organiser named that does not
    exist is created (see `_new_organiser`); with none named and several or none existing, a message
    says what to do."""
    if slug:
        wanted = slug.strip()
        derived = slugify(wanted)[:49].strip("-")
        found = (
            Organiser.objects.filter(slug=wanted).first()
            or Organiser.objects.filter(name__iexact=wanted).order_by("slug").first()
            or Organiser.objects.filter(slug=derived).first()
        )
        return found or _new_organiser(wanted, derived, admin_email=admin_email, by=by, report=report)
    organisers = list(Organiser.objects.order_by("slug")[:2])
    if len(organisers) == 1:
        return organisers[0]
    if not organisers:
        raise ImportRefused(
            "Podium has no organiser yet: name one with --organiser NAME and it is created, with the "
            "site administrator given by --admin EMAIL as its administrator."
        )
    raise ImportRefused(f"Several organisers exist; choose one with --organiser. {_organisers_hint()}")


def _new_organiser(name: str, slug: str, *, admin_email, by, report) -> Organiser:
    """Create the organiser `name` (short name `slug`), administered by the account `admin_email`,
    else the importing account, else the only site administrator."""
    admin, why = _organiser_admin(name, admin_email=admin_email, by=by)
    if not SLUG_RE.fullmatch(slug):
        raise ImportRefused(
            f"No short name can be made from “{name}”; name the organiser with letters or digits."
        )
    try:
        organiser = create_organiser(name=name, slug=slug, admin=admin)
    except ServiceError as exc:
        raise ImportRefused(f"The organiser “{name}” cannot be created: {exc.message}") from exc
    if report is not None:
        report.note(
            f"Created the organiser “{organiser.name}” ({organiser.slug}); {admin.email} administers it{why}."
        )
    return organiser


def _organiser_admin(name: str, *, admin_email, by) -> tuple:
    if admin_email:
        admin = User.objects.filter(email__iexact=admin_email.strip(), is_active=True).first()
        if admin is None:
            raise ImportRefused(
                f"There is no account “{admin_email}” to administer the new organiser “{name}”; "
                "create it first (podium createsuperuser), or name an existing one with --admin."
            )
        return admin, ""
    if by is not None:
        return by, " (the importing account)"
    superusers = list(User.objects.filter(is_superuser=True, is_active=True).order_by("pk")[:2])
    if len(superusers) == 1:
        return superusers[0], " (the only site administrator; --admin was not given)"
    many = "several site administrators exist" if superusers else "there is no site administrator"
    raise ImportRefused(
        f"Creating the organiser “{name}” needs an administrator and {many}: name an existing account "
        "with --admin EMAIL."
    )


def _organisers_hint() -> str:
    return "Organisers: " + ", ".join(Organiser.objects.order_by("slug").values_list("slug", flat=True)) + "."


def _event_dates(program: SourceProgram, tz) -> tuple[dt.date, dt.date]:
    """The conference's first and last day, widened to cover every session in the file (but a session
    on a day no event can have, which the import skips)."""
    days = [
        session.start.astimezone(tz).date()
        for session in program.sessions
        if session.start and possible_day(session.start.date())
    ]
    first = min([d for d in (program.date_from, *days) if d], default=None) or dt.date.today()
    last = max([d for d in (program.date_to, *days) if d], default=first)
    return first, max(first, last)


def _note_widened(program: SourceProgram, tz, first: dt.date, last: dt.date, report) -> None:
    """Say so when the new event's days are wider than the conference days the file gives, to cover
    its sessions outside them (a workshop day before, or a mistyped date that now adds weeks of days)."""
    if not program.date_from or not program.date_to or (first, last) == (program.date_from, program.date_to):
        return
    outside = sorted(
        (
            session
            for session in program.sessions
            if session.start
            and possible_day(session.start.date())
            and not program.date_from <= session.start.astimezone(tz).date() <= program.date_to
        ),
        key=lambda session: session.start,
    )
    if not outside:
        return
    example = outside[0]
    report.note(
        f"The file's conference days are {program.date_from} to {program.date_to}, but "
        f"{len(outside)} session(s) are on other days, for example “{example.title}” on "
        f"{example.start.astimezone(tz):%Y-%m-%d}: the new event's days were widened to {first} to "
        f"{last} to show them. If those dates are mistakes, correct them and the event's days."
    )


def existing_event(*, program, event, event_slug) -> tuple[Event | None, str]:
    """The event to import into when it exists (given, or found by slug), and the slug to create."""
    if event is not None:
        return event, event.slug
    slug = event_slug or slugify(program.acronym).lower()
    if not slug and program.acronym.strip():
        raise ImportRefused(
            f"The file's conference acronym “{program.acronym.strip()}” makes no short name for an address "
            "(letters a to z, digits and hyphens); give the event's short name (--event)."
        )
    if not slug:
        raise ImportRefused("The file names no conference acronym; give the event's short name (--event).")
    return Event.objects.filter(slug=slug).first(), slug


def event_for(*, program, event, slug, organiser_slug, admin_email, time_zone, by, report) -> Event:
    """The event to import into: the existing one, or one created from the file's conference data."""
    if event is not None:
        return event
    organiser = choose_organiser(organiser_slug, admin_email=admin_email, by=by, report=report)
    first, last = _event_dates(program, zone(time_zone))
    _note_widened(program, zone(time_zone), first, last, report)
    data = {
        "name": (program.title or slug)[:200],
        "timezone": time_zone,
        "date_from": first,
        "date_to": last,
    }
    if program.day_start_hour is not None:
        data["day_start_hour"] = program.day_start_hour
    report.event_created = True
    return create_event(organiser=organiser, by=by, slug=slug, data=data)
