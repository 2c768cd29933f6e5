"""Forms of the ticket shop: the order (one block per ticket), a waiting-list offer, a ticket's
attendee. They check what a browser can check; registration.services checks everything again."""

import uuid
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.registration.answers import MAX_ANSWER, MAX_NAME, questions_for
from podium.registration.enums import QuestionKind
from podium.registration.models import Question, TicketType
from podium.registration.services import OrderItem


def question_field(question: Question) -> forms.Field:
    """The form field of one question: a text, one of its choices, or a yes/no box (a required yes/no
    must be ticked)."""
    label = question.label
    if question.kind == QuestionKind.BOOLEAN:
        return forms.BooleanField(label=label, required=question.required, help_text=question.help_text)
    if question.kind == QuestionKind.CHOICE:
        # An empty first choice, so that a required one is chosen rather than taken as it comes.
        choices = [("", _("Choose…")), *((choice, choice) for choice in question.choices)]
        return forms.ChoiceField(
            label=label, choices=choices, required=question.required, help_text=question.help_text
        )
    return forms.CharField(
        label=label, required=question.required, max_length=MAX_ANSWER, help_text=question.help_text
    )


@dataclass
class TicketBlock:
    """The fields of one ticket on the order form, for the template."""

    number: int
    ticket_type: TicketType
    fields: list


class AttendeeFields:
    """Name, address and company of one attendee, under a prefix ("t2-")."""

    @staticmethod
    def add(form, prefix: str, *, company: bool = True) -> list[str]:
        form.fields[f"{prefix}name"] = forms.CharField(label=_("Attendee's name"), max_length=MAX_NAME)
        form.fields[f"{prefix}email"] = forms.EmailField(
            label=_("Attendee's e-mail address"), help_text=_("The ticket is made out to this person.")
        )
        names = [f"{prefix}name", f"{prefix}email"]
        if company:
            form.fields[f"{prefix}company"] = forms.CharField(
                label=_("Company or organisation"), max_length=200, required=False
            )
            names.append(f"{prefix}company")
        return names


class OrderForm(forms.Form):
    """How the buyer is reached and, per ticket, who attends and their answers."""

    required_css_class = "required"

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("Where the order and the tickets go.")
    )

    def __init__(self, *args, types: list[TicketType], questions: list[Question], buyer, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks: list[TicketBlock] = []
        self.questions = {}
        for number, ticket_type in enumerate(types, start=1):
            prefix = f"t{number}-"
            names = AttendeeFields.add(self, prefix)
            asked = questions_for(questions, ticket_type)
            for question in asked:
                name = f"{prefix}q{question.pk}"
                self.fields[name] = question_field(question)
                names.append(name)
            self.questions[number] = asked
            self.blocks.append(TicketBlock(number, ticket_type, names))
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            self.initial.setdefault("email", buyer.email)
            if self.blocks:
                self.initial.setdefault("t1-name", buyer.name)
                self.initial.setdefault("t1-email", buyer.email)

    def ticket_blocks(self) -> list[dict]:
        """[{number, ticket_type, fields: bound fields}] for the template."""
        return [
            {
                "number": block.number,
                "ticket_type": block.ticket_type,
                "fields": [self[name] for name in block.fields],
            }
            for block in self.blocks
        ]

    def items(self) -> list[OrderItem]:
        data = self.cleaned_data
        return [
            OrderItem(
                ticket_type=block.ticket_type,
                attendee_name=data[f"t{block.number}-name"],
                attendee_email=data[f"t{block.number}-email"],
                attendee_company=data.get(f"t{block.number}-company", ""),
                answers={
                    question.pk: data.get(f"t{block.number}-q{question.pk}")
                    for question in self.questions[block.number]
                },
            )
            for block in self.blocks
        ]


class OfferForm(forms.Form):
    """Taking up a waiting-list offer: one ticket, its attendee and answers."""

    required_css_class = "required"

    email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("Where the order and the ticket go.")
    )

    def __init__(self, *args, ticket_type: TicketType, questions: list[Question], entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.ticket_type = ticket_type
        self.attendee = AttendeeFields.add(self, "attendee_", company=False)
        self.asked = questions_for(questions, ticket_type)
        for question in self.asked:
            self.fields[f"q{question.pk}"] = question_field(question)
        if not self.is_bound:
            self.initial.update(
                email=entry.email, attendee_name=entry.name or entry.user.name, attendee_email=entry.email
            )

    def answers(self) -> dict:
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.asked}


class ChangeAttendeeForm(forms.Form):
    """Another name (address, company) on one ticket; the hidden version is the order's."""

    name = forms.CharField(label=_("Attendee's name"), max_length=MAX_NAME)
    email = forms.EmailField(label=_("Attendee's e-mail address"))
    company = forms.CharField(label=_("Company or organisation"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_ticket(cls, ticket, data=None):
        return cls(
            data,
            prefix=f"ticket-{ticket.pk}",
            initial={
                "name": ticket.attendee_name,
                "email": ticket.attendee_email,
                "company": ticket.attendee_company,
                "version": ticket.order.version,
            },
        )
