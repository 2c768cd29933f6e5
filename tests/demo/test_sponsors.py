"""The demo's sponsors: three levels, eight organisations in different stages (sponsors, an exhibitor,
two media partners with press contacts), next steps due this week and overdue, checklists partly done
and partly overdue, a sponsored track; the same on every build.

The demo is built once per test session (the `demo_output` fixture, tests/conftest.py).
"""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.demo import sponsors
from podium.sponsors import public, queries
from podium.sponsors.models import Interaction, LogoSize, OrganisationKind, Sponsorship, Stage


def _today(event) -> dt.date:
    return timezone.localdate(timezone=event.tz)


def test_three_levels_with_their_benefits_and_checklists(pycon):
    levels = list(pycon.sponsor_levels.order_by("position"))

    assert [(level.name, level.logo_size) for level in levels] == [
        ("Gold", LogoSize.LARGE),
        ("Silver", LogoSize.MEDIUM),
        ("Community", LogoSize.SMALL),
    ]
    assert [level.deliverables for level in levels] == [plan[-1] for plan in sponsors.LEVELS]
    assert (levels[0].booth, levels[0].talk_slot, levels[0].complimentary_tickets) == (True, True, 6)


def test_eight_organisations_in_different_stages(pycon):
    rows = {
        row.organisation.name: row
        for row in Sponsorship.objects.filter(event=pycon).select_related("organisation")
    }

    assert sorted(rows) == sorted(plan.name for plan in sponsors.PLANS)
    assert {row.stage for row in rows.values()} >= {
        Stage.CONTACTED,
        Stage.COMMITTED,
        Stage.INVOICED,
        Stage.PAID,
    }
    kinds = [row.organisation.kind for row in rows.values()]
    assert (kinds.count(OrganisationKind.EXHIBITOR), kinds.count(OrganisationKind.MEDIA)) == (1, 2)
    assert all(row.organisation.logo.name.startswith("sponsors/") for row in rows.values())
    for row in rows.values():
        if row.organisation.kind == OrganisationKind.MEDIA:
            assert "press" in row.organisation.contacts.get(is_primary=True).role


def test_next_steps_due_this_week_and_overdue(pycon):
    today = _today(pycon)
    open_steps = Interaction.objects.filter(sponsorship__event=pycon, done_at__isnull=True, due__isnull=False)
    due = queries.due_this_week(pycon, today=today)

    assert open_steps.filter(due__lt=today).count() >= 2
    assert open_steps.filter(due__gte=today).count() >= 2
    assert sum(len(group.interactions) for group in due.groups) == open_steps.count()
    assert sum(len(group.deliverables) for group in due.groups) >= 3  # overdue checklist items


def test_checklists_are_partly_done_and_partly_overdue(pycon):
    today = _today(pycon)
    serpent = Sponsorship.objects.get(event=pycon, organisation__name="Serpent Cloud")
    items = list(serpent.deliverables.order_by("position", "id"))

    assert [item.done_at is not None for item in items] == [True] * 4 + [False] * 2
    assert [item.is_overdue(today) for item in items] == [False] * 4 + [True, False]


def test_the_public_page_shows_the_public_sponsors_by_level(pycon):
    listing = public.public_sponsors(pycon)

    assert [(group.name, len(group.sponsors)) for group in listing.groups] == [
        ("Gold", 2),
        ("Silver", 1),
        ("Community", 2),
        (public.PARTNERS, 2),
    ]
    page = Client().get(reverse("site:sponsors", kwargs={"event": pycon.slug}))
    assert page.status_code == 200
    assert "Whitespace Software" not in page.content.decode()  # only contacted


def test_the_data_track_is_sponsored_and_its_talks_say_so(pycon):
    track = pycon.tracks.get(name=sponsors.SPONSORED_TRACK)
    talk = pycon.releases.order_by("-version").first().sessions.filter(track_id=track.pk).first()

    assert public.public_sponsors(pycon).of_track(track.pk) == "Serpent Cloud"
    page = Client().get(reverse("site:talk", kwargs={"event": pycon.slug, "code": talk.code}))
    assert "Serpent Cloud" in page.content.decode()


def test_the_logos_are_the_same_on_every_build():
    first = sponsors.logo_png("Serpent Cloud", "#0b3d91", "#ffd43b").read()
    again = sponsors.logo_png("Serpent Cloud", "#0b3d91", "#ffd43b").read()
    other = sponsors.logo_png("Indent Labs", "#c2410c", "#ffffff").read()

    assert first == again
    assert first != other
    assert first.startswith(b"\x89PNG")
