"""`podium demo`: migrate, build the demo conference once, print the log-ins, serve."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from podium.base.errors import ServiceError
from podium.demo import generator


class Command(BaseCommand):
    help = (
        "Build a demo conference (PyCon US Demo with its schedule published, PyTexas Demo with an open CfP) "
        "and serve it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="Build the demo and print the log-ins only."
        )
        parser.add_argument("--reset", action="store_true", help="Delete the demo data and build it again.")

    def handle(self, *args, host, port, no_serve, reset, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if reset:
            generator.delete_demo()
            self.stdout.write("Deleted the demo events, organisers and accounts.")
        if generator.demo_exists():
            self.stdout.write("The demo conference exists already; it was left as it is.")
        else:
            self.stdout.write("Building the demo conference…")
            try:
                summary = generator.build_demo()
            except ServiceError as exc:
                raise CommandError(exc.message) from exc
            events = " and ".join(f"{slug} ({count} proposals)" for slug, count in summary.proposals.items())
            program, registration = summary.program, summary.registration
            self.stdout.write(
                f"Built {events} with {summary.reviews} reviews in {summary.seconds:.1f} s.\n"
                f"PyCon US Demo: {program.scheduled} sessions scheduled, releases {' and '.join(program.releases)} "
                f"published; {program.attendees} attendees starred talks {program.stars} times; "
                f"{registration.tickets:,} tickets paid in {registration.orders:,} orders "
                f"({registration.speaker_tickets} for speakers), {registration.checked_in} checked in "
                f"at {registration.desks} desks."
            )
        self.print_logins(host, port)
        if not no_serve:
            call_command("serve", host=host, port=port, no_migrate=True)

    def print_logins(self, host: str, port: int) -> None:
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 (compared, not bound)
        base = f"http://{shown_host}:{port}"
        width = max(len(login.role) for login in generator.LOGINS)
        lines = [
            "",
            f'Log in at {base}{reverse("accounts:login")} with the password "{generator.PASSWORD}":',
            *(f"  {login.role:<{width}}  {login.email}" for login in generator.LOGINS),
            "",
            f"  Open call for papers (PyTexas Demo):  {base}{reverse('cfp:cfp', kwargs={'event': generator.CFP_EVENT})}",
            f"  Back office (PyCon US Demo):          {base}{reverse('orga:event', kwargs={'event': generator.MAIN_EVENT})}",
            f"  Public schedule (PyCon US Demo):      {base}{reverse('site:schedule', kwargs={'event': generator.MAIN_EVENT})}",
            f"  Check-in desk (PyCon US Demo):        {base}{reverse('orga:checkin', kwargs={'event': generator.MAIN_EVENT})}",
            "",
        ]
        self.stdout.write("\n".join(lines))
