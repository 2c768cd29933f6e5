"""The demo's visa letters: three confirmed speakers of the PyCon demo ask for invitation letters;
the organisers approve one, decline one and leave one waiting. Fixed values, no randomness."""

import datetime as dt

from podium.accounts.models import User
from podium.events.models import Event
from podium.letters import services
from podium.proposals.enums import ProposalState

#: (nationality, passport number, date of birth, days arriving before and leaving after the event)
TRAVELLERS = (
    ("Brazilian", "FZ4839201", dt.date(1988, 4, 12), 2, 1),
    ("Nigerian", "A07731456", dt.date(1992, 11, 3), 1, 2),
    ("Indian", "Z3384917", dt.date(1985, 7, 28), 3, 3),
)
DECLINED_REASON = (
    "We could not confirm your talk at the time of your request; please ask again once you have confirmed it."
)


def letter_speakers(event: Event) -> list[User]:
    """The first three speakers of confirmed sessions, by address (the same on every build)."""
    return list(
        User.objects.filter(proposals__event=event, proposals__state=ProposalState.CONFIRMED)
        .distinct()
        .order_by("email")[: len(TRAVELLERS)]
    )


def build_letters(*, event: Event, admin) -> list:
    """Three requests through the services: approved, declined and waiting, decided by `admin`.

    Side effects: as the letters services (audit entries, the requesters' mails in the outbox)."""
    requests = []
    for user, (nationality, number, born, before, after) in zip(
        letter_speakers(event), TRAVELLERS, strict=False
    ):
        requests.append(
            services.save_request(
                event=event,
                by=user,
                data={
                    "passport_name": user.name or user.email,
                    "nationality": nationality,
                    "passport_number": number,
                    "date_of_birth": born,
                    "arrival": event.date_from - dt.timedelta(days=before),
                    "departure": event.date_to + dt.timedelta(days=after),
                    "note": "",
                },
            )
        )
    if requests:
        requests[0] = services.approve_request(letter=requests[0], by=admin, version=requests[0].version)
    if len(requests) > 1:
        requests[1] = services.decline_request(
            letter=requests[1], by=admin, version=requests[1].version, reason=DECLINED_REASON
        )
    return requests
