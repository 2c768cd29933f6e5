import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from podium.sponsors import public, services
from podium.sponsors.models import LogoSize, Stage
from tests import factories
from tests.public_sponsors import sponsor
from tests.sponsoring import level

pytestmark = pytest.mark.django_db


def _names(listing) -> list[str]:
    return [entry.name for entry in listing]


def test_only_committed_invoiced_and_paid_organisations_are_public(event, manager):
    for stage in Stage.values:
        sponsor(event, manager, f"Org {stage}", stage=stage)

    listing = public.public_sponsors(event)

    assert sorted(_names(listing)) == ["Org committed", "Org invoiced", "Org paid"]


def test_levels_come_by_position_then_name_and_partners_without_a_level_last(event, manager):
    gold = level(event, manager, "Gold", position=1, logo_size=LogoSize.LARGE)
    community = level(event, manager, "Community", position=5, logo_size=LogoSize.SMALL)
    silver = level(event, manager, "Silver", position=1)  # same position as Gold: by name
    sponsor(event, manager, "zeta Media")
    sponsor(event, manager, "Beta Corp", level=community)
    sponsor(event, manager, "Yonder", level=gold)
    sponsor(event, manager, "alpha Labs", level=gold)
    sponsor(event, manager, "Mid Ltd", level=silver)

    listing = public.public_sponsors(event)

    assert _names(listing) == ["alpha Labs", "Yonder", "Mid Ltd", "Beta Corp", "zeta Media"]
    assert [(group.name, group.logo_size, _names(group.sponsors)) for group in listing.groups] == [
        ("Gold", LogoSize.LARGE, ["alpha Labs", "Yonder"]),
        ("Silver", LogoSize.MEDIUM, ["Mid Ltd"]),
        ("Community", LogoSize.SMALL, ["Beta Corp"]),
        (public.PARTNERS, LogoSize.SMALL, ["zeta Media"]),
    ]


def test_the_list_is_one_query_however_many_sponsors(event, manager):
    gold = level(event, manager, "Gold")
    for number in range(6):
        sponsor(event, manager, f"Org {number}", level=gold if number % 2 else None, logo=number < 2)

    with CaptureQueriesContext(connection) as captured:
        listing = public.public_sponsors(event)

    assert len(listing) == 6
    assert len(captured) == 1


def test_another_events_sponsors_are_not_listed(event, manager):
    other = factories.EventFactory(organiser=event.organiser)
    elsewhere = factories.team_member(other, can_manage_sponsors=True)
    sponsor(other, elsewhere, "Elsewhere Inc")
    sponsor(event, manager, "Here Inc")

    assert _names(public.public_sponsors(event)) == ["Here Inc"]


def test_a_logo_has_an_address_under_media_and_a_missing_file_none(event, manager):
    with_logo = sponsor(event, manager, "Pictured", logo=True)
    sponsor(event, manager, "Plain")

    pictured, plain = public.public_sponsors(event)

    assert pictured.logo_url == "/media/" + with_logo.organisation.logo.name
    assert plain.logo_url == ""
    with_logo.organisation.logo.storage.delete(with_logo.organisation.logo.name)
    assert public.public_sponsors(event).sponsors[0].logo_url == ""


def test_a_track_is_sponsored_by_its_public_sponsorships_only(event, manager):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    sponsor(event, manager, "Acme", track=web)
    sponsor(event, manager, "Prospect Co", track=data, stage=Stage.PROSPECT)

    listing = public.public_sponsors(event)

    assert listing.of_track(web.pk) == "Acme"
    assert listing.of_track(data.pk) == ""
    assert listing.of_track(None) == ""


def test_two_sponsors_of_one_track_are_both_named(event, manager):
    web = event.tracks.get(name="Web")
    sponsor(event, manager, "Acme", track=web)
    sponsor(event, manager, "Bolt", track=web)

    assert public.public_sponsors(event).of_track(web.pk) == "Acme and Bolt"


def test_an_event_without_sponsors_is_false(event):
    assert not public.public_sponsors(event)
    assert public.public_sponsors(event).groups == []


# --- The version token in the page cache's keys ---------------------------------------------------


def test_the_version_is_stable_while_nothing_changes(event):
    first = public.sponsors_version(event)

    with CaptureQueriesContext(connection) as captured:
        again = public.sponsors_version(event)

    assert again == first
    assert len(captured) == 0


@pytest.mark.parametrize(
    "change",
    ["add", "stage", "level_edit", "organisation_edit", "track", "track_deleted", "delete"],
)
def test_every_change_to_what_is_shown_changes_the_version(event, manager, change):
    web = event.tracks.get(name="Web")
    gold = level(event, manager, "Gold")
    shown = sponsor(event, manager, "Acme", level=gold, track=web)
    before = public.sponsors_version(event)

    if change == "add":
        sponsor(event, manager, "Newcomer")
    elif change == "stage":
        services.move_stage(sponsorship=shown, stage=Stage.DECLINED, by=manager)
    elif change == "level_edit":
        services.save_level(event=event, by=manager, level=gold, data={"position": 9})
    elif change == "organisation_edit":
        services.save_organisation(
            event=event, by=manager, organisation=shown.organisation, data={"description": "New words"}
        )
    elif change == "track":
        services.save_sponsorship(sponsorship=shown, by=manager, data={"track": None})
    elif change == "track_deleted":
        web.delete()
    else:
        shown.delete()

    assert public.sponsors_version(event) != before


def test_a_change_leaves_other_events_versions_alone(event, manager):
    other = factories.EventFactory(organiser=event.organiser)
    before = public.sponsors_version(other)

    sponsor(event, manager, "Acme")

    assert public.sponsors_version(other) == before


def test_the_version_changes_again_when_the_change_commits(
    event, manager, django_capture_on_commit_callbacks
):
    """A page rendered between the save and the commit saw the old rows: its key must not outlive the commit."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        sponsor(event, manager, "Acme")
        during = public.sponsors_version(event)

    assert public.sponsors_version(event) != during


def test_a_lost_version_is_made_anew(event):
    before = public.sponsors_version(event)

    cache.clear()

    assert public.sponsors_version(event) != before


def test_sponsors_changed_takes_the_events_to_refresh(event):
    before = public.sponsors_version(event)

    public.sponsors_changed([event.pk, event.pk])

    assert public.sponsors_version(event) != before
