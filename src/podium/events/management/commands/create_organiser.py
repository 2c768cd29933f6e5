"""`podium create_organiser`: the first organiser of an installation, with its admin team."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from podium.base.errors import ServiceError
from podium.events.services import create_organiser


class Command(BaseCommand):
    help = "Create an organiser whose Administrators team holds the given (existing) account."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help='e.g. "Python Software Foundation"')
        parser.add_argument("--slug", required=True, help="short name used in URLs, e.g. psf")
        parser.add_argument(
            "--admin", required=True, help="e-mail of an existing account (sign up or createsuperuser)"
        )

    def handle(self, *args, name, slug, admin, **options):
        user = get_user_model().objects.filter(email__iexact=admin.strip()).first()
        if user is None:
            raise CommandError(
                f"No account uses {admin}. Create one first: sign up on the site, or run `podium createsuperuser`."
            )
        try:
            organiser = create_organiser(name=name, slug=slug, admin=user)
        except ServiceError as exc:
            raise CommandError(f"{exc.field or 'organiser'}: {exc.message}") from exc
        self.stdout.write(
            f'Created the organiser "{organiser.name}" ({organiser.slug}); {user.email} administers it.'
        )
