"""The review settings (phase, assignment-only mode, criteria), the review form with criteria, the
overview's weighted ranking, the assignment page and the reviewer's conflicts of interest."""

import pytest
from django.urls import reverse

from podium.base.bidi import isolated
from podium.reviews import services
from podium.reviews.models import Assignment, Conflict, Criterion, Review, ReviewPhase, ReviewSettings
from tests import factories

pytestmark = pytest.mark.django_db


def _url(name, event, **kwargs):
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs})


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def criteria(event, organiser_user):
    return (
        services.save_criterion(event=event, by=organiser_user, name="Relevance", weight=3, max_score=4),
        services.save_criterion(event=event, by=organiser_user, name="Clarity", weight=1, max_score=2),
    )


@pytest.mark.parametrize(
    ("page", "allowed"),
    [("review_settings", {"editor"}), ("review_assignments", {"editor"}), ("review_conflicts", {"reviewer"})],
)
@pytest.mark.parametrize("role", ["editor", "reviewer", "scheduler", "outsider"])
def test_pages_render_for_allowed_roles_and_refuse_others(client, event, page, allowed, role):
    flags = {
        "editor": {"can_edit_event": True},
        "reviewer": {"can_review": True},
        "scheduler": {"can_schedule": True},
    }
    user = factories.team_member(event, **flags[role]) if role in flags else factories.UserFactory()
    client.force_login(user)

    assert client.get(_url(page, event)).status_code == (200 if role in allowed else 403)


def test_organisers_set_the_phase_and_the_assignment_only_mode(client, event, organiser_user):
    client.force_login(organiser_user)

    response = client.post(
        _url("review_settings", event),
        {
            "part": "settings",
            "phase": "closed",
            "assignment_only": "on",
            "reviews_per_proposal": "2",
            "version": "1",
        },
        follow=True,
    )

    saved = ReviewSettings.objects.get(event=event)
    assert (saved.phase, saved.assignment_only, saved.reviews_per_proposal) == ("closed", True, 2)
    assert "Review settings saved: reviews closed." in _messages(response)


def test_a_bad_settings_value_is_shown_and_nothing_saved(client, event, organiser_user):
    client.force_login(organiser_user)

    response = client.post(
        _url("review_settings", event), {"part": "settings", "phase": "later", "reviews_per_proposal": "0"}
    )

    assert response.status_code == 400
    assert "later is not one of the available choices" in response.content.decode()
    assert not ReviewSettings.objects.exists()


def test_organisers_add_change_and_remove_criteria(client, event, organiser_user):
    client.force_login(organiser_user)
    added = client.post(
        _url("review_settings", event),
        {
            "part": "criterion",
            "new-name": "Relevance",
            "new-description": "Does it fit?",
            "new-weight": "2",
            "new-min_score": "0",
            "new-max_score": "5",
        },
        follow=True,
    )
    criterion = Criterion.objects.get()
    changed = client.post(
        _url("review_settings", event),
        {
            "part": "criterion",
            "criterion_pk": criterion.pk,
            f"c{criterion.pk}-name": "Fit",
            f"c{criterion.pk}-weight": "4",
            f"c{criterion.pk}-min_score": "1",
            f"c{criterion.pk}-max_score": "5",
        },
        follow=True,
    )
    criterion.refresh_from_db()
    duplicate = client.post(
        _url("review_settings", event),
        {
            "part": "criterion",
            "new-name": "fit",
            "new-weight": "1",
            "new-min_score": "0",
            "new-max_score": "3",
        },
    )
    removed = client.post(
        _url("review_settings", event),
        {"part": "criterion", "criterion_pk": criterion.pk, "delete": "1"},
        follow=True,
    )

    assert f"Criterion {isolated('Relevance')} saved." in _messages(added)
    assert f"Criterion {isolated('Fit')} saved." in _messages(changed)
    assert (criterion.name, criterion.weight, criterion.min_score, criterion.description) == ("Fit", 4, 1, "")
    assert duplicate.status_code == 400
    assert "This event has a criterion named Fit already." in duplicate.content.decode()
    assert f"Criterion {isolated('Fit')} removed." in _messages(removed)
    assert not Criterion.objects.exists()


def test_the_review_form_scores_each_criterion(client, event, proposal, reviewer, criteria):
    relevance, clarity = criteria
    client.force_login(reviewer)

    page = client.get(_url("review", event, code=proposal.code)).content.decode()
    response = client.post(
        _url("review", event, code=proposal.code),
        {f"criterion_{relevance.pk}": "4", f"criterion_{clarity.pk}": "1", "comment": "Solid."},
    )

    assert "Relevance (weight 3)" in page
    assert 'name="score"' not in page
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.score, review.weighted_score) == (3, 2.63)


def test_a_missing_criterion_score_is_shown_and_nothing_saved(client, event, proposal, reviewer, criteria):
    client.force_login(reviewer)

    response = client.post(
        _url("review", event, code=proposal.code), {f"criterion_{criteria[0].pk}": "4", "comment": "Kept."}
    )

    assert response.status_code == 200
    assert "Score Clarity." in response.content.decode()
    assert "Kept." in response.content.decode()
    assert not Review.objects.exists()


def test_closed_reviews_show_why_and_refuse_a_save(client, event, proposal, reviewer, organiser_user):
    services.update_review_settings(
        event=event,
        by=organiser_user,
        phase=ReviewPhase.CLOSED,
        assignment_only=False,
        reviews_per_proposal=3,
    )
    client.force_login(reviewer)

    page = client.get(_url("review", event, code=proposal.code)).content.decode()
    posted = client.post(_url("review", event, code=proposal.code), {"score": "2"})

    assert "Reviews are closed for this event" in page
    assert 'name="score"' not in page
    assert posted.status_code == 403
    assert not Review.objects.exists()


def test_the_overview_ranks_by_weighted_mean_and_shows_criterion_means(
    client, event, reviewer, organiser_user, criteria
):
    relevance, clarity = criteria
    low, high = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    services.save_review(proposal=low, reviewer=reviewer, scores={relevance.pk: 1, clarity.pk: 2})
    services.save_review(proposal=high, reviewer=reviewer, scores={relevance.pk: 3, clarity.pk: 0})
    client.force_login(organiser_user)

    response = client.get(_url("review_overview", event))

    assert [p.code for p, _ in response.context["rows"]] == [high.code, low.code]
    assert [h["label"] for h in response.context["headers"]][-3:] == ["Spread", "Relevance", "Clarity"]
    assert "Weighted mean" in response.content.decode()
    assert [s.criterion_means for _, s in response.context["rows"]] == [[3.0, 0.0], [1.0, 2.0]]
    by_clarity = client.get(_url("review_overview", event) + f"?sort=-criterion{clarity.pk}")
    assert [p.code for p, _ in by_clarity.context["rows"]] == [low.code, high.code]


def test_the_assignment_page_assigns_and_reports_the_balance(client, event, organiser_user, reviewer):
    proposals = [factories.ProposalFactory(event=event) for _ in range(3)]
    client.force_login(organiser_user)

    response = client.post(
        _url("review_assignments", event), {"action": "assign", "per_proposal": "1"}, follow=True
    )

    assert Assignment.objects.count() == 3
    assert (
        "3 assignments made for 3 proposals. Balance: 1 to 2 proposals per reviewer, 1.5 on average."
        in _messages(response)
    )
    assert "1 to 2 proposals per reviewer, 1.5 on average." in response.content.decode()
    assert {a.proposal_id for a in Assignment.objects.all()} == {p.pk for p in proposals}


def test_an_infeasible_assignment_is_shown_on_the_page(client, event, organiser_user, reviewer):
    proposal = factories.ProposalFactory(event=event)
    client.force_login(organiser_user)

    response = client.post(_url("review_assignments", event), {"action": "assign", "per_proposal": "3"})

    assert response.status_code == 400
    assert f"{proposal.code} (2 more possible, 3 needed)" in response.content.decode()
    assert not Assignment.objects.exists()


def test_assignments_and_conflicts_by_hand(client, event, organiser_user, reviewer, proposal):
    client.force_login(organiser_user)
    url = _url("review_assignments", event)

    added = client.post(
        url, {"action": "add", "code": proposal.code.lower(), "reviewer": reviewer.pk}, follow=True
    )
    removed = client.post(
        url, {"action": "remove", "code": proposal.code, "reviewer": reviewer.pk}, follow=True
    )
    conflict = client.post(
        url, {"action": "conflict", "code": proposal.code, "reviewer": reviewer.pk}, follow=True
    )
    refused = client.post(url, {"action": "add", "code": proposal.code, "reviewer": reviewer.pk})
    unknown = client.post(url, {"action": "add", "code": "NOPE", "reviewer": reviewer.pk})

    assert f"{proposal.code} assigned to {reviewer.name}." in _messages(added)
    assert f"{proposal.code} is no longer assigned to {reviewer.name}." in _messages(removed)
    assert f"Conflict of interest recorded: {reviewer.name} does not review {proposal.code}." in _messages(
        conflict
    )
    assert "may not review" in refused.content.decode()
    assert "No proposal of this event has this code." in unknown.content.decode()
    assert not Assignment.objects.exists()


def test_reviewers_declare_and_withdraw_conflicts_and_see_suggestions(client, event, organiser_user):
    reviewer = factories.team_member(
        event, user=factories.UserFactory(email="ann@acme.example"), can_review=True
    )
    colleague = factories.ProposalFactory(
        event=event, speakers=[factories.UserFactory(email="bo@acme.example")]
    )
    other = factories.ProposalFactory(event=event)
    services.add_assignment(proposal=other, reviewer=reviewer, by=organiser_user)
    client.force_login(reviewer)
    url = _url("review_conflicts", event)

    page = client.get(url).content.decode()
    declared = client.post(url, {"code": other.code, "action": "declare"}, follow=True)
    withdrawn = client.post(url, {"code": other.code, "action": "withdraw"}, follow=True)
    own = client.post(url, {"code": "NOPE", "action": "declare"}, follow=True)

    assert colleague.code in page
    assert "same organisation" in page
    assert f"Conflict of interest declared: you do not review {other.code}." in _messages(declared)
    assert not Assignment.objects.exists()
    assert f"Conflict of interest with {other.code} withdrawn." in _messages(withdrawn)
    assert "No proposal you may see has this code." in _messages(own)
    assert not Conflict.objects.exists()


def test_under_anonymised_review_no_conflict_is_suggested_to_a_reviewer(client, event, organiser_user):
    """A suggestion says a colleague or a co-author submitted: under anonymised review that is who."""
    event.anonymise_review = True
    event.save(update_fields=["anonymise_review"])
    reviewer = factories.team_member(
        event, user=factories.UserFactory(email="ann@acme.example"), can_review=True
    )
    colleague = factories.ProposalFactory(
        event=event, speakers=[factories.UserFactory(email="bo@acme.example")]
    )
    client.force_login(reviewer)

    response = client.get(_url("review_conflicts", event))
    page = response.content.decode()

    assert colleague.code in page  # among the proposals one may declare a conflict with, unmarked
    assert response.context["suggestions"] == []
    assert "same organisation" not in page
    assert "no conflicts are suggested" in page


def test_in_assignment_only_mode_the_reviewer_reaches_only_assigned_proposals(
    client, event, organiser_user, reviewer
):
    given, hidden = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    services.add_assignment(proposal=given, reviewer=reviewer, by=organiser_user)
    services.update_review_settings(
        event=event, by=organiser_user, phase=ReviewPhase.OPEN, assignment_only=True, reviews_per_proposal=1
    )
    client.force_login(reviewer)

    queue = client.get(_url("reviews", event))
    listed = client.get(_url("proposals", event) + f"?q={hidden.code}")

    assert [p.code for p in queue.context["proposals"]] == [given.code]
    assert client.get(_url("review", event, code=hidden.code)).status_code == 404
    assert client.get(_url("proposal", event, code=hidden.code)).status_code == 404
    assert hidden.title not in listed.content.decode()
