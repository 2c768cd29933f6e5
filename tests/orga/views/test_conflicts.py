"""Conflicts of interest with a person on the reviewer's conflicts page and the organisers' assignment
page (podium.orga.views.conflicts): declared by address or by choosing a speaker, withdrawn; under
anonymised review the page lists no speaker and its answer never tells whether the person submitted."""

import pytest
from django.urls import reverse

from podium.base.bidi import isolated
from podium.reviews import rules
from podium.reviews.models import Assignment, SpeakerConflict
from tests import factories

pytestmark = pytest.mark.django_db


def _url(name, event):
    return reverse(f"orga:{name}", kwargs={"event": event.slug})


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def speaker():
    return factories.UserFactory(email="sam@example.org", name="Sam Speaker")


@pytest.fixture
def anonymised(event):
    event.anonymise_review = True
    event.save(update_fields=["anonymise_review"])
    return event


def test_a_reviewer_declares_and_withdraws_a_conflict_with_a_person_by_address(
    client, event, reviewer, speaker
):
    theirs = factories.ProposalFactory(event=event, speakers=[speaker])
    client.force_login(reviewer)
    url = _url("review_conflicts", event)

    declared = client.post(url, {"action": "declare_person", "email": "SAM@example.org"}, follow=True)

    assert (
        "Conflict of interest with sam@example.org recorded: you are not given, and do not review, any "
        "proposal this person speaks on in this event, now or later." in _messages(declared)
    )
    assert theirs.code not in set(rules.reviewable_proposals(reviewer, event).values_list("code", flat=True))
    page = client.get(url).content.decode()
    assert "sam@example.org" in page
    conflict = SpeakerConflict.objects.get()

    withdrawn = client.post(url, {"action": "withdraw_person", "conflict": conflict.pk}, follow=True)

    assert "Conflict of interest with sam@example.org withdrawn." in _messages(withdrawn)
    assert not SpeakerConflict.objects.exists()


def test_under_anonymised_review_the_answer_is_the_same_for_a_speaker_and_for_nobody(
    client, anonymised, reviewer, speaker
):
    event = anonymised
    factories.ProposalFactory(event=event, speakers=[speaker])
    client.force_login(reviewer)
    url = _url("review_conflicts", event)

    page = client.get(url).content.decode()
    answers = [
        client.post(url, {"action": "declare_person", "email": address}, follow=True)
        for address in ("sam@example.org", "nobody@example.org")
    ]

    assert 'name="speaker"' not in page  # no list of speakers to choose from
    assert "Sam Speaker" not in page
    texts = [
        _messages(answer)[0].replace(address, "ADDRESS")
        for answer, address in zip(answers, ("sam@example.org", "nobody@example.org"), strict=True)
    ]
    assert texts[0] == texts[1]
    listed = answers[1].content.decode()
    assert "sam@example.org" in listed
    assert "nobody@example.org" in listed
    assert "Sam Speaker" not in listed


def test_who_sees_the_speakers_may_choose_one(client, event, reviewer, speaker):
    theirs = factories.ProposalFactory(event=event, speakers=[speaker])
    client.force_login(reviewer)
    url = _url("review_conflicts", event)

    page = client.get(url).content.decode()
    client.post(url, {"action": "declare_person", "speaker": "sam@example.org"}, follow=True)

    assert "Sam Speaker &lt;sam@example.org&gt;" in page
    assert SpeakerConflict.objects.get().speaker == speaker
    assert rules.review_refusal(reviewer, theirs) == rules.CONFLICTED_PERSON


def test_a_bad_address_and_one_own_address_are_refused(client, event, reviewer):
    client.force_login(reviewer)
    url = _url("review_conflicts", event)

    bad = client.post(url, {"action": "declare_person", "email": "not an address"}, follow=True)
    none = client.post(url, {"action": "declare_person", "email": ""}, follow=True)
    own = client.post(url, {"action": "declare_person", "email": reviewer.email}, follow=True)

    assert "Enter a valid email address." in _messages(bad)
    assert "Give the person's e-mail address." in _messages(none)[0]
    assert "own address" in _messages(own)[0]
    assert not SpeakerConflict.objects.exists()


def test_a_reviewer_cannot_withdraw_someone_elses_conflict(client, event, reviewer, speaker, organiser_user):
    colleague = factories.team_member(event, name="Other reviewers", can_review=True)
    client.force_login(colleague)
    client.post(_url("review_conflicts", event), {"action": "declare_person", "email": speaker.email})
    conflict = SpeakerConflict.objects.get()
    client.force_login(reviewer)

    answer = client.post(
        _url("review_conflicts", event), {"action": "withdraw_person", "conflict": conflict.pk}, follow=True
    )

    assert "There was no such conflict of interest (withdrawn already?)." in _messages(answer)
    assert SpeakerConflict.objects.filter(pk=conflict.pk).exists()


def test_organisers_record_and_withdraw_a_reviewers_conflict_with_a_person(
    client, event, reviewer, speaker, organiser_user
):
    theirs = factories.ProposalFactory(event=event, speakers=[speaker])
    Assignment.objects.create(proposal=theirs, reviewer=reviewer)
    client.force_login(organiser_user)
    url = _url("review_assignments", event)

    recorded = client.post(
        url,
        {"action": "declare_person", "person-reviewer": reviewer.pk, "person-email": speaker.email},
        follow=True,
    )
    page = recorded.content.decode()

    assert (
        f"Conflict of interest recorded: {isolated(reviewer.name)} is not given, and does not review, any proposal "
        "sam@example.org speaks on in this event, now or later." in _messages(recorded)
    )
    assert not Assignment.objects.exists()
    assert theirs.code in page
    assert "Sam Speaker" in page
    refused = client.post(
        url, {"action": "declare_person", "person-reviewer": reviewer.pk, "person-email": "x"}
    )
    assert refused.status_code == 400
    assert "Enter a valid email address." in refused.content.decode()

    withdrawn = client.post(
        url, {"action": "withdraw_person", "conflict": SpeakerConflict.objects.get().pk}, follow=True
    )

    assert "Conflict of interest with sam@example.org withdrawn." in _messages(withdrawn)
    assert not SpeakerConflict.objects.exists()


def test_only_organisers_reach_the_assignment_page_with_it(client, event, reviewer, speaker):
    client.force_login(reviewer)

    answer = client.post(
        _url("review_assignments", event),
        {"action": "declare_person", "person-reviewer": reviewer.pk, "person-email": speaker.email},
    )

    assert answer.status_code == 403
    assert not SpeakerConflict.objects.exists()
