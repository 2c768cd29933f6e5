"""The information pages' services: short names, reserved words, stale edits, order, state, permission."""

import pytest
from django.db import IntegrityError

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.events import pages
from podium.events.models import RESERVED_PAGE_SLUGS, Page, PageState
from podium.events.queries import published_pages
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(event):
    return factories.team_member(event, name="Editors", can_edit_event=True)


def _save(event, by, page=None, version=None, **data):
    return pages.save_page(event=event, by=by, data=data, page=page, version=version)


def test_save_page_takes_the_short_name_from_the_title_and_starts_as_a_draft(event, editor):
    page = _save(event, editor, title="  Travel & Hotels_2027 — Café  ", body="Take the train.")

    assert (page.title, page.slug, page.state, page.version) == (
        "Travel & Hotels_2027 — Café",
        "travel-hotels-2027-cafe",
        PageState.DRAFT,
        1,
    )
    entry = AuditEntry.objects.get(action="page.saved")
    assert (entry.actor, entry.event_id, entry.data["slug"]) == (editor, event.pk, page.slug)


def test_save_page_keeps_a_given_short_name_and_its_address_when_the_title_changes(event, editor):
    page = _save(event, editor, title="Venue", slug="where")

    page = _save(event, editor, page=page, version=1, title="Venue and rooms", slug="where")

    assert (page.slug, page.version) == ("where", 2)


@pytest.mark.parametrize("slug", ["ven!ue", "two--hyphens", "-venue", "venue-", "a_b", "caf\u00e9", "a b"])
def test_save_page_refuses_a_malformed_short_name(event, editor, slug):
    with pytest.raises(ServiceError) as refused:
        _save(event, editor, title="Venue", slug=slug)

    assert refused.value.field == "slug"
    assert not Page.objects.exists()


@pytest.mark.parametrize("slug", sorted(RESERVED_PAGE_SLUGS))
def test_save_page_refuses_the_sites_own_path_words(event, editor, slug):
    with pytest.raises(ServiceError) as refused:
        _save(event, editor, title="Some page", slug=slug)

    assert (refused.value.field, "site uses" in refused.value.message) == ("slug", True)


def test_save_page_refuses_a_title_whose_short_name_is_reserved(event, editor):
    with pytest.raises(ServiceError) as refused:
        _save(event, editor, title="Schedule")

    assert refused.value.field == "slug"
    assert '"schedule"' in refused.value.message


def test_save_page_refuses_a_title_without_letters_or_digits_for_its_short_name(event, editor):
    with pytest.raises(ServiceError) as refused:
        _save(event, editor, title="\u65e5\u672c")

    assert refused.value.field == "slug"


def test_save_page_refuses_a_short_name_another_page_of_the_event_has(event, editor):
    _save(event, editor, title="FAQ")

    with pytest.raises(ServiceError) as refused:
        _save(event, editor, title="Questions", slug="faq")

    assert refused.value.field == "slug"


def test_save_page_allows_the_same_short_name_in_another_event(event, editor):
    other = factories.EventFactory(organiser=event.organiser)
    _save(event, editor, title="FAQ")

    assert _save(other, editor, title="FAQ").slug == "faq"


def test_save_page_refuses_an_empty_title_and_an_unknown_state(event, editor):
    with pytest.raises(ServiceError) as no_title:
        _save(event, editor, title="  ")
    with pytest.raises(ServiceError) as bad_state:
        _save(event, editor, title="Venue", state="secret")

    assert (no_title.value.field, bad_state.value.field) == ("title", "state")


def test_save_page_refuses_a_stale_edit_and_keeps_the_other_one(event, editor):
    page = _save(event, editor, title="Venue", body="First")
    _save(event, editor, page=Page.objects.get(pk=page.pk), version=1, body="Theirs")

    with pytest.raises(StaleEdit):
        _save(event, editor, page=page, version=1, body="Mine")

    assert Page.objects.get(pk=page.pk).body == "Theirs"


def test_save_page_without_a_position_goes_after_the_last_page(event, editor):
    first = _save(event, editor, title="Venue")
    explicit = _save(event, editor, title="FAQ", position=7)
    last = _save(event, editor, title="Travel", position=None)

    assert (first.position, explicit.position, last.position) == (0, 7, 8)


def test_save_page_refuses_a_negative_position(event, editor):
    with pytest.raises(ServiceError) as refused:
        _save(event, editor, title="Venue", position=-1)

    assert refused.value.field == "position"


def test_published_pages_are_the_published_ones_in_their_order(event, editor):
    _save(event, editor, title="Travel", position=2, state=PageState.PUBLISHED)
    draft = _save(event, editor, title="Sprints", position=0)
    _save(event, editor, title="Venue", position=1, state=PageState.PUBLISHED)
    _save(event, editor, page=draft, version=1, state=PageState.PUBLISHED)
    unpublished = _save(event, editor, title="FAQ", position=3, state=PageState.PUBLISHED)
    _save(event, editor, page=unpublished, version=1, state=PageState.DRAFT)

    assert [page.title for page in published_pages(Page.objects.first().event)] == [
        "Sprints",
        "Venue",
        "Travel",
    ]


@pytest.mark.parametrize("flag", ["can_review", "can_schedule", "can_send_mail", "can_check_in"])
def test_save_page_refuses_a_team_member_who_may_not_edit_the_event(event, flag):
    member = factories.team_member(event, name="Others", **{flag: True})

    with pytest.raises(NotAllowed):
        _save(event, member, title="Venue")

    assert not Page.objects.exists()


def test_save_page_refuses_a_page_of_another_event(event, editor):
    other = factories.EventFactory(organiser=event.organiser)
    theirs = _save(other, editor, title="Venue")

    with pytest.raises(NotAllowed):
        _save(event, editor, page=theirs, version=1, title="Hijacked")

    assert Page.objects.get(pk=theirs.pk).title == "Venue"


def test_delete_page_deletes_with_an_audit_entry(event, editor):
    page = _save(event, editor, title="Venue")

    pages.delete_page(page=page, by=editor)

    assert not Page.objects.exists()
    assert AuditEntry.objects.get(action="page.deleted").data == {"title": "Venue"}


def test_delete_page_refuses_someone_who_may_not_edit_the_event(event, editor):
    page = _save(event, editor, title="Venue")
    reviewer = factories.team_member(event, name="Reviewers", can_review=True)

    with pytest.raises(NotAllowed):
        pages.delete_page(page=page, by=reviewer)

    assert Page.objects.filter(pk=page.pk).exists()


def test_the_database_keeps_short_names_unique_per_event(event):
    Page.objects.create(event=event, title="A", slug="same")

    with pytest.raises(IntegrityError):
        Page.objects.create(event=event, title="B", slug="same")
