"""What an outbox mail is about (`OutboxMail.about`): built and read here only.

A key is "<kind>:<id>". Held decision mails are replaced and released per proposal by their key, the
release page counts a release's notices by theirs, and the outbox page finds the proposal of each held
decision. Ids, not objects, so that the outbox needs no domain model.
"""

DECISION = "decision"  # the held accept/reject mail of a proposal
PROPOSAL = "proposal"  # receipts and co-speaker mails of a proposal
RELEASE_SPEAKERS = "release"  # a release's change notices to speakers
RELEASE_ATTENDEES = "release-stars"  # a release's change notices to attendees about their starred sessions
ORDER = "order"  # a ticket order's confirmation, tickets, cancellation
WAITING_OFFER = "waiting-offer"  # a waiting-list entry's offer of a freed seat
CAMPAIGN = "campaign"  # the mails of a mail campaign (campaigns app)


KINDS = frozenset({DECISION, PROPOSAL, RELEASE_SPEAKERS, RELEASE_ATTENDEES, ORDER, WAITING_OFFER, CAMPAIGN})


def _key(kind: str, ident: int) -> str:
    return f"{kind}:{int(ident)}"


def decision(proposal_id: int) -> str:
    return _key(DECISION, proposal_id)


def proposal(proposal_id: int) -> str:
    return _key(PROPOSAL, proposal_id)


def release_speakers(release_id: int) -> str:
    return _key(RELEASE_SPEAKERS, release_id)


def release_attendees(release_id: int) -> str:
    return _key(RELEASE_ATTENDEES, release_id)


def order(order_id: int) -> str:
    return _key(ORDER, order_id)


def waiting_offer(entry_id: int) -> str:
    return _key(WAITING_OFFER, entry_id)


def campaign(campaign_id: int) -> str:
    return _key(CAMPAIGN, campaign_id)


def parse(about: str) -> tuple[str, int] | None:
    """(kind, id) of a key made here, or None for anything else (an empty `about`)."""
    kind, _, ident = (about or "").partition(":")
    if kind not in KINDS or not ident.isdigit():
        return None
    return kind, int(ident)


def decision_proposal_id(about: str) -> int | None:
    """The proposal id of a decision mail's key, else None."""
    parsed = parse(about)
    return parsed[1] if parsed is not None and parsed[0] == DECISION else None
