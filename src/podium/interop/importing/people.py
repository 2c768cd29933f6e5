"""The file's people as the event's speakers.

Imported people have no e-mail address: each becomes a user with an unusable password and the
reserved address `<event>-<person key>-<hash>@imported.invalid` (RFC 2606: never deliverable), plus
a speaker profile. Two records are one person only when the file gives them the same id and names
that agree (case, spacing and accents aside), or, in files without ids, the same name; an id reused
for someone else (merged schedules) is a different person, and the report says so. Nothing is merged
across events."""

import hashlib

from django.utils.text import slugify

from podium.accounts.models import User
from podium.events.models import Event
from podium.interop.exporters.common import person_guid
from podium.interop.importers.source import SourcePerson
from podium.interop.importers.values import name_folded, same_name
from podium.interop.importing.matching import Keys
from podium.interop.importing.report import ImportReport
from podium.interop.models import ImportedKey
from podium.proposals.models import SpeakerProfile
from podium.proposals.services import create_imported_speakers, free_code

IMPORTED_DOMAIN = "imported.invalid"
Kind = ImportedKey.Kind


def imported_address(event: Event, person_key: str) -> str:
    """The reserved, undeliverable address of an imported person (unique per event and source key)."""
    digest = hashlib.sha256(person_key.encode()).hexdigest()[:10]
    return f"{event.slug}-{slugify(person_key)[:30]}-{digest}@{IMPORTED_DOMAIN}"


class Speakers:
    """Users and speaker profiles for the file's people, created once per person key."""

    def __init__(self, event: Event, report: ImportReport):
        self.event, self.report = event, report
        self.keys = Keys(event, Kind.SPEAKER)
        self.users: dict[str, User] = {}
        self.loaded: dict[int, User | None] = {}
        self.codes = set(SpeakerProfile.objects.filter(event=event).values_list("code", flat=True))
        self.index: dict | None = None
        self.new: list[tuple[str, User, str]] = []  # (key, user, bio) of people to create

    def user_for(self, person: SourcePerson) -> User:
        """The person's user: found by the source's key only when the names agree (an id reused for
        someone else is a different person, noted in the report), else created."""
        user = self._speaker(person)
        key = f"user:{user.pk}" if user is not None else self._key(person)
        if key in self.users:
            return self.users[key]
        name = person.name[:120]
        user = user or self._known(key) or self._same_name(person)
        if user is None:  # written with the others by `create()`, before the sessions are
            user = User(email=imported_address(self.event, key), name=name)
            self.new.append((key, user, person.bio))
            self.report.count("speaker", "created")
        else:
            profile = self._index()["profile"].get(user.pk)
            if profile is None:
                profile = SpeakerProfile.objects.create(
                    event=self.event, user=user, code=free_code(self.codes)
                )
                self.index["profile"][user.pk] = profile
            renamed = person.named and not same_name(user.name, name)  # spelling variants keep the first
            changed = renamed or (person.bio and profile.bio != person.bio)
            if changed:
                if renamed:
                    user.name = name
                    user.save(update_fields=["name"])
                if person.bio:
                    profile.bio = person.bio
                    profile.save(update_fields=["bio"])
            self.report.count("speaker", "updated" if changed else "unchanged")
        if not key.startswith("user:") and user.pk is not None:  # found by guid or code: the file's
            self.keys.remember(key, user)  # own key may be another's
        self.users[key] = user
        return user

    def create(self) -> None:
        """Write the users and speaker profiles of the people new to the event, all at once (their
        User objects, handed out by `user_for`, get their ids), and remember their keys."""
        if not self.new:
            return
        create_imported_speakers(
            event=self.event,
            users=[user for _key, user, _bio in self.new],
            bios=[bio for _key, _user, bio in self.new],
            codes=self.codes,
        )
        for key, user, _bio in self.new:
            self.keys.remember(key, user)
        self.new = []

    def _index(self) -> dict:
        """The event's speakers by the guid and code exports give them, and by name, and their profiles
        (read once)."""
        if self.index is None:
            self.index = {"guid": {}, "code": {}, "name": {}, "profile": {}}
            profiles = SpeakerProfile.objects.filter(event=self.event).select_related("user")
            for profile in profiles:
                user = profile.user
                self.index["profile"][user.pk] = profile
                self.index["guid"][person_guid(self.event, profile.code)] = user
                self.index["code"][profile.code.upper()] = user
                self.index["name"].setdefault(name_folded(user.name), []).append(user)
        return self.index

    def _speaker(self, person: SourcePerson) -> User | None:
        """The event's speaker a person of Podium's own export is: by the guid exports write (made from
        the event and the speaker's code), else by code when the names agree."""
        if not (person.guid or person.code):
            return None
        index = self._index()
        user = index["guid"].get(person.guid.strip().lower()) if person.guid else None
        if user is None and person.code:
            user = index["code"].get(person.code.strip().upper())
            if user is not None and person.named and not same_name(user.name, person.name):
                user = None
        return user

    def _same_name(self, person: SourcePerson) -> User | None:
        """For a person the file knows by name alone (a CSV, an iCal feed), the event's one speaker of
        that name; None when there is none or several."""
        if not person.key.startswith("name:"):
            return None
        found = self._index()["name"].get(name_folded(person.name), [])
        return found[0] if len(found) == 1 else None

    def _known(self, key: str) -> User | None:
        """The user an earlier import made of `key` (read once)."""
        user_id = self.keys.get(key)
        if not user_id:
            return None
        if not self.loaded:  # every user an earlier import made, in one query
            self.loaded = dict.fromkeys(self.keys.ids.values())
            self.loaded.update(User.objects.in_bulk(list(self.loaded)))
        if user_id not in self.loaded:
            self.loaded[user_id] = User.objects.filter(pk=user_id).first()
        return self.loaded[user_id]

    def _key(self, person: SourcePerson) -> str:
        """`person.key` when no one else holds it; for a name that disagrees with the one the key was
        first given to (in this file or an earlier import), the key plus the name."""
        if not person.key.startswith("id:") or not person.named:
            return person.key
        holder = self.users.get(person.key) or self._known(person.key)
        if holder is None or same_name(holder.name, person.name):
            return person.key
        alternative = f"{person.key}|name:{slugify(person.name) or person.name.strip().lower()}"
        if alternative not in self.users:
            self.report.note(
                f"The source gives the person id {person.key[3:]} to “{holder.name}” and to "
                f"“{person.name}”: they are imported as different people."
            )
        return alternative
