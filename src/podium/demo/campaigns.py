"""The demo's mail campaign: the program committee's logistics mail to the confirmed speakers, written
and submitted by the organisers' administrator, waiting in review for another team member to approve
(the demo event does not let the submitter approve their own). Fixed texts, no randomness."""

from podium.campaigns import services
from podium.campaigns.models import Campaign
from podium.events.models import Event

SUBJECT = "{event}: your talk, the speaker room and the day"
BODY = """Hello {name},

thank you for speaking at {event}! A few things before the day:

- **Your session**: {proposal_title}, {session_time}.
- **Speaker room**: on the ground floor, open from 08:00, with coffee and a quiet corner.
- **Slides**: bring them on a USB stick as well; every room has an HDMI adapter.

The full program is at {event_url}.

See you soon,
the program committee
"""


def build_campaigns(*, event: Event, admin) -> Campaign:
    """A template, an audience of confirmed speakers and a campaign of the two, submitted for review by
    `admin`. Side effects: as the campaign services (audit entries, one held mail per speaker)."""
    template = services.save_template(
        event=event, by=admin, name="Speaker logistics", subject=SUBJECT, body=BODY, html_enabled=True
    )
    audience = services.save_audience(
        event=event, by=admin, name="Confirmed speakers", kind="speakers", filters={"states": ["confirmed"]}
    )
    campaign = services.save_campaign(
        event=event,
        by=admin,
        name="Speaker logistics",
        audience=audience,
        template=template,
        rate_per_minute=60,
    )
    return services.submit_campaign(campaign=campaign, by=admin)
