"""The demo conference's information pages: venue, travel, code of conduct and FAQ published, in this
order, and a draft the organisers are still writing. Fixed text, written through the page service."""

from podium.events import pages as page_services
from podium.events.models import Event, PageState

VENUE = """\
PyCon US Demo takes place at the **Riverside Convention Center**, 1 Harbor Way.

### Getting in

- The main entrance is on Harbor Way; the registration desk is straight ahead in the lobby.
- Ballrooms A and B are on the ground floor, rooms 301 to 304 one floor up (lifts beside the stairs).
- Bring your ticket's QR code on your phone or on paper: it is scanned once, at your first entry.

### Accessibility

Every room has step-free access and a hearing loop. Quiet rooms are next to Room 304; ask the
registration desk for anything else you need, or write to [program@podium.example](mailto:program@podium.example).

### Wi-Fi

Network **PyCon-Demo**, no password. Please keep large downloads for the evening.
"""

TRAVEL = """\
### By train

The **Harbor Way** station (Red and Blue lines) is a five-minute walk: take the "Convention Center"
exit and follow the signs.

### By plane

1. From the airport, the Airport Express runs every 15 minutes to Central Station (25 minutes).
2. Change to the Red line towards Riverside; get off at Harbor Way (3 stops).

### By car

Parking is limited and costs $25 a day. The [city's transit planner](https://transit.example/plan) shows
every connection; a three-day pass costs $18.

### Hotels

We hold rooms at two hotels near the venue until four weeks before the conference:

- **Harbor Hotel**, across the street, from $189 a night: mention *PyCon Demo* when you book.
- **Riverside Inn**, ten minutes on foot, from $139 a night: book through [their site](https://riverside-inn.example/pycon).
"""

CODE_OF_CONDUCT = """\
PyCon US Demo is a community conference for everyone. We want every attendee, speaker, sponsor and
volunteer to have a good time, free of harassment.

### In short

- Be welcoming, considerate and respectful, in talks, in the hallways and online.
- Harassment, intimidation and discrimination in any form are not acceptable.
- Slides, stickers and shirts follow this code too.

### Reporting

If something happens to you or to someone else, tell a volunteer in a **green shirt**, come to the
registration desk, or write to [conduct@podium.example](mailto:conduct@podium.example). Every report is read
by two members of the conduct team and treated confidentially.

### Consequences

The organisers may warn, ask someone to leave the conference without a refund, or bar them from future events.
"""

FAQ = """\
### Is there food?

Yes: breakfast, lunch and afternoon coffee are included on all three days. Vegetarian, vegan and
gluten-free options are always there; tell us about allergies when you order your ticket.

### Can I change the name on my ticket?

Yes, until the day before the conference, on your order's page under *My tickets*.

### Will the talks be recorded?

Talks in the ballrooms and rooms 301 to 304 are recorded and published within a week. Tutorials are not.

### Where do I find the schedule?

On the [Schedule](/pycon-demo/schedule/) page: star the sessions you want to see and they appear in
*My agenda*, and in your calendar if you like.
"""

SPRINTS_DRAFT = """\
### Sprints

Two days of sprints follow the conference. Which projects take part is not settled yet.
"""

# (title, body, state): the published ones in the order of the site's menu, then the draft.
PAGES = (
    ("Venue", VENUE, PageState.PUBLISHED),
    ("Travel and hotels", TRAVEL, PageState.PUBLISHED),
    ("Code of conduct", CODE_OF_CONDUCT, PageState.PUBLISHED),
    ("FAQ", FAQ, PageState.PUBLISHED),
    ("Sprints", SPRINTS_DRAFT, PageState.DRAFT),
)


def build_pages(*, event: Event, admin) -> list:
    """Write the demo's pages to `event` as `admin`; returns them in order."""
    return [
        page_services.save_page(
            event=event, by=admin, data={"title": title, "body": body, "position": position, "state": state}
        )
        for position, (title, body, state) in enumerate(PAGES)
    ]
