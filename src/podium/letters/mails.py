"""The mails of invitation letters, queued in the outbox by the decision that causes them (to the
requester's account address). Templates: letters/templates/mail/."""

from django.conf import settings
from django.urls import reverse

from podium.letters.models import LetterRequest
from podium.mail.services import queue_mail


def about(letter: LetterRequest) -> str:
    """The outbox key of a request's mails."""
    return f"letter:{letter.pk}"


def page_link(letter: LetterRequest) -> str:
    """The requester's page of their letter (state, reason, download)."""
    return f"{settings.BASE_URL}{reverse('site:letter', kwargs={'event': letter.event.slug})}"


def pdf_link(letter: LetterRequest) -> str:
    """The approved letter's PDF (for its requester, after log-in)."""
    return f"{settings.BASE_URL}{reverse('site:letter_pdf', kwargs={'event': letter.event.slug})}"


def _queue(letter: LetterRequest, template: str, **context):
    return queue_mail(
        to=letter.user.email,
        template=template,
        context={"letter": letter, "name": letter.user.name or letter.passport_name, **context},
        event=letter.event,
        user=letter.user,
        about=about(letter),
    )


def letter_approved(letter: LetterRequest):
    """The letter is ready: a link to its PDF and to the page where it is kept."""
    return _queue(letter, "letter_approved", pdf_link=pdf_link(letter), page_link=page_link(letter))


def letter_declined(letter: LetterRequest):
    """The request was declined, with the organisers' reason."""
    return _queue(letter, "letter_declined", page_link=page_link(letter))


def letter_withdrawn(letter: LetterRequest):
    """An approved letter was withdrawn: it no longer verifies; its holder should not travel on it."""
    return _queue(letter, "letter_withdrawn", page_link=page_link(letter))
