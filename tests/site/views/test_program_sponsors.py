"""The "Sponsored by" mark on the talk page, the talks list and the speaker page, for sessions whose
track a public sponsorship sponsors."""

import pytest
from django.urls import reverse

from podium.sponsors import services
from podium.sponsors.models import Stage
from tests.program import speaker_code, talk
from tests.public_sponsors import sponsor

pytestmark = pytest.mark.django_db


def _get(client, name, event, **kwargs) -> str:
    response = client.get(reverse(f"site:{name}", kwargs={"event": event.slug, **kwargs}))
    assert response.status_code == 200
    return response.content.decode()


def _summary(content: str, title: str) -> str:
    start = content.index(title)
    return content[start : content.find("</article>", start)]


def test_the_talk_page_names_the_sponsor_with_a_link_to_the_sponsors_page(client, program, manager):
    event = program["event"]
    sponsor(event, manager, "Acme Cloud", track=event.tracks.get(name="Web"))

    alpha = _get(client, "talk", event, code=program["alpha"].code)
    beta = _get(client, "talk", event, code=program["beta"].code)

    page = reverse("site:sponsors", kwargs={"event": event.slug})
    assert "<dt>Sponsored by</dt>" in alpha
    assert f'<a href="{page}" dir="auto">Acme Cloud</a>' in alpha
    assert "Sponsored by" not in beta


def test_the_talks_list_and_speaker_page_mark_the_sponsored_sessions(client, program, manager):
    event = program["event"]
    sponsor(event, manager, "Data Corp", track=event.tracks.get(name="Data"), stage=Stage.PAID)

    talks = _get(client, "talks", event)
    speaker = _get(client, "speaker", event, speaker=speaker_code(program["beta"]))

    assert "Sponsored by <bdi>Data Corp</bdi>" in _summary(talks, "Beta talk")
    assert "Sponsored by" not in _summary(talks, "Alpha talk")
    assert "Sponsored by <bdi>Data Corp</bdi>" in speaker


def test_the_mark_goes_when_the_sponsorship_leaves_the_public_stages(client, program, manager):
    event = program["event"]
    shown = sponsor(event, manager, "Acme Cloud", track=event.tracks.get(name="Web"))
    code = program["alpha"].code
    assert "Sponsored by" in _get(client, "talk", event, code=code)

    services.move_stage(sponsorship=shown, stage=Stage.DECLINED, by=manager)

    assert "Sponsored by" not in _get(client, "talk", event, code=code)


def test_accepted_talks_before_the_first_release_are_marked_too(client, event, manager):
    event.show_accepted_talks = True
    event.save()
    talk(event, "Early talk", track_name="Web")
    sponsor(event, manager, "Acme Cloud", track=event.tracks.get(name="Web"))

    assert "Sponsored by <bdi>Acme Cloud</bdi>" in _summary(_get(client, "talks", event), "Early talk")
