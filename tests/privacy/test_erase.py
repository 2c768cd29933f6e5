"""Erasure handles every PERSONAL field and every LINK of the registry."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from podium import privacy
from podium.privacy.erase import WITHDRAWN_SPEAKER, erase_person
from tests.personal import EMAIL, NAME

pytestmark = pytest.mark.django_db


def _text(value) -> str:
    if hasattr(value, "field"):  # a file: its stored name
        value = value.name
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def test_the_scenario_fills_every_personal_field_and_link(person):
    assert sorted(person.personal) == privacy.fields_marked(privacy.PERSONAL), (
        "Give tests/personal.py a value for every PERSONAL field, so export and erase are tested on it."
    )
    assert sorted(person.links) == privacy.fields_marked(privacy.LINK)


def _reloaded(instance):
    return type(instance).objects.filter(pk=instance.pk).first()


def test_erasure_clears_or_deletes_every_personal_value(person, django_capture_on_commit_callbacks):
    before = {
        label: getattr(instance, label.split(".")[2]) for label, (instance, _) in person.personal.items()
    }

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(user=person.user, by=None)

    kept = []
    for label, (instance, shown) in person.personal.items():
        name = label.split(".")[2]
        row = _reloaded(instance)
        if row is not None and (getattr(row, name) == before[label] or shown in _text(getattr(row, name))):
            kept.append(label)

    assert kept == []


def test_erasure_does_with_each_link_what_the_registry_says(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(user=person.user, by=None)

    wrong = []
    for label, instance in person.links.items():
        name = label.split(".")[2]
        action = privacy.ON_ERASE[label]
        row = _reloaded(instance)
        field = type(instance)._meta.get_field(name)
        if action == privacy.DELETE:
            linked = row is not None
        elif row is None:
            linked = False
        elif field.many_to_many:
            linked = getattr(row, name).filter(pk=person.user.pk).exists()
        else:
            linked = getattr(row, field.attname) == person.user.pk
        if linked != (action == privacy.KEEP):
            wrong.append(f"{label}: expected {action}")

    assert wrong == []


def test_the_erased_account_cannot_log_in_and_shows_as_withdrawn_speaker(client, person):
    erase_person(user=person.user, by=None)

    person.user.refresh_from_db()
    assert person.user.name == WITHDRAWN_SPEAKER
    assert person.user.email.endswith("@erased.invalid")
    assert not person.user.has_usable_password()
    assert not person.user.is_active
    assert person.user.teams.count() == 0
    client.post("/accounts/login/", {"username": EMAIL, "password": "correct horse battery"})
    assert "_auth_user_id" not in client.session


def test_the_release_keeps_the_talk_and_the_next_release_sees_no_change(person):
    from podium.base.errors import ServiceError
    from podium.schedule.services import publish_release

    erase_person(user=person.user, by=None)

    session = person.release.sessions.get(code=person.proposal.code)
    assert session.title == "Lighthouse acoustics"
    assert [entry["name"] for entry in session.speakers] == [WITHDRAWN_SPEAKER, "Other Speaker"]
    with pytest.raises(ServiceError, match="Nothing public changed"):
        publish_release(event=person.event, by=None)


def test_reviews_keep_their_scores_and_lose_their_comments(person):
    review = person.links["reviews.Review.reviewer"]

    erase_person(user=person.user, by=None)

    review.refresh_from_db()
    assert (review.score, review.comment) == (3, "")


def test_erasure_leaves_one_audit_entry_that_names_no_personal_value(person):
    erase_person(user=person.user, by=None)

    entry = privacy_entry()
    assert entry.object_id == str(person.user.pk)
    assert NAME not in _text(entry.data)
    assert "zyxwv" not in _text(entry.data).lower()


def privacy_entry():
    from podium.base.models import AuditEntry

    return AuditEntry.objects.get(action="person.erased")


def test_erasing_twice_is_refused(person):
    from podium.base.errors import ServiceError

    erase_person(user=person.user, by=None)

    with pytest.raises(ServiceError, match="erased already"):
        erase_person(user=person.user, by=None)


def test_an_untouched_release_keeps_its_fingerprint(event, organiser_user, person):
    other = factories_release_without(person)

    erase_person(user=person.user, by=None)

    fingerprint = other.fingerprint
    other.refresh_from_db()
    assert other.fingerprint == fingerprint


def factories_release_without(person):
    """A release of another event, where the person does not speak."""
    from tests import factories, program

    event = factories.EventFactory()
    talk = program.talk(event, "Unrelated")
    program.place(event, talk, "Hall A", program.at(event, 10), None)
    return program.release(event, None)


def test_feedback_stays_anonymous_with_the_persons_values_replaced_in_its_comment(person):
    feedback = person.links["attendance.Feedback.user"]

    erase_person(user=person.user, by=None)

    feedback.refresh_from_db()
    assert (feedback.user_id, feedback.rating) == (None, 4)
    assert feedback.comment.startswith("Signed, ")
    assert NAME not in feedback.comment
    assert EMAIL not in feedback.comment


def test_shared_notes_leave_the_talk_page_when_their_author_is_erased(client, person):
    url = f"/{person.event.slug}/talk/{person.proposal.code}/"
    assert "Qwfpgj" in client.get(url).content.decode()

    erase_person(user=person.user, by=None)

    assert "Qwfpgj" not in client.get(url).content.decode()
