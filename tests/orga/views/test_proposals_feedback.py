"""Organisers who review or edit read every attendee's feedback on a proposal's page, with names."""

import pytest
from django.urls import reverse

from podium.attendance.models import Feedback
from podium.attendance.services import save_feedback
from tests import factories
from tests.program import running_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    conf = running_program()
    talk = conf["opening"]
    save_feedback(proposal=talk, by=factories.UserFactory(name="Critic One"), rating=5, comment="Loved it")
    save_feedback(proposal=talk, by=factories.UserFactory(name="Critic Two"), rating=2)
    return conf


def detail_url(proposal) -> str:
    return reverse("orga:proposal", kwargs={"event": proposal.event.slug, "code": proposal.code})


@pytest.mark.parametrize("flags", [{"can_review": True}, {"can_edit_event": True}])
def test_organisers_who_review_or_edit_see_feedback_with_names(client, conf, flags):
    client.force_login(factories.team_member(conf["event"], **flags))

    html = client.get(detail_url(conf["opening"])).content.decode()

    assert "Feedback from attendees" in html
    assert "Average rating <strong>3.5</strong> out of 5 from 2 attendees." in html
    assert html.index("Critic Two") < html.index("Critic One")  # newest first
    assert "Loved it" in html


def test_schedulers_do_not_see_the_feedback(client, conf):
    client.force_login(conf["scheduler"])

    response = client.get(detail_url(conf["opening"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Feedback from attendees" not in html
    assert "Critic One" not in html


def test_feedback_of_an_erased_account_shows_without_a_name(client, conf):
    Feedback.objects.filter(rating=5).update(user=None)
    client.force_login(factories.team_member(conf["event"], can_edit_event=True))

    html = client.get(detail_url(conf["opening"])).content.decode()

    assert "erased account" in html
    assert "Critic One" not in html
    assert "Loved it" in html


def test_a_proposal_without_feedback_says_so(client, conf):
    client.force_login(factories.team_member(conf["event"], can_edit_event=True))

    html = client.get(detail_url(conf["closing"])).content.decode()

    assert "No feedback yet" in html
