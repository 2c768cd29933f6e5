"""The event's CfP questions and the answers on proposals, through API tokens; writing the questions
(create, edit, delete unless answered) for write tokens of those who edit the event, as on its pages.

Organisers (who edit or administer the event) read every question and answer; other team members
only questions marked visible to reviewers. Answers about a speaker are personal and left out
wherever the token's user may not see the speakers' identity (anonymised review), exactly as on the
pages (podium.cfp.queries). A file answer gives its name; the file itself is on the proposal's page.
"""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import BeforeValidator, Field, Strict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.organiser import IDEMPOTENCY, READ_ERRORS, WRITE_ERRORS, _event, _visible_proposal
from podium.cfp import queries, services
from podium.cfp.models import FileType, Question, QuestionKind, QuestionTarget
from podium.proposals import queries as proposal_queries

router = Router(tags=["CfP questions"])


class QuestionOut(Schema):
    id: int
    label: str
    help_text: str
    target: str = Field(description="proposal or speaker: what the question asks about.")
    kind: str = Field(description="text, long_text, number, choice, multiple, file or boolean.")
    choices: list[str]
    min_value: Decimal | None
    max_value: Decimal | None
    file_types: list[str]
    max_file_mb: int
    required: bool
    active: bool
    visible_to_reviewers: bool
    tracks: list[int] = Field(description="Ids of the tracks it is asked for; empty: all.")
    session_types: list[int] = Field(description="Ids of the session types it is asked for; empty: all.")
    position: int
    version: int


class AnswerOut(Schema):
    question: int
    label: str
    target: str
    answered: bool
    value: str = Field(description="The answer as text (a number, the choice, yes or no, a file's name).")
    options: list[str] = Field(description="For several choices: those chosen.")
    speaker: str | None = Field(description="For an answer about a speaker: their speaker code.")


class ProposalAnswersOut(Schema):
    code: str
    answers: list[AnswerOut]


def _question_out(question: Question) -> dict:
    return {
        "id": question.pk,
        "label": question.label,
        "help_text": question.help_text,
        "target": question.target,
        "kind": question.kind,
        "choices": question.choices,
        "min_value": question.min_value,
        "max_value": question.max_value,
        "file_types": question.file_types,
        "max_file_mb": question.max_file_mb,
        "required": question.required,
        "active": question.active,
        "visible_to_reviewers": question.visible_to_reviewers,
        "tracks": [track.pk for track in question.tracks.all()],
        "session_types": [session_type.pk for session_type in question.session_types.all()],
        "position": question.position,
        "version": question.version,
    }


def _answers_out(shown) -> list[dict]:
    return [
        {
            "question": item.question.pk,
            "label": item.question.label,
            "target": item.question.target,
            "answered": item.answer is not None,
            "value": item.display,
            "options": item.answer.options if item.answer is not None else [],
            "speaker": item.speaker_code or None,
        }
        for item in shown
    ]


@router.get("/orga/events/{event}/questions", response={200: list[QuestionOut], **READ_ERRORS}, auth=TOKEN)
def questions(request, event: s.Slug):
    """The event's CfP questions in their order, active or not (team members who are not organisers:
    those visible to reviewers)."""
    found, user = _event(request, event), request.auth.user
    rows = queries.event_questions(found, active_only=False)
    if not queries.reads_all_questions(user, found):
        rows = rows.filter(visible_to_reviewers=True)
    return [_question_out(question) for question in rows]


@router.get(
    "/orga/events/{event}/proposals/{code}/answers",
    response={200: ProposalAnswersOut, **READ_ERRORS},
    auth=TOKEN,
)
def proposal_answers(request, event: s.Slug, code: s.Code):
    """The answers of one proposal the token's user may see, as on its page."""
    found, user = _event(request, event), request.auth.user
    proposal = _visible_proposal(found, user, code)
    return {"code": proposal.code, "answers": _answers_out(queries.answers_for_viewer(user, proposal))}


@router.get(
    "/orga/events/{event}/answers", response={200: list[ProposalAnswersOut], **READ_ERRORS}, auth=TOKEN
)
def answers(request, event: s.Slug):
    """Every proposal the token's user may see with its answers, by code."""
    found, user = _event(request, event), request.auth.user
    visible = list(proposal_queries.for_viewer(user, found).order_by("code"))
    shown = queries.answers_by_proposal(user, found, visible)
    return [{"code": proposal.code, "answers": _answers_out(shown[proposal.pk])} for proposal in visible]


# --- Writing the questions ---------------------------------------------------------------------------


def _json_decimal(value: Any) -> Any:
    """A JSON number (or null) for a number limit: 2.5 is 2.5, "2.5" or true is no number."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:  # pragma: no cover (every JSON number is a decimal)
            pass
    raise PydanticCustomError("decimal_type", "Give a number, e.g. 2.5, or null.")


# The bounds on the number itself: on the optional value they would be checked against null too.
Amount = Annotated[
    Decimal, Field(ge=Decimal("-9999999999.99"), le=Decimal("9999999999.99"), decimal_places=2)
]
Limit = Annotated[
    Amount | None,
    Strict(False),
    BeforeValidator(_json_decimal),
    # What _json_decimal takes: a JSON number (not pydantic's decimal-as-string too) or null.
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -9999999999.99, "maximum": 9999999999.99, "multipleOf": 0.01},
                {"type": "null"},
            ]
        }
    ),
]
Id = Annotated[int, Field(ge=1, le=2**31 - 1), Strict(False), BeforeValidator(s._json_number)]
Text = Annotated[str, StringConstraints(max_length=500, pattern=s.NO_NUL)]


class QuestionIn(s.StrictInput):
    """A question as the organiser's page writes it. Choices only for choice kinds, limits only for
    numbers, file types and size only for files (other kinds drop them)."""

    target: Literal[tuple(QuestionTarget.values)] = QuestionTarget.PROPOSAL  # type: ignore[valid-type]
    label: Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=s.NO_NUL)]
    help_text: Text = ""
    kind: Literal[tuple(QuestionKind.values)] = QuestionKind.TEXT  # type: ignore[valid-type]
    choices: list[Annotated[str, StringConstraints(max_length=200, pattern=s.NO_NUL)]] = Field(
        default_factory=list, max_length=100
    )
    min_value: Limit = None
    max_value: Limit = None
    file_types: list[Literal[tuple(FileType.values)]] = Field(default_factory=list, max_length=20)  # type: ignore[valid-type]
    max_file_mb: Annotated[int, Field(ge=1, le=100), Strict(False), BeforeValidator(s._json_number)] = 5
    required: bool = False
    active: bool = True
    visible_to_reviewers: bool = True
    tracks: list[Id] = Field(default_factory=list, max_length=200, description="Empty: every track.")
    session_types: list[Id] = Field(default_factory=list, max_length=200, description="Empty: every type.")
    position: Annotated[int, Field(ge=0, le=10_000), Strict(False), BeforeValidator(s._json_number)] = 0


class QuestionChange(QuestionIn):
    version: s.Version | None = Field(None, description="The version you read (409 if it changed since).")


def _question(event, pk: int) -> Question:
    question = event.cfp_questions.filter(pk=pk).first()
    if question is None:
        raise Http404("The event has no CfP question with this id.")
    return question


def _question_data(event, data: QuestionIn) -> dict:
    tracks = list(event.tracks.filter(pk__in=set(data.tracks)))
    types = list(event.session_types.filter(pk__in=set(data.session_types)))
    if len(tracks) != len(set(data.tracks)):
        raise Http404("Some of these ids are no track of this event.")
    if len(types) != len(set(data.session_types)):
        raise Http404("Some of these ids are no session type of this event.")
    values = data.dict(exclude={"tracks", "session_types", "version"})
    return {**values, "tracks": tracks, "session_types": types}


def _saved(question: Question) -> dict:
    question = Question.objects.prefetch_related("tracks", "session_types").get(pk=question.pk)
    return _question_out(question)


@router.post("/orga/events/{event}/questions", response={201: QuestionOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def create_question(
    request, event: s.Slug, data: QuestionIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """A new CfP question (the label is unique per target in the event, ignoring case)."""
    found = _event(request, event, write=True)
    question = services.save_question(event=found, by=request.auth.user, data=_question_data(found, data))
    return Status(201, _saved(question))


@router.put(
    "/orga/events/{event}/questions/{question}", response={200: QuestionOut, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def change_question(
    request,
    event: s.Slug,
    question: s.DbInt,
    data: QuestionChange,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Edit a CfP question: every field as it should be (answers given stay; make it inactive to stop
    asking it)."""
    found = _event(request, event, write=True)
    saved = services.save_question(
        event=found,
        by=request.auth.user,
        data=_question_data(found, data),
        question=_question(found, question),
        version=data.version,
    )
    return _saved(saved)


@router.delete("/orga/events/{event}/questions/{question}", response={204: None, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def delete_question(
    request, event: s.Slug, question: s.DbInt, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """Delete a CfP question nobody answered (400 for one with answers: make it inactive instead)."""
    found = _event(request, event, write=True)
    services.delete_question(question=_question(found, question), by=request.auth.user)
    return Status(204, None)
