"""Checking what a buyer or an import says about an attendee: name, address, answers to questions.

Names keep every character as typed (accents, quotes) but are folded onto one line; answers are
checked against their question (a choice must be one of its choices, a yes/no is yes or no, a
required question needs an answer, a required yes/no must be yes).
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

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


def at(where: str, problem: str) -> str:
    """`problem` (a sentence, maybe starting in lower case) said of `where` ("Ticket 2": "Ticket 2: …"),
    or as a sentence of its own when `where` is empty."""
    if not where:
        return sentence(problem)
    return _("%(where)s: %(problem)s") % {"where": where, "problem": problem}


def clean_attendee(name, email, *, where: str = "") -> tuple[str, str]:
    """(name, address) as stored, or a ServiceError naming `where` (e.g. "Ticket 2")."""
    name = one_line(name)
    email = one_line(email).lower()
    if not name:
        # Translators: a sentence; its first letter becomes upper case where it stands alone.
        raise ServiceError(at(where, _("enter the attendee's name.")), field="attendee_name")
    if len(name) > MAX_NAME:
        raise ServiceError(
            # Translators: a sentence; its first letter becomes upper case where it stands alone.
            at(where, _("the name has more than %(count)s characters.") % {"count": MAX_NAME}),
            field="attendee_name",
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(
            at(where, _("“%(email)s” is not an e-mail address.") % {"email": email})
            if email
            # Translators: a sentence; its first letter becomes upper case where it stands alone.
            else at(where, _("enter the attendee's e-mail address.")),
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
    question_label = question.label
    if question.kind == QuestionKind.BOOLEAN:
        answer = boolean(value)
        if answer is None:
            problem = _("“%(question)s”: answer yes or no.") % {"question": question_label}
            raise ServiceError(at(where, problem), field="answers")
        if enforce_required and question.required and not answer:
            problem = _("“%(question)s” must be answered yes.") % {"question": question_label}
            raise ServiceError(at(where, problem), field="answers")
        return YES if answer else NO
    text = str(value).strip() if value is not None else ""
    if question.kind == QuestionKind.CHOICE and text and text not in question.choices:
        problem = _("“%(question)s”: choose one of %(choices)s.") % {
            "question": question_label,
            "choices": ", ".join(question.choices),
        }
        raise ServiceError(at(where, problem), field="answers")
    if len(text) > MAX_ANSWER:
        problem = _("“%(question)s”: the answer has more than %(count)s characters.") % {
            "question": question_label,
            "count": MAX_ANSWER,
        }
        raise ServiceError(at(where, problem), field="answers")
    if enforce_required and question.required and not text:
        problem = _("“%(question)s” needs an answer.") % {"question": question_label}
        raise ServiceError(at(where, problem), field="answers")
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
            # Translators: a sentence; its first letter becomes upper case where it stands alone.
            raise ServiceError(at(where, _("unknown question.")), field="answers") from None
        if pk not in asked:
            # Translators: a sentence; its first letter becomes upper case where it stands alone.
            message = _("a question that is not asked for “%(ticket_type)s” was answered.") % {
                "ticket_type": ticket_type.name
            }
            raise ServiceError(at(where, message), field="answers")
        values[pk] = value
    return {
        pk: clean_value(question, values.get(pk), where=where, enforce_required=enforce_required)
        for pk, question in asked.items()
    }
