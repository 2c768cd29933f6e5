"""`podium deliver_webhooks`: send the webhook deliveries that are due (once, or in a loop for a worker)."""

import time

from django.core.management.base import BaseCommand

from podium.webhooks.delivery import deliver


class Command(BaseCommand):
    help = "Deliver due webhook deliveries from the outbox (first attempts, retries and stale claims)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, polling every few seconds.")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop, interval, **options):
        while True:
            delivered = deliver()
            if delivered:
                self.stdout.write(f"delivered {delivered} webhook(s)")
            if not loop:
                return
            time.sleep(interval)
