"""Speakers read the feedback on their own talks on their proposal page, without who gave it."""

import pytest
from django.urls import reverse

from podium.attendance.services import save_feedback
from tests import factories
from tests.program import running_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return running_program()


def proposal_url(proposal) -> str:
    return reverse("cfp:proposal", kwargs={"event": proposal.event.slug, "code": proposal.code})


def test_the_speaker_reads_average_count_and_comments_newest_first_without_names(client, conf):
    talk = conf["opening"]
    save_feedback(
        proposal=talk, by=factories.UserFactory(name="Critic One"), rating=5, comment="First <b>words</b>"
    )
    save_feedback(proposal=talk, by=factories.UserFactory(name="Critic Two"), rating=2)
    save_feedback(
        proposal=talk, by=factories.UserFactory(name="Critic Three"), rating=4, comment="Latest words"
    )
    client.force_login(conf["ada"])

    html = client.get(proposal_url(talk)).content.decode()

    assert "Average rating <strong>3.7</strong> out of 5 from 3 attendees." in html
    assert html.index("Latest words") < html.index("First &lt;b&gt;words&lt;/b&gt;")
    assert "<b>words</b>" not in html
    assert "Critic" not in html


def test_the_speaker_page_without_feedback_has_no_feedback_section(client, conf):
    client.force_login(conf["ada"])

    assert "Feedback from attendees" not in client.get(proposal_url(conf["opening"])).content.decode()


def test_another_speaker_cannot_read_the_talks_feedback(client, conf):
    save_feedback(proposal=conf["opening"], by=factories.UserFactory(), rating=5, comment="Only for Ada")
    client.force_login(conf["bob"])

    response = client.get(proposal_url(conf["opening"]))

    assert response.status_code == 404
