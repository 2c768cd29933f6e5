"""Feedback on a talk: a rating from 1 to 5 and a comment, once the talk has started, one per attendee."""

import pytest
from django.db import IntegrityError, transaction

from podium.attendance import services
from podium.attendance.models import MAX_FEEDBACK_COMMENT_LENGTH, Feedback
from podium.base.errors import NotAllowed, ServiceError
from tests import factories
from tests.program import cancel, release, running_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return running_program()


@pytest.fixture
def attendee(db):
    return factories.UserFactory(name="Grace Hopper")


def test_save_feedback_on_a_talk_that_has_started(conf, attendee):
    services.save_feedback(proposal=conf["opening"], by=attendee, rating=4, comment="Clear and fun.")

    assert list(Feedback.objects.values_list("user", "proposal", "rating", "comment")) == [
        (attendee.pk, conf["opening"].pk, 4, "Clear and fun.")
    ]


def test_a_second_feedback_updates_the_first(conf, attendee):
    first = services.save_feedback(proposal=conf["opening"], by=attendee, rating=2, comment="Hm.")

    second = services.save_feedback(
        proposal=conf["opening"], by=attendee, rating=5, comment="On reflection: great."
    )

    assert second.pk == first.pk
    assert list(Feedback.objects.values_list("rating", "comment")) == [(5, "On reflection: great.")]


def test_feedback_before_the_talk_started_is_refused(conf, attendee):
    with pytest.raises(NotAllowed, match="Feedback opens when the talk starts"):
        services.save_feedback(proposal=conf["closing"], by=attendee, rating=5)

    assert Feedback.objects.count() == 0


def test_feedback_for_a_cancelled_talk_is_refused(conf, attendee):
    cancel(conf["opening"], conf["scheduler"])
    release(conf["event"], conf["scheduler"])
    conf["opening"].refresh_from_db()

    with pytest.raises(NotAllowed, match="cancelled"):
        services.save_feedback(proposal=conf["opening"], by=attendee, rating=3)


def test_feedback_for_a_talk_not_on_the_release_is_refused(conf, attendee):
    submitted = factories.ProposalFactory(event=conf["event"], state="submitted")

    with pytest.raises(NotAllowed, match="not on the published program"):
        services.save_feedback(proposal=submitted, by=attendee, rating=3)


def test_feedback_by_the_talks_speaker_is_refused(conf):
    with pytest.raises(NotAllowed, match="your own talk"):
        services.save_feedback(proposal=conf["opening"], by=conf["ada"], rating=5, comment="I was great")

    assert Feedback.objects.count() == 0


@pytest.mark.parametrize("rating", [0, 6, -1, "five", None, "3.5"])
def test_feedback_with_a_rating_outside_one_to_five_is_refused(conf, attendee, rating):
    with pytest.raises(ServiceError, match="Choose a rating from 1 to 5") as refused:
        services.save_feedback(proposal=conf["opening"], by=attendee, rating=rating)

    assert refused.value.field == "rating"
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize("rating", [1, 5, "3"])
def test_feedback_takes_every_rating_from_one_to_five(conf, attendee, rating):
    services.save_feedback(proposal=conf["opening"], by=attendee, rating=rating)

    assert Feedback.objects.get().rating == int(rating)


def test_feedback_comment_longer_than_the_limit_is_refused(conf, attendee):
    with pytest.raises(ServiceError, match="at most 5,000 characters") as refused:
        services.save_feedback(
            proposal=conf["opening"], by=attendee, rating=3, comment="y" * (MAX_FEEDBACK_COMMENT_LENGTH + 1)
        )

    assert refused.value.field == "comment"


def test_feedback_keeps_hostile_comments_as_written(conf, attendee):
    services.save_feedback(
        proposal=conf["opening"], by=attendee, rating=1, comment='<script>alert("x")</script> "Ünïcödé"'
    )

    assert Feedback.objects.get().comment == '<script>alert("x")</script> "Ünïcödé"'


def test_the_database_refuses_a_rating_outside_one_to_five(conf, attendee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(user=attendee, proposal=conf["opening"], rating=6)
