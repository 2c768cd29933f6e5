import pytest
from django.urls import reverse

from podium.proposals import tagging
from tests import factories, program

pytestmark = pytest.mark.django_db


def test_the_talk_page_shows_public_tags_only(client, event):
    scheduler = factories.team_member(event, can_schedule=True, can_edit_event=True)
    talk = program.placed_talk(event, "Tagged talk", "Hall A", program.at(event, 10), scheduler)
    program.release(event, scheduler)
    talk.tags.add(
        tagging.save_tag(event=event, by=None, name="Beginner friendly", public=True),
        tagging.save_tag(event=event, by=None, name="Weak abstract"),
    )
    client.force_login(factories.UserFactory())

    page = client.get(reverse("site:talk", kwargs={"event": event.slug, "code": talk.code})).content.decode()

    assert "Beginner friendly" in page
    assert "Weak abstract" not in page
