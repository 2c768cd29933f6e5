import pytest
from django.urls import reverse

from podium.events.models import Team
from podium.mail.services import queue_system_mail
from tests import factories
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
