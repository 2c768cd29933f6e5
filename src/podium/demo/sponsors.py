"""The demo's sponsors: three levels (Gold, Silver, Community) with their benefits and checklists, and
eight organisations in different stages of the pipeline: sponsors, an exhibitor and two media
partners with their press contacts. Their logs have next steps due this week and overdue ones, their
checklists items done and items overdue, and the Gold sponsor in the lead sponsors the "Data & ML"
track (its talks carry the "Sponsored by" mark).

Fixed values, no randomness: dates count from the build's `today`, and the logos are small PNGs drawn
with Pillow from each organisation's colours and initials, uploaded through the same service (and
checks) as a logo sent from the back office.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from podium.events.models import Event
from podium.sponsors import services
from podium.sponsors.models import InteractionKind, LogoSize, OrganisationKind, Sponsorship, Stage

#: (name, position, price, booth, talk slot, logo size, complimentary tickets, checklist)
LEVELS = (
    (
        "Gold",
        0,
        20000,
        True,
        True,
        LogoSize.LARGE,
        6,
        [
            "Logo received",
            "Contract signed",
            "Invoice sent",
            "Booth assigned",
            "Tutorial scheduled",
            "Tickets issued",
        ],
    ),
    (
        "Silver",
        1,
        8000,
        True,
        False,
        LogoSize.MEDIUM,
        3,
        ["Logo received", "Invoice sent", "Booth assigned", "Tickets issued"],
    ),
    ("Community", 2, 1500, False, False, LogoSize.SMALL, 1, ["Logo received", "Invoice sent"]),
)
#: The track the lead Gold sponsor sponsors (one of the demo's tracks).
SPONSORED_TRACK = "Data & ML"


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str
    phone: str = ""


@dataclass(frozen=True)
class Plan:
    """One organisation at the demo event."""

    name: str
    kind: str
    level: str | None
    stage: str
    colours: tuple[str, str]  # the logo's background and foreground
    description: str
    contacts: tuple[Contact, ...]
    track: bool = False


PLANS = (
    Plan(
        "Serpent Cloud",
        OrganisationKind.SPONSOR,
        "Gold",
        Stage.PAID,
        ("#0b3d91", "#ffd43b"),
        "Serpent Cloud runs **managed Python** for data teams, from notebooks to production pipelines.\n\n"
        "Visit our booth for the sponsor tutorial on Friday and [our open positions](https://serpent.example/jobs).",
        (
            Contact("Maya Ortiz", "maya@serpent.example", "Developer relations", "+1 512 555 0101"),
            Contact("Tom Becker", "tom@serpent.example", "Booth lead"),
        ),
        track=True,
    ),
    Plan(
        "Lambda Logistics",
        OrganisationKind.SPONSOR,
        "Gold",
        Stage.INVOICED,
        ("#1b5e20", "#ffffff"),
        "Lambda Logistics moves parcels across the continent with software written in Python.",
        (Contact("Priya Raman", "priya@lambda-logistics.example", "Marketing"),),
    ),
    Plan(
        "Pyramid Analytics",
        OrganisationKind.SPONSOR,
        "Silver",
        Stage.COMMITTED,
        ("#6a1b9a", "#ffffff"),
        "Dashboards and forecasting for retailers, built on the scientific Python stack.",
        (Contact("Lena Vogel", "lena@pyramid.example", "Events"),),
    ),
    Plan(
        "Whitespace Software",
        OrganisationKind.SPONSOR,
        "Silver",
        Stage.CONTACTED,
        ("#37474f", "#ffffff"),
        "Code review tools for teams of every size.",
        (Contact("Sam Okafor", "sam@whitespace.example", "Head of marketing"),),
    ),
    Plan(
        "Indent Labs",
        OrganisationKind.SPONSOR,
        "Community",
        Stage.PAID,
        ("#c2410c", "#ffffff"),
        "A small consultancy that teaches Python to scientists.",
        (Contact("Noor Haddad", "noor@indent.example", "Founder"),),
    ),
    Plan(
        "Bytecode Books",
        OrganisationKind.EXHIBITOR,
        "Community",
        Stage.COMMITTED,
        ("#795548", "#fff8e1"),
        "Books on Python and its community, signed by their authors at our stand.",
        (Contact("Ana Lima", "ana@bytecode-books.example", "Stand manager"),),
    ),
    Plan(
        "Python Weekly Digest",
        OrganisationKind.MEDIA,
        None,
        Stage.COMMITTED,
        ("#000000", "#ffffff"),
        "The newsletter of the Python community: news, articles and jobs every week.",
        (Contact("Chris Young", "press@pyweekly.example", "Editor (press)", "+1 312 555 0144"),),
    ),
    Plan(
        "Open Source Radio",
        OrganisationKind.MEDIA,
        None,
        Stage.COMMITTED,
        ("#b71c1c", "#ffffff"),
        "A podcast about the people behind open source, recorded live at the conference.",
        (Contact("Jo Martin", "jo@osradio.example", "Journalist (press)"),),
    ),
)


def logo_png(name: str, background: str, foreground: str) -> SimpleUploadedFile:
    """A logo of 240 by 120 pixels: the organisation's initials on its colour, the same bytes on every build."""
    image = Image.new("RGB", (240, 120), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 231, 111), outline=foreground, width=4)
    initials = "".join(word[0] for word in name.split()[:3]).upper()
    draw.text((120, 60), initials, fill=foreground, anchor="mm", font_size=56)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(
        f"{name.lower().replace(' ', '-')}.png", out.getvalue(), content_type="image/png"
    )


def _at(event: Event, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=event.tz)


def _week_end(today: dt.date) -> dt.date:
    """The Sunday ending `today`'s week: a next step due then is due "this week"."""
    return today + dt.timedelta(days=6 - today.weekday())


def build_levels(*, event: Event, admin) -> dict:
    levels = {}
    for name, position, price, booth, talk_slot, logo_size, tickets, checklist in LEVELS:
        levels[name] = services.save_level(
            event=event,
            by=admin,
            data={
                "name": name,
                "position": position,
                "price": price,
                "booth": booth,
                "talk_slot": talk_slot,
                "logo_size": logo_size,
                "complimentary_tickets": tickets,
                "deliverables": checklist,
            },
        )
    return levels


def _organisation(event: Event, admin, plan: Plan, levels: dict) -> Sponsorship:
    organisation = services.save_organisation(
        event=event,
        by=admin,
        data={
            "name": plan.name,
            "kind": plan.kind,
            "website": _website(plan),
            "description": plan.description,
        },
        logo=logo_png(plan.name, *plan.colours),
    )
    for number, person in enumerate(plan.contacts):
        services.save_contact(
            event=event,
            organisation=organisation,
            by=admin,
            data={
                "name": person.name,
                "email": person.email,
                "role": person.role,
                "phone": person.phone,
                "is_primary": number == 0,
            },
        )
    sponsorship = organisation.sponsorships.get(event=event)
    if plan.level is not None:
        sponsorship = services.set_level(sponsorship=sponsorship, level=levels[plan.level], by=admin)
    if plan.track:
        track = event.tracks.filter(name=SPONSORED_TRACK).first()
        if track is not None:
            sponsorship = services.save_sponsorship(sponsorship=sponsorship, by=admin, data={"track": track})
    if plan.stage != Stage.PROSPECT:
        sponsorship = services.move_stage(sponsorship=sponsorship, stage=plan.stage, by=admin)
    return sponsorship


def _website(plan: Plan) -> str:
    return f"https://{plan.contacts[0].email.split('@', 1)[1]}/"


def _log(event: Event, admin, sponsorship: Sponsorship, today: dt.date, entries) -> None:
    """`entries`: (days ago, kind, summary, next step, due) in the order they happened."""
    contact = sponsorship.organisation.contacts.order_by("-is_primary", "name").first()
    for days_ago, kind, summary, next_step, due in entries:
        services.log_interaction(
            sponsorship=sponsorship,
            by=admin,
            data={
                "kind": kind,
                "happened_at": _at(event, today - dt.timedelta(days=days_ago), 10),
                "summary": summary,
                "contact": contact,
                "next_step": next_step,
                "due": due,
            },
        )


def _checklist(admin, sponsorship: Sponsorship, today: dt.date, done: int, overdue: int) -> None:
    """Tick the first `done` items; give the next `overdue` ones a day already past, the rest one ahead."""
    items = list(sponsorship.deliverables.order_by("position", "id"))
    for index, item in enumerate(items):
        if index < done:
            services.tick_deliverable(deliverable=item, done=True, by=admin)
        elif index < done + overdue:
            services.set_deliverable_due(deliverable=item, due=today - dt.timedelta(days=3 + index), by=admin)
        else:
            services.set_deliverable_due(deliverable=item, due=today + dt.timedelta(days=14), by=admin)


def build_sponsors(*, event: Event, admin, today: dt.date) -> list[Sponsorship]:
    """Levels, organisations with their contacts and logos, stages, logs and checklists, by `admin`.

    Side effects: as the sponsors services (audit entries; the logos stored under MEDIA_ROOT/sponsors/).
    """
    levels = build_levels(event=event, admin=admin)
    shown = {plan.name: _organisation(event, admin, plan, levels) for plan in PLANS}
    this_week, overdue = _week_end(today), today - dt.timedelta(days=4)
    call, mail, meeting, note = (
        InteractionKind.CALL,
        InteractionKind.MAIL,
        InteractionKind.MEETING,
        InteractionKind.NOTE,
    )
    _log(
        event,
        admin,
        shown["Serpent Cloud"],
        today,
        [
            (40, call, "First call: they want Gold and a sponsor tutorial", "Send the prospectus", None),
            (30, mail, "Contract signed, invoice sent", "", None),
            (
                6,
                meeting,
                "Planned the tutorial in the Data & ML track",
                "Confirm the booth's power",
                this_week,
            ),
        ],
    )
    _log(
        event,
        admin,
        shown["Lambda Logistics"],
        today,
        [
            (25, call, "Agreed on Gold", "Send the invoice", None),
            (12, mail, "Invoice sent", "Chase the payment", overdue),
        ],
    )
    _log(
        event,
        admin,
        shown["Pyramid Analytics"],
        today,
        [(9, meeting, "Committed to Silver at the meet-up", "Ask for their logo", today)],
    )
    _log(
        event,
        admin,
        shown["Whitespace Software"],
        today,
        [(15, mail, "Sent the prospectus", "Follow up on the prospectus", today - dt.timedelta(days=7))],
    )
    _log(
        event,
        admin,
        shown["Python Weekly Digest"],
        today,
        [(8, note, "Media partnership: a banner in two issues", "Send them the press kit", this_week)],
    )
    _log(
        event,
        admin,
        shown["Open Source Radio"],
        today,
        [(20, call, "They will record two episodes on site", "Book a quiet room for the recording", overdue)],
    )
    _checklist(admin, shown["Serpent Cloud"], today, done=4, overdue=1)
    _checklist(admin, shown["Lambda Logistics"], today, done=2, overdue=2)
    _checklist(admin, shown["Pyramid Analytics"], today, done=0, overdue=1)
    _checklist(admin, shown["Indent Labs"], today, done=2, overdue=0)
    _checklist(admin, shown["Bytecode Books"], today, done=1, overdue=1)
    return list(shown.values())
