"""`podium mail bounce ADDRESS [--reason TEXT]`: record a bounce reported by bounce processing.

Hook it to whatever reads the bounce mailbox or the provider's bounce notifications (a procmail rule,
a webhook script): campaigns then skip the address; transactional mail still goes. See docs/mail.md.
"""

from django.core.management.base import BaseCommand, CommandError

from podium.mail.models import Bounce
from podium.mail.services import record_bounce


class Command(BaseCommand):
    help = "Mail: `bounce ADDRESS` records a bounce reported by bounce processing."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        bounce = sub.add_parser("bounce", help="Record that an address bounced.")
        bounce.add_argument("address")
        bounce.add_argument("--reason", default="", help="What the bounce report says (kept with it).")

    def handle(self, *args, action, **options):
        if action != "bounce":  # pragma: no cover - argparse refuses other actions
            raise CommandError(f"Unknown action {action!r}.")
        try:
            bounce = record_bounce(
                address=options["address"], source=Bounce.Source.REPORT, reason=options["reason"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"recorded a bounce of {bounce.address}")
