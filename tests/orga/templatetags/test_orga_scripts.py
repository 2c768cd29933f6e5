"""The back-office pages give their scripts the words they show, in the page's language: each script
reads only texts its page gives, has the same English built in, and words a scan's answer as the
server's own page does."""

import json
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from podium.checkin.models import ScanResult
from podium.orga.templatetags import orga_scripts
from tests import factories
from tests.base.test_scripts import check_script


@pytest.mark.parametrize("name", sorted(orga_scripts.SCRIPTS))
def test_each_script_reads_the_texts_its_page_gives(name):
    with translation.override("en"):
        # The order states' names come from the server alone (the script shows the state's code without).
        check_script(name, orga_scripts.SCRIPTS[name](), data_only=frozenset({"states"}))


def _blocks(html: str) -> dict:
    return {
        match.group(1): json.loads(match.group(2))
        for match in re.finditer(
            r'<script id="([\w-]+)-messages" type="application/json">(.*?)</script>', html
        )
    }


@pytest.mark.parametrize("kind", [choice.value for choice in ScanResult])
def test_a_scan_answer_is_labelled_as_on_the_server_page(kind):
    outcome = {"kind": kind, "admitted": kind == ScanResult.OK, "label": ScanResult(kind).label}
    with translation.override("en"):
        page = render_to_string("orga/checkin/_result.html", {"outcome": outcome})
        labels = orga_scripts.SCRIPTS["checkin"]()["labels"]

    shown = re.search(r'<p class="result-label">(.*?)</p>', page).group(1)
    assert labels[kind] == shown


@pytest.mark.django_db
def test_the_desk_carries_the_checkin_texts(client, event):
    client.force_login(factories.team_member(event, name="Door", can_check_in=True))

    response = client.get(reverse("orga:checkin", kwargs={"event": event.slug}))

    blocks = _blocks(response.content.decode())
    assert set(blocks) == {"checkin"}
    assert blocks["checkin"]["labels"]["forged"] == "Refused: Forged or altered code"
    assert blocks["checkin"]["states"]["paid"] == "Paid"


@pytest.mark.django_db
def test_the_schedule_editor_carries_its_texts(client, event):
    client.force_login(factories.team_member(event, name="Schedulers", can_schedule=True))

    response = client.get(reverse("orga:schedule", kwargs={"event": event.slug}))

    assert set(_blocks(response.content.decode())) == {"editor"}
