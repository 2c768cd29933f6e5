import pytest

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.proposals import tagging
from podium.proposals.models import Tag
from tests import factories

pytestmark = pytest.mark.django_db


def test_organisers_create_tags_with_unique_names(event, organiser_user):
    tag = tagging.save_tag(event=event, by=organiser_user, name="  Needs   mentor ", colour="#ABCDEF")

    assert (tag.name, tag.colour, tag.public) == ("Needs mentor", "#abcdef", False)
    with pytest.raises(ServiceError, match="has a tag “needs mentor” already"):
        tagging.save_tag(event=event, by=organiser_user, name="needs mentor")
    with pytest.raises(ServiceError, match="colour like"):
        tagging.save_tag(event=event, by=organiser_user, name="Red", colour="red")
    with pytest.raises(ServiceError, match="name"):
        tagging.save_tag(event=event, by=organiser_user, name="   ")


def test_a_tag_name_may_repeat_in_another_event(event, organiser_user):
    other = factories.EventFactory(organiser=event.organiser)
    tagging.save_tag(event=event, by=organiser_user, name="Security")

    assert tagging.save_tag(event=other, by=None, name="Security").event == other


def test_reviewers_may_not_change_tags(event, reviewer):
    with pytest.raises(NotAllowed):
        tagging.save_tag(event=event, by=reviewer, name="Nope")

    assert not Tag.objects.exists()


def test_a_stale_tag_edit_is_refused(event, organiser_user):
    tag = tagging.save_tag(event=event, by=organiser_user, name="Old")
    tagging.save_tag(event=event, by=organiser_user, name="New", tag=tag, version=1)

    with pytest.raises(StaleEdit):
        tagging.save_tag(event=event, by=organiser_user, name="Other", tag=tag, version=1)
    assert Tag.objects.get().name == "New"


def test_bulk_tag_and_untag(event, organiser_user):
    first, second = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    tag = tagging.save_tag(event=event, by=organiser_user, name="Shortlist")
    first.tags.add(tag)

    added = tagging.tag_proposals(event=event, by=organiser_user, proposals=[first, second], tags=[tag])
    assert added == 1
    assert set(tag.proposals.all()) == {first, second}

    removed = tagging.tag_proposals(event=event, by=organiser_user, proposals=[first], tags=[tag], add=False)
    assert removed == 1
    assert list(tag.proposals.all()) == [second]


def test_tags_and_proposals_of_another_event_are_refused(event, organiser_user):
    other = factories.EventFactory()
    foreign_tag = tagging.save_tag(event=other, by=None, name="Foreign")
    foreign_proposal = factories.ProposalFactory(event=other)
    own_tag = tagging.save_tag(event=event, by=organiser_user, name="Own")
    own_proposal = factories.ProposalFactory(event=event)

    with pytest.raises(ServiceError, match="tags of this event"):
        tagging.tag_proposals(event=event, by=organiser_user, proposals=[own_proposal], tags=[foreign_tag])
    with pytest.raises(ServiceError, match="proposals of this event"):
        tagging.tag_proposals(event=event, by=organiser_user, proposals=[foreign_proposal], tags=[own_tag])
    with pytest.raises(ServiceError, match="tags of this event"):
        tagging.set_proposal_tags(proposal=own_proposal, by=organiser_user, tags=[foreign_tag])
    assert not own_proposal.tags.exists()
    assert not foreign_proposal.tags.exists()


def test_set_proposal_tags_replaces_them(event, organiser_user, proposal):
    a = tagging.save_tag(event=event, by=organiser_user, name="A")
    b = tagging.save_tag(event=event, by=organiser_user, name="B")
    proposal.tags.add(a)

    assert tagging.set_proposal_tags(proposal=proposal, by=organiser_user, tags=[b]) == [b]
    assert list(proposal.tags.all()) == [b]


def test_only_public_tags_are_public(event, organiser_user, proposal):
    shown = tagging.save_tag(event=event, by=organiser_user, name="Beginner friendly", public=True)
    hidden = tagging.save_tag(event=event, by=organiser_user, name="Weak")
    proposal.tags.add(shown, hidden)

    assert tagging.public_tags(event, proposal.code) == [shown]


def test_deleting_a_tag_keeps_the_proposals(event, organiser_user, proposal):
    tag = tagging.save_tag(event=event, by=organiser_user, name="Gone")
    proposal.tags.add(tag)

    tagging.delete_tag(tag=tag, by=organiser_user)

    assert not Tag.objects.exists()
    proposal.refresh_from_db()
