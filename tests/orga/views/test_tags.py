import pytest
from django.urls import reverse

from podium.proposals.models import Tag

pytestmark = pytest.mark.django_db


def test_organisers_create_edit_and_delete_tags(client, event, organiser_user, proposal):
    client.force_login(organiser_user)
    url = reverse("orga:tags", kwargs={"event": event.slug})

    assert client.post(url, {"name": "Security", "colour": "#aa0000", "public": "on"}).status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.colour, tag.public) == ("Security", "#aa0000", True)
    proposal.tags.add(tag)
    edit = reverse("orga:tag_edit", kwargs={"event": event.slug, "tag": tag.pk})
    assert (
        client.post(edit, {"name": "Safety", "colour": "#00aa00", "version": tag.version}).status_code == 302
    )
    tag.refresh_from_db()
    assert (tag.name, tag.public) == ("Safety", False)
    assert "Safety" in client.get(url).content.decode()

    client.post(reverse("orga:tag_delete", kwargs={"event": event.slug, "tag": tag.pk}))
    assert not Tag.objects.exists()
    assert proposal.__class__.objects.filter(pk=proposal.pk).exists()


def test_a_duplicate_name_shows_on_the_form(client, event, organiser_user):
    client.force_login(organiser_user)
    url = reverse("orga:tags", kwargs={"event": event.slug})
    client.post(url, {"name": "Security", "colour": "#aa0000"})

    response = client.post(url, {"name": "security", "colour": "#aa0000"})

    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert Tag.objects.count() == 1


def test_another_events_tag_is_not_found(client, event, organiser_user):
    from tests import factories

    other = Tag.objects.create(event=factories.EventFactory(), name="Theirs")
    client.force_login(organiser_user)

    assert (
        client.get(reverse("orga:tag_edit", kwargs={"event": event.slug, "tag": other.pk})).status_code == 404
    )


def test_reviewers_may_not_open_the_tag_page(client, event, reviewer):
    client.force_login(reviewer)

    assert client.get(reverse("orga:tags", kwargs={"event": event.slug})).status_code == 403
