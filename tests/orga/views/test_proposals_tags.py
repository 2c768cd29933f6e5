import pytest
from django.urls import reverse

from podium.proposals import tagging
from tests import factories
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _list(event):
    return reverse("orga:proposals", kwargs={"event": event.slug})


def test_the_list_filters_by_tag(client, event, organiser_user):
    tagged, other = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    tag = tagging.save_tag(event=event, by=organiser_user, name="Shortlist")
    tagged.tags.add(tag)
    client.force_login(organiser_user)

    response = client.get(_list(event), {"tag": tag.pk})

    assert [p.code for p in response.context["proposals"]] == [tagged.code]
    assert "Shortlist" in response.content.decode()
    assert other.code not in [p.code for p in response.context["proposals"]]


def test_bulk_tagging_the_ticked_proposals(client, event, organiser_user):
    first, second, third = (factories.ProposalFactory(event=event) for _ in range(3))
    tag = tagging.save_tag(event=event, by=organiser_user, name="Keynote material")
    client.force_login(organiser_user)
    url = reverse("orga:proposals_tag", kwargs={"event": event.slug})

    response = client.post(
        url, {"tag": tag.pk, "action": "add", "codes": [first.code, second.code], "back": "?q=x"}
    )

    assert response.status_code == 302
    assert response["Location"] == _list(event) + "?q=x"
    assert set(tag.proposals.all()) == {first, second}
    client.post(url, {"tag": tag.pk, "action": "remove", "codes": [first.code]})
    assert set(tag.proposals.all()) == {second}
    assert third not in tag.proposals.all()


def test_an_unknown_code_tags_nothing(client, event, organiser_user, proposal):
    tag = tagging.save_tag(event=event, by=organiser_user, name="X")
    foreign = factories.ProposalFactory()
    client.force_login(organiser_user)

    response = client.post(
        reverse("orga:proposals_tag", kwargs={"event": event.slug}),
        {"tag": tag.pk, "action": "add", "codes": [proposal.code, foreign.code]},
        follow=True,
    )

    assert "Nothing was tagged" in response.content.decode()
    assert not tag.proposals.exists()


def test_reviewers_see_tags_but_may_not_tag(client, event, reviewer, proposal, organiser_user):
    tag = tagging.save_tag(event=event, by=organiser_user, name="Visible")
    proposal.tags.add(tag)
    client.force_login(reviewer)

    page = client.get(_list(event)).content.decode()
    assert "Visible" in page
    assert 'id="bulk-tag"' not in page
    response = client.post(
        reverse("orga:proposals_tag", kwargs={"event": event.slug}),
        {"tag": tag.pk, "action": "remove", "codes": [proposal.code]},
    )
    assert response.status_code == 403
    assert proposal.tags.exists()


def test_the_list_query_count_stays_constant_with_tags(client, event, organiser_user):
    tags = [tagging.save_tag(event=event, by=organiser_user, name=f"T{n}") for n in range(3)]
    client.force_login(organiser_user)

    def grow(n):
        for _ in range(n):
            factories.ProposalFactory(event=event).tags.add(*tags)

    assert_constant_queries(client, _list(event), grow)
