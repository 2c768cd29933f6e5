"""Real objects for tests (factory_boy), valid by default and deterministic in shape."""

import datetime as dt

import factory
from django.utils import timezone

from podium.accounts.models import User
from podium.events.models import Event, Organiser, Room, SessionType, Team, Track
from podium.proposals.models import Proposal, ProposalSpeaker, SpeakerProfile
from podium.reviews.models import Review

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"Organiser {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    organiser = factory.SubFactory(OrganiserFactory)
    name = factory.Sequence(lambda n: f"PyConf {2030 + n}")
    slug = factory.Sequence(lambda n: f"pyconf-{n}")
    timezone = "America/Chicago"
    date_from = factory.LazyFunction(lambda: (timezone.now() + dt.timedelta(days=60)).date())
    date_to = factory.LazyAttribute(lambda o: o.date_from + dt.timedelta(days=2))
    cfp_opens = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    cfp_closes = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))

    @factory.post_generation
    def setup(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            SessionType.objects.create(event=obj, name="Talk", duration_minutes=30)
            SessionType.objects.create(event=obj, name="Tutorial", duration_minutes=180)
            SessionType.objects.create(event=obj, name="Keynote", duration_minutes=45, is_plenary=True)
            Track.objects.create(event=obj, name="Web", colour="#1f6feb")
            Track.objects.create(event=obj, name="Data", colour="#2e7d32")
            Room.objects.create(event=obj, name="Hall A", capacity=500, position=0)
            Room.objects.create(event=obj, name="Room 101", capacity=80, position=1)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")


def team_member(event, user=None, name=None, tracks=(), events=None, **flags) -> User:
    """A user on a team of the event's organiser with the given flags (created on the fly)."""
    user = user or UserFactory()
    team = Team.objects.create(
        organiser=event.organiser,
        name=name or f"Team {Team.objects.count() + 1}",
        all_events=events is None,
        **flags,
    )
    if events is not None:
        team.limit_events.set(events)
    team.limit_tracks.set(tracks)
    team.members.add(user)
    return user


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"C{n:05d}"[:6])
    title = factory.Sequence(lambda n: f"Proposal title {n}")
    abstract = "An abstract."
    description = "A description."
    session_type = factory.LazyAttribute(lambda o: o.event.session_types.order_by("duration_minutes").first())
    track = factory.LazyAttribute(lambda o: o.event.tracks.order_by("name").first())
    language = "en"

    @factory.post_generation
    def speakers(obj, create, extracted, **kwargs):
        if not create:
            return
        for position, user in enumerate(extracted or [UserFactory()]):
            ProposalSpeaker.objects.create(proposal=obj, user=user, position=position)
            SpeakerProfile.objects.get_or_create(
                event=obj.event, user=user, defaults={"bio": f"Bio of {user.name}."}
            )


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    proposal = factory.SubFactory(ProposalFactory)
    reviewer = factory.SubFactory(UserFactory)
    score = 2
