"""The event's CfP questions and the answers on proposals, through API tokens (read only).

Organisers (who edit or administer the event) read every question and answer; other team members
only questions marked visible to reviewers. Answers about a speaker are personal and left out
wherever the token's user may not see the speakers' identity (anonymised review), exactly as on the
pages (podium.cfp.queries). A file answer gives its name; the file itself is on the proposal's page.
"""

from decimal import Decimal

from ninja import Router, Schema
from pydantic import Field

from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.organiser import READ_ERRORS, _event, _visible_proposal
from podium.cfp import queries
from podium.cfp.models import Question
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
