"""`podium campaigns send [--campaign ID]`: resume sending every campaign that is sending (or one)."""

from django.core.management.base import BaseCommand, CommandError

from podium.campaigns import sending


class Command(BaseCommand):
    help = "Mail campaigns: `send` resumes every campaign that is sending, at its rate, until done."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="Resume sending campaigns left in the state 'sending'.")
        send.add_argument("--campaign", type=int, help="Only this campaign (its id).")

    def handle(self, *args, action, campaign=None, **options):
        if action != "send":  # pragma: no cover - argparse refuses other actions
            raise CommandError(f"Unknown action {action!r}.")
        results = sending.resume(campaign)
        if campaign is not None and campaign not in results:
            raise CommandError(f"Campaign {campaign} is not sending.")
        for pk, released in results.items():
            self.stdout.write(f"campaign {pk}: released {released} mail(s)")
        if not results:
            self.stdout.write("no campaign is sending")
