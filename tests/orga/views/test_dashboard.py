import datetime as dt

import pytest
from django.urls import reverse

from podium.events.models import Team
from podium.mail.services import queue_system_mail
from podium.reviews import services as review_services
from podium.schedule.models import Slot
from tests import factories
from tests.program import at, placed_talk, release
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_dashboard_lists_only_events_of_the_users_teams(client, event, organiser_user):
    factories.EventFactory(name="Someone Else's Conf")
    client.force_login(organiser_user)

    response = client.get(reverse("orga:dashboard"))

    assert [e.pk for e in response.context["roles"]["team"]] == [event.pk]


def test_team_limited_to_one_event_does_not_list_the_sibling_event(client, event):
    sibling = factories.EventFactory(organiser=event.organiser, name="Sibling Conf")
    user = factories.team_member(event, can_review=True, events=[event])
    client.force_login(user)

    response = client.get(reverse("orga:dashboard"))

    assert [e.pk for e in response.context["roles"]["team"]] == [event.pk]
    assert client.get(reverse("orga:event", kwargs={"event": sibling.slug})).status_code == 403


def test_dashboard_query_count_is_constant(client, event, organiser_user):
    client.force_login(organiser_user)

    def grow(n):
        for _ in range(n):
            factories.EventFactory(organiser=event.organiser, setup=False)

    assert_constant_queries(client, reverse("orga:dashboard"), grow)


def test_organiser_page_query_count_is_constant(client, event, organiser_user):
    client.force_login(organiser_user)

    def grow(n):
        for _ in range(n):
            factories.EventFactory(organiser=event.organiser, setup=False)
            team = Team.objects.create(organiser=event.organiser, name=f"T{Team.objects.count()}")
            team.members.add(factories.UserFactory())

    assert_constant_queries(
        client, reverse("orga:organiser", kwargs={"organiser": event.organiser.slug}), grow
    )


def test_outbox_query_count_is_constant(client, event, organiser_user, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    client.force_login(organiser_user)

    def grow(n):
        for _ in range(n):
            proposal = factories.ProposalFactory(event=event)
            queue_system_mail(
                key="proposal_received",
                to="x@example.org",
                event=event,
                values={"name": organiser_user.name, "proposal_title": proposal.title},
                about=f"proposal:{proposal.pk}",
            )

    assert_constant_queries(client, reverse("orga:outbox", kwargs={"event": event.slug}), grow)


def test_event_dashboard_counts_proposals_by_state(client, event, organiser_user):
    factories.ProposalFactory(event=event)
    factories.ProposalFactory(event=event, state="accepted")
    client.force_login(organiser_user)

    counts = client.get(reverse("orga:event", kwargs={"event": event.slug})).context["counts"]

    assert (counts["total"], counts["submitted"], counts["accepted"]) == (2, 1, 1)


def test_site_admin_creates_an_organiser_and_administers_it(client):
    from podium.events.models import Organiser

    root = factories.UserFactory(is_superuser=True)
    client.force_login(root)

    response = client.post(reverse("orga:organiser_new"), {"name": "PyCon UK", "slug": "pyconuk"})

    organiser = Organiser.objects.get(slug="pyconuk")
    assert response["Location"] == reverse("orga:organiser", kwargs={"organiser": "pyconuk"})
    assert list(organiser.teams.get(is_admin=True).members.all()) == [root]


def test_new_organiser_bad_or_taken_slug_is_a_clear_error(client, event):
    from podium.events.models import Organiser

    client.force_login(factories.UserFactory(is_superuser=True))

    taken = client.post(reverse("orga:organiser_new"), {"name": "X", "slug": event.organiser.slug})
    bad = client.post(reverse("orga:organiser_new"), {"name": "X", "slug": "-x"})

    assert "taken" in taken.content.decode()
    assert "lowercase letters" in bad.content.decode()
    assert Organiser.objects.count() == 1


def test_new_organiser_page_is_for_site_admins_only(client, organiser_user):
    client.force_login(organiser_user)

    assert client.get(reverse("orga:organiser_new")).status_code == 403


def test_event_dashboard_query_count_does_not_grow_with_proposals_reviews_or_the_schedule(client, event):
    """The dashboard of an organiser who reviews and schedules: counts, review progress, decisions, the
    draft against the release and its conflicts, whatever the number of proposals and sessions."""
    organiser = factories.team_member(
        event, is_admin=True, can_edit_event=True, can_review=True, can_schedule=True
    )
    reviewers = [factories.team_member(event, can_review=True) for _ in range(2)]
    tracked = factories.team_member(event, can_review=True, tracks=[event.tracks.first()])
    release(event, organiser, name="v1")
    client.force_login(organiser)

    def grow(n):
        for _ in range(n):
            proposal = factories.ProposalFactory(event=event)
            for reviewer in [*reviewers, tracked]:
                review_services.save_review(proposal=proposal, reviewer=reviewer, score=1, comment="Ok.")
            factories.ProposalFactory(event=event, state="accepted", pending_state="")
            # Sessions in the draft, two of them with the same speaker at once (a conflict).
            speaker = factories.UserFactory()
            count = Slot.objects.filter(event=event, start__isnull=False).count()
            start = at(event, 9) + dt.timedelta(minutes=30 * count)
            placed_talk(event, f"Talk {count}", "Hall A", start, organiser, speakers=[speaker])
            placed_talk(event, f"Talk {count} bis", "Room 101", start, organiser, speakers=[speaker])

    assert_constant_queries(client, reverse("orga:event", kwargs={"event": event.slug}), grow)
