"""CfP questions and answers: organisers set questions up (`save_question`, `delete_question`,
`copy_questions`); speakers answer them with their proposal and profile, in the same transaction
(`submit_with_answers`, `update_proposal_with_answers`, `save_profile_with_answers`).

Answers are given as {question id: raw value}: a string for text, number and one choice, a list of
strings for several choices, a bool for yes or no, an uploaded file for a file (None keeps the stored
file, False removes it). A question not in the dict is not answered. Every answer is checked here (its
kind, range, choices, file type and size), and a required question that applies must be answered; a
question that does not apply (another track or session type, or inactive) is never required and its
input is ignored.
"""

import datetime as dt
import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.uploads import clean_image
from podium.cfp import queries
from podium.cfp.models import (
    CHOICE_KINDS,
    MAX_FILE_MB,
    Answer,
    FileType,
    Question,
    QuestionKind,
)
from podium.events.models import Event
from podium.events.rules import check_can_edit_event
from podium.proposals import services as proposals
from podium.proposals.models import Proposal, SpeakerProfile

QUESTION_FIELDS = (
    "target",
    "label",
    "help_text",
    "kind",
    "choices",
    "min_value",
    "max_value",
    "file_types",
    "max_file_mb",
    "required",
    "active",
    "visible_to_reviewers",
    "position",
)
MAX_TEXT = 300
MAX_LONG_TEXT = 10_000


def field_name(question: Question) -> str:
    """The name of a question's field in forms and errors."""
    return f"q_{question.pk}"


# --- Questions --------------------------------------------------------------------------------------


def _choices(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    seen, result = set(), []
    for item in value or []:
        item = " ".join(str(item).split())
        if item and item.lower() not in seen:
            seen.add(item.lower())
            result.append(item)
    return result


@transaction.atomic
def save_question(
    *, event: Event, by, data: dict, question: Question | None = None, version: int | None = None
) -> Question:
    """Create a question or edit one (`QUESTION_FIELDS` in `data`, and `tracks` and `session_types`:
    the ones it is limited to, none meaning all).

    Refused for users who may not edit the event's set-up, for a stale `version`, for a label another
    question about the same target has, a choice with fewer than two answers, a minimum above the
    maximum, a file question without file types, and tracks or session types of another event. Kinds
    other than choices keep no choices, other than numbers no range, other than files no file types.

    Side effects: audit entry with the changed fields.
    """
    check_can_edit_event(by, event)
    if question is None or question.pk is None:
        obj = Question(event=event)
    else:
        if question.event_id != event.pk:
            raise NotAllowed(_("This question belongs to another event."))
        obj = Question.objects.select_for_update().get(pk=question.pk, event=event)
        if version is not None and obj.version != version:
            raise StaleEdit(
                _(
                    "Someone else changed this question while you were editing. "
                    "The form shows the current values; make your change again."
                )
            )
    data = dict(data)
    if "choices" in data:
        data["choices"] = _choices(data["choices"])
    if "file_types" in data:
        data["file_types"] = [t for t in FileType.values if t in (data["file_types"] or [])]
    changed = []
    for name in QUESTION_FIELDS:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    obj.label = " ".join((obj.label or "").split())
    if not obj.label:
        raise ServiceError(_("Write the question."), field="label")
    if (
        Question.objects.filter(event=event, target=obj.target, label__iexact=obj.label)
        .exclude(pk=obj.pk)
        .exists()
    ):
        raise ServiceError(
            _("There is already a question “%(label)s”.") % {"label": obj.label}, field="label"
        )
    if obj.kind in CHOICE_KINDS and len(obj.choices) < 2:
        raise ServiceError(
            _("A choice needs at least two answers to choose from, one a line."), field="choices"
        )
    if obj.kind not in CHOICE_KINDS:
        obj.choices = []
    if obj.kind == QuestionKind.NUMBER:
        if obj.min_value is not None and obj.max_value is not None and obj.min_value > obj.max_value:
            raise ServiceError(_("The smallest number allowed is above the largest."), field="max_value")
    else:
        obj.min_value = obj.max_value = None
    if obj.kind == QuestionKind.FILE:
        if not obj.file_types:
            raise ServiceError(_("Choose the kinds of file accepted."), field="file_types")
    else:
        obj.file_types = []
    if not 1 <= (obj.max_file_mb or 0) <= MAX_FILE_MB:
        raise ServiceError(_("A file may be 1 to %(max)s MB.") % {"max": MAX_FILE_MB}, field="max_file_mb")
    tracks, types = data.get("tracks"), data.get("session_types")
    if tracks is not None and any(track.event_id != event.pk for track in tracks):
        raise ServiceError(_("Choose tracks of this event."), field="tracks")
    if types is not None and any(session_type.event_id != event.pk for session_type in types):
        raise ServiceError(_("Choose session types of this event."), field="session_types")
    try:
        obj.full_clean(
            exclude=["event", "tracks", "session_types"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=None if name == "__all__" else name) from exc
    created = obj.pk is None
    obj.version = (obj.version or 0) + (0 if created else 1)
    obj.save()
    if tracks is not None and set(obj.tracks.all()) != set(tracks):
        obj.tracks.set(tracks)
        changed.append("tracks")
    if types is not None and set(obj.session_types.all()) != set(types):
        obj.session_types.set(types)
        changed.append("session_types")
    audit.record(
        action="cfp_question.saved",
        actor=by,
        target=obj,
        event_id=event.pk,
        created=created,
        fields=sorted(changed),
        label=obj.label,
    )
    return obj


@transaction.atomic
def delete_question(*, question: Question, by) -> None:
    """Delete a question that nobody answered. A question with answers is refused (deactivate it
    instead: the answers stay for reviewers and exports).

    Side effects: audit entry.
    """
    check_can_edit_event(by, question.event)
    stored = Question.objects.select_for_update().get(pk=question.pk, event_id=question.event_id)
    answers = stored.answers.count()
    if answers:
        raise ServiceError(
            ngettext(
                "“%(label)s” has %(count)s answer: make it inactive instead, so the answers stay.",
                "“%(label)s” has %(count)s answers: make it inactive instead, so the answers stay.",
                answers,
            )
            % {"label": stored.label, "count": answers}
        )
    label, event_id = stored.label, stored.event_id
    stored.delete()
    audit.record(action="cfp_question.deleted", actor=by, event_id=event_id, label=label)


@transaction.atomic
def copy_questions(*, source: Event, target: Event) -> list[Question]:
    """Copy `source`'s questions (active or not, no answers) to `target`, as part of copying an event.

    Track and session-type limits follow by name: a limit to a track or type `target` does not have
    is dropped, and a question whose limits all went is copied inactive (so it is not suddenly asked
    of everyone). A question `target` already has (same target and label) is left as it is. The
    caller checks who may copy. Returns the new questions.
    """
    tracks = {track.name.lower(): track for track in target.tracks.all()}
    types = {session_type.name.lower(): session_type for session_type in target.session_types.all()}
    have = {
        (target_, label.lower()) for target_, label in target.cfp_questions.values_list("target", "label")
    }
    created = []
    for question in queries.event_questions(source, active_only=False):
        if (question.target, question.label.lower()) in have:
            continue
        old_tracks, old_types = list(question.tracks.all()), list(question.session_types.all())
        new_tracks = [tracks[t.name.lower()] for t in old_tracks if t.name.lower() in tracks]
        new_types = [types[t.name.lower()] for t in old_types if t.name.lower() in types]
        lost_all = (old_tracks and not new_tracks) or (old_types and not new_types)
        copy = Question.objects.create(
            event=target,
            **{name: getattr(question, name) for name in QUESTION_FIELDS if name != "active"},
            active=question.active and not lost_all,
        )
        copy.tracks.set(new_tracks)
        copy.session_types.set(new_types)
        created.append(copy)
    if created:
        audit.record(action="cfp_question.copied", event_id=target.pk, source=source.slug, count=len(created))
    return created


# --- Answers ----------------------------------------------------------------------------------------


def _file_name(upload) -> str:
    name = os.path.basename(str(getattr(upload, "name", "") or "")).strip()
    return "".join(ch for ch in name if ch.isprintable())[:200] or "file"


def clean_file(question: Question, upload) -> tuple[object, str]:
    """A checked copy of an uploaded answer file and the name to show; ServiceError when its size or
    content is not what the question accepts. PDFs are recognised by content, images re-encoded
    (podium.base.uploads.clean_image: metadata dropped), text must be UTF-8 without control bytes."""
    field = field_name(question)
    limit = question.max_file_mb * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ServiceError(
            _("The file is %(size)s MB; the limit is %(max)s MB.")
            % {"size": f"{upload.size / 1048576:.1f}", "max": question.max_file_mb},
            field=field,
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    name = _file_name(upload)
    if FileType.PDF in question.file_types and head.startswith(b"%PDF-"):
        return SimpleUploadedFile("answer.pdf", upload.read(), "application/pdf"), name
    looks_like_image = head[:4] in (b"\x89PNG", b"RIFF") or head[:3] == b"\xff\xd8\xff"
    if FileType.IMAGE in question.file_types and looks_like_image:
        try:
            return clean_image(upload), name
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field=field) from exc
    if FileType.TEXT in question.file_types:
        content = upload.read()
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
            return SimpleUploadedFile("answer.txt", content, "text/plain"), name
    accepted = ", ".join(str(FileType(t).label) for t in question.file_types)
    raise ServiceError(_("Upload a file of an accepted kind: %(kinds)s.") % {"kinds": accepted}, field=field)


def _cleaned(question: Question, raw) -> dict | None:
    """The stored values of one answer ({"value", "options"}), or None for "not answered"."""
    field = field_name(question)
    kind = question.kind
    if kind == QuestionKind.BOOLEAN:
        if raw is None or raw == "":
            return None
        yes = raw if isinstance(raw, bool) else str(raw).lower() in ("yes", "true", "on", "1")
        return {"value": "yes" if yes else "no", "options": []}
    if kind == QuestionKind.MULTIPLE:
        picked = [raw] if isinstance(raw, str) else list(raw or [])
        allowed = {choice.lower(): choice for choice in question.choices}
        unknown = [str(p) for p in picked if str(p).lower() not in allowed]
        if unknown:
            raise ServiceError(
                _("“%(answer)s” is not one of the answers to choose from.") % {"answer": unknown[0]},
                field=field,
            )
        chosen = {str(p).lower() for p in picked}
        options = [choice for choice in question.choices if choice.lower() in chosen]
        return {"value": "", "options": options} if options else None
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if kind == QuestionKind.CHOICE:
        match = next((c for c in question.choices if c.lower() == text.lower()), None)
        if match is None:
            raise ServiceError(
                _("“%(answer)s” is not one of the answers to choose from.") % {"answer": text}, field=field
            )
        return {"value": match, "options": []}
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ServiceError(_("Enter a number."), field=field) from None
        if not number.is_finite():
            raise ServiceError(_("Enter a number."), field=field)
        if question.min_value is not None and number < question.min_value:
            raise ServiceError(
                _("Enter a number of at least %(min)s.") % {"min": f"{question.min_value.normalize():f}"},
                field=field,
            )
        if question.max_value is not None and number > question.max_value:
            raise ServiceError(
                _("Enter a number of at most %(max)s.") % {"max": f"{question.max_value.normalize():f}"},
                field=field,
            )
        return {"value": f"{number.normalize():f}", "options": []}
    limit = MAX_LONG_TEXT if kind == QuestionKind.LONG_TEXT else MAX_TEXT
    if kind == QuestionKind.TEXT:
        text = " ".join(text.split())
    if len(text) > limit:
        raise ServiceError(
            _("Keep the answer under %(limit)s characters (it has %(length)s).")
            % {"limit": f"{limit:,}", "length": f"{len(text):,}"},
            field=field,
        )
    return {"value": text, "options": []}


def _delete_files_after_commit(names: list[str], storage) -> None:
    def delete():
        for name in names:
            if name and not Answer.objects.filter(file=name).exists():
                storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _save_answers(*, questions: list[Question], answers: dict, proposal=None, profile=None) -> list[str]:
    """Check and store the answers to `questions` (those that apply) for one owner; the labels changed."""
    stored = queries.answers_of(proposal=proposal, profile=profile)
    changed, old_files, errors = [], [], []
    for question in questions:
        raw = answers.get(question.pk, answers.get(str(question.pk)))
        current = stored.get(question.pk)
        try:
            if question.kind == QuestionKind.FILE:
                if raw is None and (current is None or not current.file):
                    values = None
                elif raw is None:
                    continue  # kept
                elif raw is False:
                    values = None
                elif isinstance(raw, UploadedFile):
                    upload, name = clean_file(question, raw)
                    values = {"file": upload, "file_name": name}
                else:
                    raise ServiceError(_("Upload a file."), field=field_name(question))
            else:
                values = _cleaned(question, raw)
            if (
                question.kind == QuestionKind.BOOLEAN
                and question.required
                and values
                and values["value"] == "no"
            ):
                raise ServiceError(_("Tick this box to go on."), field=field_name(question))
            if values is None and question.required:
                raise ServiceError(_("This question needs an answer."), field=field_name(question))
        except ServiceError as exc:
            errors.append(exc)
            continue
        if values is None:
            if current is not None:
                if current.file:
                    old_files.append(current.file.name)
                current.delete()
                changed.append(question.label)
            continue
        answer = current or Answer(question=question, proposal=proposal, profile=profile)
        if "file" in values:
            if answer.file:
                old_files.append(answer.file.name)
            answer.file = values["file"]
            answer.file_name = values["file_name"]
            answer.save()
            changed.append(question.label)
        elif answer.pk is None or (answer.value, answer.options) != (values["value"], values["options"]):
            answer.value, answer.options = values["value"], values["options"]
            answer.save()
            changed.append(question.label)
    if errors:
        raise AnswerErrors(errors)
    _delete_files_after_commit(old_files, Answer._meta.get_field("file").storage)
    return changed


class AnswerErrors(ServiceError):
    """Every answer that was refused (`errors`, each naming its question's field); nothing was saved."""

    def __init__(self, errors: list[ServiceError]):
        super().__init__(" ".join(dict.fromkeys(error.message for error in errors)), field=errors[0].field)
        self.errors = errors


def _drop_answers(*, proposal, keep: list[Question]) -> list[str]:
    """Delete the proposal's answers to questions that no longer apply to it (another track or type)."""
    gone = Answer.objects.filter(proposal=proposal).exclude(question__in=keep).select_related("question")
    labels, files = [], []
    for answer in gone:
        labels.append(answer.question.label)
        if answer.file:
            files.append(answer.file.name)
        answer.delete()
    _delete_files_after_commit(files, Answer._meta.get_field("file").storage)
    return labels


def _proposal_questions(proposal: Proposal) -> list[Question]:
    return queries.proposal_questions(
        proposal.event, track_id=proposal.track_id, session_type_id=proposal.session_type_id
    )


def _profile_questions(profile: SpeakerProfile, extra: set[tuple] = frozenset()) -> list[Question]:
    return queries.speaker_questions(profile.event, pairs=queries.speaker_pairs(profile) | set(extra))


@transaction.atomic
def submit_with_answers(
    *,
    event: Event,
    speaker,
    profile: dict,
    data: dict,
    answers: dict,
    idempotency_key: str | None = None,
) -> Proposal:
    """Save the speaker's profile (`profile`: the keyword arguments of
    proposals.services.save_speaker_profile), submit the proposal (`data`) and store the answers to the
    questions about the proposal and the speaker that apply to it: all or nothing.

    A repeated submission (same idempotency key) returns the proposal submitted first and changes
    nothing. Side effects: those of the two services; an audit entry naming the answers given.
    """
    if idempotency_key:
        existing = event.proposals.filter(submission_key=idempotency_key, submitted_by=speaker).first()
        if existing:
            return existing
    if not event.cfp_is_open:
        raise NotAllowed(_("The call for papers is closed."))
    saved_profile = proposals.save_speaker_profile(event=event, user=speaker, **profile)
    proposal = proposals.submit_proposal(
        event=event, speaker=speaker, data=data, idempotency_key=idempotency_key
    )
    changed = _save_answers(questions=_proposal_questions(proposal), answers=answers, proposal=proposal)
    changed += _save_answers(
        questions=_profile_questions(saved_profile), answers=answers, profile=saved_profile
    )
    if changed:
        audit.record(
            action="cfp_answers.saved", actor=speaker, target=proposal, event_id=event.pk, questions=changed
        )
    return proposal


@transaction.atomic
def update_proposal_with_answers(
    *, proposal: Proposal, by, data: dict, version: int, answers: dict
) -> Proposal:
    """Edit a proposal as its speaker (proposals.services.update_proposal: until the deadline) and its
    answers to the questions about proposals that apply to its track and session type, in one
    transaction. Answers to questions that no longer apply (the track or type changed) are deleted.

    Side effects: those of update_proposal; an audit entry naming the answers changed.
    """
    saved = proposals.update_proposal(proposal=proposal, by=by, data=data, version=version)
    questions = _proposal_questions(saved)
    changed = _save_answers(questions=questions, answers=answers, proposal=saved)
    changed += _drop_answers(proposal=saved, keep=questions)
    if changed:
        audit.record(
            action="cfp_answers.saved", actor=by, target=saved, event_id=saved.event_id, questions=changed
        )
    return saved


@transaction.atomic
def save_profile_with_answers(
    *,
    event: Event,
    user,
    profile: dict,
    answers: dict,
    windows: list[tuple[dt.datetime, dt.datetime]] | None = None,
    preferred: list[tuple[dt.datetime, dt.datetime]] = (),
) -> SpeakerProfile:
    """Save the speaker's profile (and, with `windows` given, their availability) and their answers to
    the questions about speakers that apply to their proposals, in one transaction.

    Side effects: those of proposals.services.save_speaker_profile; an audit entry naming the answers
    changed.
    """
    saved = proposals.save_speaker_profile(event=event, user=user, **profile)
    if windows is not None:
        proposals.set_availability(profile=saved, windows=windows, preferred=preferred)
    changed = _save_answers(questions=_profile_questions(saved), answers=answers, profile=saved)
    if changed:
        audit.record(
            action="cfp_answers.saved", actor=user, target=saved, event_id=event.pk, questions=changed
        )
    return saved
