"""Speakers get a complimentary ticket when their proposal is confirmed, and lose it when they no
longer have a confirmed proposal; the hook runs after the state change commits."""

import pytest

from podium.base.models import AuditEntry
from podium.proposals import services as proposals
from podium.registration.enums import Group, OrderOrigin, OrderState, Visibility
from podium.registration.models import Order, Ticket
from podium.registration.speaker_tickets import grant_speaker_ticket
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker_type(event, registration):
    return shop.ticket_type(event, "Speaker", price="0", visibility=Visibility.GROUP, group=Group.SPEAKERS)


def _confirm(proposal, speaker, capture):
    with capture(execute=True):
        proposals.confirm_proposal(proposal=proposal, by=speaker)


def _withdraw(proposal, speaker, capture):
    with capture(execute=True):
        proposals.withdraw_proposal(proposal=proposal, by=speaker)


def _given(user) -> list:
    return list(Order.objects.filter(buyer=user, origin=OrderOrigin.SPEAKER).values_list("state", flat=True))


def test_each_speaker_gets_one_ticket_on_confirmation(
    event, speaker_type, django_capture_on_commit_callbacks
):
    speaker, co_speaker = factories.UserFactory(name="Siobhán O'Brien"), factories.UserFactory()
    proposal = factories.ProposalFactory(event=event, speakers=[speaker, co_speaker], state="accepted")

    _confirm(proposal, speaker, django_capture_on_commit_callbacks)

    assert (_given(speaker), _given(co_speaker)) == ([OrderState.PAID], [OrderState.PAID])
    ticket = Ticket.objects.get(order__buyer=speaker)
    assert (ticket.ticket_type, ticket.attendee_name, ticket.price) == (speaker_type, "Siobhán O'Brien", 0)
    shop.assert_seats_add_up(event)


def test_nothing_happens_before_the_commit(event, speaker_type, django_capture_on_commit_callbacks):
    speaker = factories.UserFactory()
    proposal = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        proposals.confirm_proposal(proposal=proposal, by=speaker)

    assert (_given(speaker), len(callbacks)) == ([], 1)


def test_no_speaker_type_no_ticket(event, registration, django_capture_on_commit_callbacks):
    speaker = factories.UserFactory()
    shop.ticket_type(event, "Standard")
    proposal = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")

    _confirm(proposal, speaker, django_capture_on_commit_callbacks)

    assert Order.objects.count() == 0


def test_a_speaker_holding_a_speaker_ticket_gets_no_second(
    event, speaker_type, django_capture_on_commit_callbacks
):
    speaker = factories.UserFactory()
    first = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")
    second = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")

    _confirm(first, speaker, django_capture_on_commit_callbacks)
    _confirm(second, speaker, django_capture_on_commit_callbacks)

    assert _given(speaker) == [OrderState.PAID]


def test_withdrawing_the_only_confirmed_proposal_cancels_the_ticket(
    event, speaker_type, django_capture_on_commit_callbacks
):
    speaker = factories.UserFactory()
    proposal = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")
    _confirm(proposal, speaker, django_capture_on_commit_callbacks)

    _withdraw(proposal, speaker, django_capture_on_commit_callbacks)

    assert _given(speaker) == [OrderState.CANCELLED]
    shop.assert_seats_add_up(event)


def test_a_speaker_with_another_confirmed_proposal_keeps_the_ticket(
    event, speaker_type, django_capture_on_commit_callbacks
):
    speaker = factories.UserFactory()
    kept = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")
    dropped = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")
    _confirm(kept, speaker, django_capture_on_commit_callbacks)
    _confirm(dropped, speaker, django_capture_on_commit_callbacks)

    _withdraw(dropped, speaker, django_capture_on_commit_callbacks)

    assert _given(speaker) == [OrderState.PAID]


def test_an_organiser_cancelling_the_session_cancels_the_ticket_but_not_bought_ones(
    event, speaker_type, django_capture_on_commit_callbacks
):
    speaker = factories.UserFactory()
    organiser = factories.team_member(event, can_edit_event=True)
    standard = shop.ticket_type(event, "Dinner", price="0")
    proposal = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")
    _confirm(proposal, speaker, django_capture_on_commit_callbacks)
    bought = shop.buy(event, speaker, standard)

    with django_capture_on_commit_callbacks(execute=True):
        proposals.set_state_as_organiser(proposal=proposal, to_state="cancelled", by=organiser)

    assert _given(speaker) == [OrderState.CANCELLED]
    assert Order.objects.get(pk=bought.pk).state == OrderState.PAID


def test_a_sold_out_speaker_type_gives_nothing_and_says_so(
    event, registration, django_capture_on_commit_callbacks
):
    shop.ticket_type(event, "Speaker", price="0", visibility=Visibility.GROUP, group=Group.SPEAKERS, quota=0)
    speaker = factories.UserFactory()
    proposal = factories.ProposalFactory(event=event, speakers=[speaker], state="accepted")

    _confirm(proposal, speaker, django_capture_on_commit_callbacks)

    assert _given(speaker) == []
    assert AuditEntry.objects.filter(action="order.speaker_ticket_sold_out").count() == 1


def test_granting_by_hand_needs_an_organiser(event, speaker_type):
    from podium.base.errors import NotAllowed

    speaker = factories.UserFactory()
    with pytest.raises(NotAllowed):
        grant_speaker_ticket(event=event, user=speaker, by=speaker)
    assert grant_speaker_ticket(event=event, user=speaker, by=None).origin == OrderOrigin.SPEAKER


def test_reconcile_gives_tickets_the_signal_never_saw_and_takes_back_the_rest(event, speaker_type):
    from podium.registration.speaker_tickets import missing_speaker_tickets, reconcile_speaker_tickets

    # Confirmed without a state change through the services (as an import does): no signal, no ticket.
    speaker = factories.UserFactory(name="Zoë « Quote » O'Neil")
    factories.ProposalFactory(event=event, speakers=[speaker], state="confirmed")
    # A speaker ticket given earlier for a proposal that is no longer confirmed.
    former = factories.UserFactory()
    factories.ProposalFactory(event=event, speakers=[former], state="withdrawn")
    grant_speaker_ticket(event=event, user=former)

    assert missing_speaker_tickets(event) == [speaker]
    assert reconcile_speaker_tickets(event=event) == (1, 1)
    assert (_given(speaker), _given(former)) == ([OrderState.PAID], [OrderState.CANCELLED])
    assert reconcile_speaker_tickets(event=event) == (0, 0)  # nothing left to repair
    shop.assert_seats_add_up(event)


def test_podium_cleanup_repairs_speaker_tickets(event, speaker_type):
    from io import StringIO

    from django.core.management import call_command

    speaker = factories.UserFactory()
    factories.ProposalFactory(event=event, speakers=[speaker], state="confirmed")

    out = StringIO()
    call_command("cleanup", "--dry-run", stdout=out)
    assert _given(speaker) == []
    assert "1 speaker ticket(s) given" in out.getvalue()
    call_command("cleanup", stdout=StringIO())
    assert _given(speaker) == [OrderState.PAID]
