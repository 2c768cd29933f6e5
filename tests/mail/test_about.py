"""Outbox keys are built and read in one place (podium.mail.about)."""

from podium.mail import about


def test_keys_round_trip_through_parse():
    assert about.parse(about.decision(42)) == (about.DECISION, 42)
    assert about.parse(about.proposal(7)) == (about.PROPOSAL, 7)
    assert about.parse(about.release_speakers(3)) == (about.RELEASE_SPEAKERS, 3)
    assert about.parse(about.release_attendees(3)) == (about.RELEASE_ATTENDEES, 3)
    assert about.parse(about.order(5)) == (about.ORDER, 5)
    assert about.parse(about.waiting_offer(6)) == (about.WAITING_OFFER, 6)


def test_only_decision_keys_name_a_decisions_proposal():
    assert about.decision_proposal_id(about.decision(9)) == 9
    assert about.decision_proposal_id(about.proposal(9)) is None
    assert about.decision_proposal_id("") is None
    assert about.parse("decision:abc") is None
    assert about.parse("team:1") is None
