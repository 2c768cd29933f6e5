"""The public pages give their scripts the words they show, in the page's language: each script reads
only texts its page gives, and has the same English built in for pages without them."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from podium.site.templatetags import site_scripts
from tests import factories
from tests.base.test_scripts import check_script


@pytest.mark.parametrize("name", sorted(site_scripts.SCRIPTS))
def test_each_script_reads_the_texts_its_page_gives(name):
    with translation.override("en"):
        check_script(name, site_scripts.SCRIPTS[name]())


def _blocks(html: str) -> dict:
    return {
        match.group(1): json.loads(match.group(2))
        for match in re.finditer(
            r'<script id="([\w-]+)-messages" type="application/json">(.*?)</script>', html
        )
    }


@pytest.mark.django_db
def test_the_program_pages_carry_the_stars_and_live_texts(client, program):
    event = program["event"]

    blocks = _blocks(client.get(reverse("site:schedule", kwargs={"event": event.slug})).content.decode())

    assert set(blocks) == {"stars", "live"}
    assert blocks["stars"]["starred"] == "Starred."
    assert blocks["live"]["moved"] == {"one": "%(count)s moved", "other": "%(count)s moved"}


@pytest.mark.django_db
def test_the_agenda_carries_its_copy_texts(client, program):
    event = program["event"]
    client.force_login(factories.UserFactory())

    blocks = _blocks(client.get(reverse("site:agenda", kwargs={"event": event.slug})).content.decode())

    assert set(blocks) == {"stars", "live", "agenda"}
    assert blocks["agenda"]["copied"] == "Copied"


@pytest.mark.django_db
def test_a_room_screen_carries_the_live_and_rooms_texts(client, program):
    event = program["event"]
    room = event.rooms.get(name="Hall A")

    response = client.get(reverse("site:room_now", kwargs={"event": event.slug, "room": room.uuid}))

    blocks = _blocks(response.content.decode())
    assert set(blocks) == {"live", "rooms"}
    assert blocks["rooms"] == {"left": "%(minutes)s min left", "in": "in %(minutes)s min"}
