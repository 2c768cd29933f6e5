import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.sponsors import services
from podium.sponsors.models import Deliverable, Interaction, Organisation, Stage
from tests import factories
from tests.sponsoring import contact, level, organisation, png

pytestmark = pytest.mark.django_db

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def reviewer(event):
    return factories.team_member(event, name="Reviewers", can_review=True)


def _actions(prefix="sponsors."):
    return list(
        AuditEntry.objects.filter(action__startswith=prefix).order_by("pk").values_list("action", flat=True)
    )


# --- Organisations and logos ------------------------------------------------------------------------


def test_a_new_organisation_joins_the_pipeline_as_a_prospect(event, manager):
    sponsorship = organisation(event, manager, kind="exhibitor", website="https://acme.example")
    assert (sponsorship.stage, sponsorship.owner, sponsorship.organisation.kind) == (
        Stage.PROSPECT,
        manager,
        "exhibitor",
    )
    assert sponsorship.organisation.organiser == event.organiser
    assert _actions() == ["sponsors.organisation_saved", "sponsors.added"]


def test_names_are_unique_per_organiser_in_any_case(event, manager):
    organisation(event, manager, "Acme Cloud")
    with pytest.raises(ServiceError, match="already an organisation") as caught:
        organisation(event, manager, "ACME cloud")
    assert caught.value.field == "name"
    assert Organisation.objects.count() == 1


def test_a_reviewer_may_not_touch_sponsors(event, manager, reviewer):
    sponsorship = organisation(event, manager)
    with pytest.raises(NotAllowed):
        services.save_organisation(event=event, by=reviewer, data={"name": "Other"})
    with pytest.raises(NotAllowed):
        services.move_stage(sponsorship=sponsorship, stage=Stage.CONTACTED, by=reviewer)
    with pytest.raises(NotAllowed):
        services.log_interaction(sponsorship=sponsorship, by=reviewer, data={"summary": "Called"})
    with pytest.raises(NotAllowed):
        services.save_level(event=event, by=reviewer, data={"name": "Gold"})
    sponsorship.refresh_from_db()
    assert sponsorship.stage == Stage.PROSPECT
    assert not Interaction.objects.exists()


def test_another_organisers_organisation_is_refused(event, manager):
    other_event = factories.EventFactory()
    stranger = services.save_organisation(event=other_event, by=None, data={"name": "Elsewhere"})
    with pytest.raises(NotAllowed):
        services.add_sponsorship(event=event, organisation=stranger, by=manager)
    with pytest.raises(NotAllowed):
        services.save_organisation(event=event, by=manager, data={"name": "Mine now"}, organisation=stranger)


def test_a_png_logo_is_re_encoded_under_a_random_name(event, manager):
    upload = png("acme-logo.png")
    sponsorship = organisation(event, manager, logo=None)
    org = services.save_organisation(
        event=event, by=manager, data={}, organisation=sponsorship.organisation, logo=upload
    )
    assert org.logo.name.startswith("sponsors/")
    assert "acme-logo" not in org.logo.name
    with Image.open(org.logo.path) as image:
        assert (image.format, image.size) == ("PNG", (40, 20))


def test_a_png_logo_loses_its_text_chunks(event, manager):
    from io import BytesIO

    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    out = BytesIO()
    Image.new("RGB", (10, 10), "red").save(out, format="PNG", pnginfo=info)
    org = services.save_organisation(
        event=event,
        by=manager,
        data={"name": "Scripted"},
        logo=SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png"),
    )
    with org.logo.open("rb") as stored:
        assert b"<script>" not in stored.read()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("logo.svg", SVG, "image/svg+xml"),
        ("logo.png", SVG, "image/png"),  # an SVG with a PNG name
        ("logo.png", b"  <svg xmlns='http://www.w3.org/2000/svg'></svg>", "application/octet-stream"),
    ],
)
def test_svg_logos_are_refused(event, manager, name, content, content_type):
    with pytest.raises(ServiceError, match="SVG logos are not accepted") as caught:
        services.save_organisation(
            event=event,
            by=manager,
            data={"name": "Vector Inc"},
            logo=SimpleUploadedFile(name, content, content_type=content_type),
        )
    assert caught.value.field == "logo"
    assert not Organisation.objects.exists()


def test_a_file_that_is_no_image_is_refused(event, manager):
    sponsorship = organisation(event, manager)
    with pytest.raises(ServiceError, match="not a readable image") as caught:
        services.save_organisation(
            event=event,
            by=manager,
            data={"name": "Renamed"},
            organisation=sponsorship.organisation,
            logo=SimpleUploadedFile("logo.png", b"#!/bin/sh\necho hi\n", content_type="image/png"),
        )
    assert caught.value.field == "logo"
    sponsorship.organisation.refresh_from_db()
    assert sponsorship.organisation.name == "Acme Cloud"  # nothing saved


def test_a_replaced_logo_file_is_deleted_after_commit(event, manager, django_capture_on_commit_callbacks):
    org = services.save_organisation(event=event, by=manager, data={"name": "Acme"}, logo=png())
    first = org.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        org = services.save_organisation(
            event=event, by=manager, data={}, organisation=org, logo=png(colour="red")
        )
    assert org.logo.name != first
    assert not org.logo.storage.exists(first)
    assert org.logo.storage.exists(org.logo.name)


def test_a_stale_organisation_edit_is_refused(event, manager, colleague):
    org = organisation(event, manager).organisation
    services.save_organisation(
        event=event, by=colleague, data={"notes": "Met at PyCon"}, organisation=org, version=1
    )
    with pytest.raises(StaleEdit):
        services.save_organisation(
            event=event, by=manager, data={"name": "Acme"}, organisation=org, version=1
        )
    org.refresh_from_db()
    assert (org.name, org.notes, org.version) == ("Acme Cloud", "Met at PyCon", 2)


def test_an_organisation_at_another_event_is_not_deleted(event, manager):
    sponsorship = organisation(event, manager)
    other = factories.EventFactory(organiser=event.organiser)
    services.add_sponsorship(event=other, organisation=sponsorship.organisation, by=None)
    with pytest.raises(ServiceError, match="also in the pipeline"):
        services.delete_organisation(event=event, organisation=sponsorship.organisation, by=manager)
    assert Organisation.objects.count() == 1


def test_the_same_organisation_twice_at_an_event_is_refused(event, manager):
    sponsorship = organisation(event, manager)
    with pytest.raises(ServiceError, match="in this event's pipeline already"):
        services.add_sponsorship(event=event, organisation=sponsorship.organisation, by=manager)


# --- Contacts ---------------------------------------------------------------------------------------


def test_one_primary_contact_per_organisation(event, manager):
    sponsorship = organisation(event, manager)
    first = contact(sponsorship, manager, is_primary=True)
    second = contact(sponsorship, manager, name="Sam Roe", email="sam@acme.example", is_primary=True)
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)


def test_a_contact_needs_a_name_and_a_valid_address(event, manager):
    sponsorship = organisation(event, manager)
    with pytest.raises(ServiceError) as caught:
        contact(sponsorship, manager, name="  ")
    assert caught.value.field == "name"
    with pytest.raises(ServiceError) as caught:
        contact(sponsorship, manager, email="not-an-address")
    assert caught.value.field == "email"


# --- The pipeline -----------------------------------------------------------------------------------


def test_moves_along_the_pipeline_are_recorded(event, manager):
    sponsorship = organisation(event, manager)
    before = sponsorship.stage_changed
    moved = services.move_stage(sponsorship=sponsorship, stage=Stage.COMMITTED, by=manager, version=1)
    assert (moved.stage, moved.version) == (Stage.COMMITTED, 2)
    assert moved.stage_changed >= before
    moved = services.move_stage(sponsorship=moved, stage=Stage.CONTACTED, by=manager, version=2)
    entry = AuditEntry.objects.filter(action="sponsors.stage_changed").order_by("pk").last()
    assert entry.data == {"before": "committed", "after": "contacted"}


@pytest.mark.parametrize(
    ("start", "target"),
    [(Stage.INVOICED, Stage.PROSPECT), (Stage.PAID, Stage.COMMITTED), (Stage.DECLINED, Stage.PAID)],
)
def test_moves_the_pipeline_does_not_allow_are_refused(event, manager, start, target):
    sponsorship = organisation(event, manager)
    sponsorship.stage = start
    sponsorship.save(update_fields=["stage"])
    with pytest.raises(ServiceError, match="can move to"):
        services.move_stage(sponsorship=sponsorship, stage=target, by=manager)
    sponsorship.refresh_from_db()
    assert sponsorship.stage == start


def test_declined_from_anywhere_and_back_to_contacted(event, manager):
    sponsorship = organisation(event, manager)
    sponsorship = services.move_stage(sponsorship=sponsorship, stage=Stage.PAID, by=manager)
    sponsorship = services.move_stage(sponsorship=sponsorship, stage=Stage.DECLINED, by=manager)
    sponsorship = services.move_stage(sponsorship=sponsorship, stage=Stage.CONTACTED, by=manager)
    assert sponsorship.stage == Stage.CONTACTED


def test_a_stale_move_is_refused(event, manager, colleague):
    sponsorship = organisation(event, manager)
    services.move_stage(sponsorship=sponsorship, stage=Stage.CONTACTED, by=colleague, version=1)
    with pytest.raises(StaleEdit):
        services.move_stage(sponsorship=sponsorship, stage=Stage.DECLINED, by=manager, version=1)
    sponsorship.refresh_from_db()
    assert sponsorship.stage == Stage.CONTACTED


def test_owner_and_amount_and_track(event, manager, reviewer):
    sponsorship = organisation(event, manager)
    track = event.tracks.first()
    saved = services.save_sponsorship(
        sponsorship=sponsorship, by=manager, data={"owner": None, "amount": 1200, "track": track}, version=1
    )
    assert (saved.owner, saved.amount, saved.track) == (None, 1200, track)
    with pytest.raises(ServiceError, match="team who manages sponsors"):
        services.save_sponsorship(sponsorship=sponsorship, by=manager, data={"owner": reviewer})
    other_track = factories.TrackFactory()
    with pytest.raises(ServiceError, match="track of this event"):
        services.save_sponsorship(sponsorship=sponsorship, by=manager, data={"track": other_track})


# --- Levels and checklists --------------------------------------------------------------------------


def test_setting_a_level_creates_its_checklist(event, manager):
    gold = level(event, manager)
    sponsorship = organisation(event, manager)
    services.set_level(sponsorship=sponsorship, level=gold, by=manager, version=1)
    assert list(sponsorship.deliverables.values_list("name", flat=True)) == [
        "Logo received",
        "Invoice sent",
        "Booth assigned",
    ]


def test_changing_the_level_keeps_ticked_items(event, manager):
    gold = level(event, manager)
    silver = level(event, manager, "Silver", price=2000, deliverables=["Logo received", "Tickets issued"])
    sponsorship = organisation(event, manager)
    sponsorship = services.set_level(sponsorship=sponsorship, level=gold, by=manager)
    booth = sponsorship.deliverables.get(name="Booth assigned")
    services.tick_deliverable(deliverable=booth, done=True, by=manager, version=booth.version)

    services.set_level(sponsorship=sponsorship, level=silver, by=manager)

    names = sorted(sponsorship.deliverables.values_list("name", flat=True))
    assert names == ["Booth assigned", "Logo received", "Tickets issued"]  # "Invoice sent" was not ticked
    assert sponsorship.deliverables.get(name="Booth assigned").done_by == manager


def test_a_level_of_another_event_is_refused(event, manager):
    other = factories.EventFactory(organiser=event.organiser)
    foreign = level(other, None)
    sponsorship = organisation(event, manager)
    with pytest.raises(ServiceError, match="level of this event"):
        services.set_level(sponsorship=sponsorship, level=foreign, by=manager)


def test_editing_a_levels_checklist_adds_items_and_removes_none(event, manager):
    gold = level(event, manager)
    sponsorship = services.set_level(sponsorship=organisation(event, manager), level=gold, by=manager)
    services.save_level(
        event=event,
        by=manager,
        level=gold,
        version=gold.version,
        data={"deliverables": ["Talk scheduled", " "]},
    )
    names = sorted(sponsorship.deliverables.values_list("name", flat=True))
    assert names == ["Booth assigned", "Invoice sent", "Logo received", "Talk scheduled"]


def test_a_level_in_use_is_not_deleted_and_names_are_unique(event, manager):
    gold = level(event, manager)
    services.set_level(sponsorship=organisation(event, manager), level=gold, by=manager)
    with pytest.raises(ServiceError, match="cannot be deleted"):
        services.delete_level(level=gold, by=manager)
    with pytest.raises(ServiceError, match="already a level"):
        level(event, manager, "GOLD")
    with pytest.raises(ServiceError) as caught:
        level(event, manager, "Bronze", price=-1)
    assert caught.value.field == "price"


def test_ticking_unticking_and_due_dates(event, manager, colleague):
    sponsorship = services.set_level(
        sponsorship=organisation(event, manager), level=level(event, manager), by=manager
    )
    item = sponsorship.deliverables.get(name="Logo received")
    item = services.set_deliverable_due(
        deliverable=item, due=dt.date(2031, 5, 1), by=manager, version=item.version
    )
    item = services.tick_deliverable(deliverable=item, done=True, by=colleague, version=item.version)
    assert (item.done_by, item.due) == (colleague, dt.date(2031, 5, 1))
    with pytest.raises(StaleEdit):
        services.tick_deliverable(deliverable=item, done=False, by=manager, version=item.version - 1)
    item = services.tick_deliverable(deliverable=item, done=False, by=manager, version=item.version)
    assert (item.done_at, item.done_by) == (None, None)


# --- The log ----------------------------------------------------------------------------------------


def test_logging_an_interaction_with_a_next_step(event, manager):
    sponsorship = organisation(event, manager)
    dana = contact(sponsorship, manager)
    entry = services.log_interaction(
        sponsorship=sponsorship,
        by=manager,
        data={
            "kind": "call",
            "summary": "Talked about Gold",
            "contact": dana,
            "next_step": "Send the prospectus",
            "due": dt.date(2031, 1, 3),
        },
    )
    assert (entry.by, entry.assigned_to, entry.contact, entry.done_at) == (manager, manager, dana, None)


def test_a_due_date_needs_a_next_step(event, manager):
    sponsorship = organisation(event, manager)
    with pytest.raises(ServiceError, match="next step") as caught:
        services.log_interaction(
            sponsorship=sponsorship, by=manager, data={"summary": "Called", "due": dt.date(2031, 1, 3)}
        )
    assert caught.value.field == "next_step"
    assert not Interaction.objects.exists()


def test_the_database_keeps_a_due_date_with_its_next_step(event, manager):
    from django.utils import timezone

    sponsorship = organisation(event, manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.create(
            sponsorship=sponsorship, happened_at=timezone.now(), summary="x", due=dt.date(2031, 1, 3)
        )


def test_the_log_refuses_strangers(event, manager, reviewer):
    sponsorship = organisation(event, manager)
    other = organisation(event, manager, "Other Org")
    stranger = contact(other, manager, name="Not Theirs", email="x@other.example")
    with pytest.raises(ServiceError) as caught:
        services.log_interaction(
            sponsorship=sponsorship, by=manager, data={"summary": "x", "contact": stranger}
        )
    assert caught.value.field == "contact"
    with pytest.raises(ServiceError) as caught:
        services.log_interaction(
            sponsorship=sponsorship,
            by=manager,
            data={"summary": "x", "next_step": "y", "assigned_to": reviewer},
        )
    assert caught.value.field == "assigned_to"
    with pytest.raises(ServiceError) as caught:
        services.log_interaction(sponsorship=sponsorship, by=manager, data={"summary": " ", "kind": "call"})
    assert caught.value.field == "summary"


def test_a_next_step_is_done_once_and_may_be_given_to_a_colleague(event, manager, colleague):
    sponsorship = organisation(event, manager)
    entry = services.log_interaction(
        sponsorship=sponsorship, by=manager, data={"summary": "Met", "next_step": "Send contract"}
    )
    entry = services.reassign_next_step(
        interaction=entry, assigned_to=colleague, by=manager, version=entry.version
    )
    assert entry.assigned_to == colleague
    entry = services.complete_next_step(interaction=entry, by=colleague, version=entry.version)
    assert entry.done_at is not None
    with pytest.raises(StaleEdit, match="done already"):
        services.complete_next_step(interaction=entry, by=manager, version=entry.version)
    plain = services.log_interaction(sponsorship=sponsorship, by=manager, data={"summary": "Note"})
    with pytest.raises(ServiceError, match="no next step"):
        services.complete_next_step(interaction=plain, by=manager)


def test_deliverables_are_unique_per_sponsorship(event, manager):
    sponsorship = organisation(event, manager)
    Deliverable.objects.create(sponsorship=sponsorship, name="Logo received")
    with pytest.raises(IntegrityError), transaction.atomic():
        Deliverable.objects.create(sponsorship=sponsorship, name="Logo received")
