"""The outbox page: held decision mails by proposal, and sending the decisions."""

import pytest
from django.core import mail
from django.urls import reverse

from podium.proposals.models import Proposal
from podium.reviews import services as review_services
from tests import factories

pytestmark = pytest.mark.django_db


def _url(name, event, **kwargs):
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs})


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def editor(event):
    """An organiser who may edit the event (and so sees speaker identities), but not review."""
    return factories.team_member(event, name="Program", can_edit_event=True)


def test_outbox_shows_held_mails_by_proposal_and_hides_discarded(client, event, editor, proposal, speaker):
    review_services.decide(proposal=proposal, decision="accepted", by=editor)
    review_services.decide(proposal=proposal, decision="rejected", by=editor)  # discards the acceptance
    client.force_login(editor)

    response = client.get(_url("outbox", event))

    groups = response.context["groups"]
    assert [(g["proposal"].code, [m.template for m in g["mails"]]) for g in groups] == [
        (proposal.code, ["decision_rejected"])
    ]
    content = response.content.decode()
    assert "Send 1 notification" in content
    assert "we are sorry that we could not include yours" in content
    assert "Accepted: please confirm" not in content


def test_outbox_for_mailer_shows_mail_without_send_button(client, event, editor, proposal):
    review_services.decide(proposal=proposal, decision="accepted", by=editor)
    client.force_login(factories.team_member(event, can_send_mail=True))

    content = client.get(_url("outbox", event)).content.decode()

    assert "Accepted: please confirm" in content
    assert _url("send_decisions", event) not in content


def test_send_decisions_changes_states_and_sends_mail(
    client, event, editor, speaker, django_capture_on_commit_callbacks
):
    accepted = factories.ProposalFactory(event=event, speakers=[speaker])
    rejected = factories.ProposalFactory(event=event)
    review_services.decide(proposal=accepted, decision="accepted", by=editor)
    review_services.decide(proposal=rejected, decision="rejected", by=editor)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("send_decisions", event))
    response = client.get(_url("outbox", event))

    assert _messages(response) == ["2 decisions sent to the speakers."]
    states = dict(Proposal.objects.values_list("code", "state"))
    assert states == {accepted.code: "accepted", rejected.code: "rejected"}
    assert sorted(m.subject.split('"')[0] for m in mail.outbox) == [
        f"[{event.name}] About your proposal ",
        f"[{event.name}] Accepted: please confirm ",
    ]
    listed = response.context["page"].object_list
    assert sorted(m.status for m in listed) == ["sent", "sent"]
    assert response.context["groups"] == []


def test_send_decisions_with_nothing_pending_says_so(client, event, editor):
    client.force_login(editor)

    response = client.post(_url("send_decisions", event), follow=True)

    assert _messages(response) == ["There were no pending decisions to send."]


def test_send_decisions_is_post_only(client, event, editor):
    client.force_login(editor)

    assert client.get(_url("send_decisions", event)).status_code == 405
