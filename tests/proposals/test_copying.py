import pytest

from podium.events.copying import copy_event, registered
from podium.proposals.copying import copy_tags
from podium.proposals.tagging import save_tag

pytestmark = pytest.mark.django_db


def test_tags_are_copied_without_their_proposals(event, organiser_user, proposal):
    tag = save_tag(event=event, by=organiser_user, name="Beginner friendly", colour="#123456", public=True)
    proposal.tags.add(tag)
    assert copy_tags in registered()

    copy = copy_event(actor=organiser_user, source=event, name="Next", slug="next-one", start=event.date_from)

    copied = copy.tags.get()
    assert (copied.name, copied.colour, copied.public) == ("Beginner friendly", "#123456", True)
    assert not copied.proposals.exists()
