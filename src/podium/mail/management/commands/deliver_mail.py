"""`podium deliver_mail`: send queued outbox mail (once, or in a loop for a worker process)."""

import time

from django.core.management.base import BaseCommand

from podium.mail.services import deliver


class Command(BaseCommand):
    help = "Deliver queued mail from the outbox."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, polling every few seconds.")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop, interval, **options):
        while True:
            sent = deliver()
            if sent:
                self.stdout.write(f"sent {sent} mail(s)")
            if not loop:
                return
            time.sleep(interval)
