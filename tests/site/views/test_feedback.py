"""Feedback from the talk page: the form once the talk has started, refusals in words, errors in place."""

import re

import pytest
from django.urls import reverse

from podium.attendance import services
from podium.attendance.models import Feedback
from tests import factories
from tests.program import cancel, release, running_program

pytestmark = pytest.mark.django_db


def talk_url(proposal) -> str:
    return reverse("site:talk", kwargs={"event": proposal.event.slug, "code": proposal.code})


def feedback_url(proposal) -> str:
    return reverse("site:feedback", kwargs={"event": proposal.event.slug, "code": proposal.code})


@pytest.fixture
def conf(db):
    return running_program()


@pytest.fixture
def attendee(client, db):
    user = factories.UserFactory(name="Grace Hopper")
    client.force_login(user)
    return user


def test_the_talk_page_offers_the_feedback_form_once_the_talk_has_started(client, conf, attendee):
    html = client.get(talk_url(conf["opening"])).content.decode()

    assert f'action="{feedback_url(conf["opening"])}"' in html
    assert html.count('name="rating"') == 5
    assert "Send feedback</button>" in html


def test_the_talk_page_says_when_feedback_opens_for_a_talk_to_come(client, conf, attendee):
    html = client.get(talk_url(conf["closing"])).content.decode()

    assert "Feedback opens when the talk starts (" in html
    assert 'name="rating"' not in html


def test_a_speaker_is_told_they_cannot_rate_their_own_talk_and_where_to_read_its_feedback(client, conf):
    client.force_login(conf["ada"])

    html = client.get(talk_url(conf["opening"])).content.decode()

    assert "You cannot give feedback on your own talk." in html
    assert reverse("cfp:proposal", kwargs={"event": conf["event"].slug, "code": conf["opening"].code}) in html
    assert 'name="rating"' not in html


def test_anonymous_visitors_get_no_feedback_form(client, conf):
    html = client.get(talk_url(conf["opening"])).content.decode()

    assert 'name="rating"' not in html
    assert "to give feedback once it has started" in html


def test_sending_feedback_saves_it_and_a_second_time_updates_it(client, conf, attendee):
    first = client.post(feedback_url(conf["opening"]), {"rating": "4", "comment": "Clear."})

    assert first.status_code == 302
    assert first["Location"] == talk_url(conf["opening"]) + "#feedback-form"
    page = client.get(first["Location"]).content.decode()
    assert "Thank you: your feedback was saved." in page
    assert "You gave this talk 4 out of 5" in page
    assert re.search(r'value="4"[^>]*checked', page)
    assert "Update your feedback</button>" in page

    client.post(feedback_url(conf["opening"]), {"rating": "2", "comment": "Less clear on reflection."})

    assert list(Feedback.objects.values_list("user", "rating", "comment")) == [
        (attendee.pk, 2, "Less clear on reflection.")
    ]


@pytest.mark.parametrize("rating", ["0", "6", "", "great"])
def test_a_rating_outside_one_to_five_shows_an_error_and_keeps_the_comment(client, conf, attendee, rating):
    response = client.post(feedback_url(conf["opening"]), {"rating": rating, "comment": "Typed with care"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert "Typed with care</textarea>" in html
    assert Feedback.objects.count() == 0


def test_feedback_before_the_talk_started_is_refused_in_words(client, conf, attendee):
    response = client.post(feedback_url(conf["closing"]), {"rating": "5", "comment": "Early bird"})

    assert response.status_code == 200
    assert "Feedback opens when the talk starts" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_feedback_by_the_speaker_is_refused(client, conf):
    client.force_login(conf["ada"])

    response = client.post(feedback_url(conf["opening"]), {"rating": "5"})

    assert "You cannot give feedback on your own talk." in response.content.decode()
    assert Feedback.objects.count() == 0


def test_feedback_on_a_cancelled_talk_is_404_once_released(client, conf, attendee):
    cancel(conf["opening"], conf["scheduler"])
    release(conf["event"], conf["scheduler"])

    assert client.post(feedback_url(conf["opening"]), {"rating": "5"}).status_code == 404
    assert Feedback.objects.count() == 0


def test_feedback_on_a_talk_not_in_the_release_is_404(client, conf, attendee):
    submitted = factories.ProposalFactory(event=conf["event"], state="submitted")

    assert client.post(feedback_url(submitted), {"rating": "5"}).status_code == 404


def test_feedback_needs_a_login(client, conf):
    response = client.post(feedback_url(conf["opening"]), {"rating": "5"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_get_of_the_feedback_address_goes_to_the_talk(client, conf, attendee):
    response = client.get(feedback_url(conf["opening"]))

    assert response["Location"] == talk_url(conf["opening"]) + "#feedback-form"


def test_feedback_on_a_hidden_event_is_404(client, conf, attendee):
    conf["event"].is_public = False
    conf["event"].save(update_fields=["is_public"])

    assert client.post(feedback_url(conf["opening"]), {"rating": "5"}).status_code == 404


def test_the_talk_page_never_shows_who_gave_feedback(client, conf, attendee):
    services.save_feedback(proposal=conf["opening"], by=factories.UserFactory(name="Quiet Critic"), rating=1)

    html = client.get(talk_url(conf["opening"])).content.decode()

    assert "Quiet Critic" not in html
