"""Checking what a buyer or an import says about an attendee: name, address, answers to questions.

Names keep every character as typed (accents, quotes) but are folded onto one line; answers are
checked against their question (a choice must be one of its choices, a yes/no is yes or no, a
required question needs an answer, a required yes/no must be yes).
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from podium.base.errors import ServiceError
from podium.registration.enums import QuestionKind
from podium.registration.models import Question, TicketType

MAX_NAME = 200
MAX_ANSWER = 2000
YES, NO = "yes", "no"
TRUE_WORDS = {"yes", "y", "true", "1", "x", "on"}
FALSE_WORDS = {"no", "n", "false", "0", "off", ""}


def one_line(value) -> str:
    return " ".join(str(value or "").split())


def sentence(text: str) -> str:
    """`text` with its first letter in upper case (and nothing else changed)."""
    return text[:1].upper() + text[1:]


def clean_attendee(name, email, *, where: str = "") -> tuple[str, str]:
    """(name, address) as stored, or a ServiceError naming `where` (e.g. "Ticket 2: ")."""
    name = one_line(name)
    email = one_line(email).lower()
    if not name:
        raise ServiceError(sentence(f"{where}enter the attendee's name."), field="attendee_name")
    if len(name) > MAX_NAME:
        raise ServiceError(
            sentence(f"{where}the name has more than {MAX_NAME} characters."), field="attendee_name"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(
            sentence(f"{where}“{email}” is not an e-mail address.")
            if email
            else sentence(f"{where}enter the attendee's e-mail address."),
            field="attendee_email",
        ) from None
    return name, email


def questions_for(questions: list[Question], ticket_type: TicketType) -> list[Question]:
    """The questions asked for a ticket of this type (`questions` with `ticket_types` prefetched)."""
    return [
        question
        for question in questions
        if not question.ticket_types.all() or any(t.pk == ticket_type.pk for t in question.ticket_types.all())
    ]


def event_questions(event) -> list[Question]:
    return list(Question.objects.filter(event=event).prefetch_related("ticket_types"))


def _key(question) -> int:
    return question.pk if isinstance(question, Question) else int(question)


def boolean(value) -> bool | None:
    """True, False, or None when `value` is neither a yes nor a no."""
    if isinstance(value, bool):
        return value
    word = one_line(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def clean_value(question: Question, value, *, where: str = "", enforce_required: bool = True) -> str:
    """One answer as stored ("" for none), or a ServiceError. Organisers importing attendees may leave
    required questions unanswered (`enforce_required=False`)."""
    label = sentence(f"{where}“{question.label}”")
    if question.kind == QuestionKind.BOOLEAN:
        answer = boolean(value)
        if answer is None:
            raise ServiceError(f"{label}: answer yes or no.", field="answers")
        if enforce_required and question.required and not answer:
            raise ServiceError(f"{label} must be answered yes.", field="answers")
        return YES if answer else NO
    text = str(value).strip() if value is not None else ""
    if question.kind == QuestionKind.CHOICE and text and text not in question.choices:
        raise ServiceError(f"{label}: choose one of {', '.join(question.choices)}.", field="answers")
    if len(text) > MAX_ANSWER:
        raise ServiceError(f"{label}: the answer has more than {MAX_ANSWER} characters.", field="answers")
    if enforce_required and question.required and not text:
        raise ServiceError(f"{label} needs an answer.", field="answers")
    return text


def clean_answers(
    questions: list[Question],
    ticket_type: TicketType,
    given: dict,
    *,
    where: str = "",
    enforce_required: bool = True,
) -> dict[int, str]:
    """{question id: answer} for every question asked for the type (unanswered optional ones: "").

    `given` maps questions (or their ids) to values. An answer to a question not asked for this type
    (another event's, another type's) is refused.
    """
    asked = {question.pk: question for question in questions_for(questions, ticket_type)}
    values = {}
    for question, value in (given or {}).items():
        try:
            pk = _key(question)
        except (TypeError, ValueError):
            raise ServiceError(sentence(f"{where}unknown question."), field="answers") from None
        if pk not in asked:
            message = f"{where}a question that is not asked for “{ticket_type.name}” was answered."
            raise ServiceError(sentence(message), field="answers")
        values[pk] = value
    return {
        pk: clean_value(question, values.get(pk), where=where, enforce_required=enforce_required)
        for pk, question in asked.items()
    }
