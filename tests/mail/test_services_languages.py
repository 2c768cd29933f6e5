"""Mail is written in its recipient's language: the one they chose (accounts.User.language), else the
event's default language, else the language of the request that caused it; the event's own texts
(its name) in that language too."""

import pytest
from django.utils import translation

from podium.mail import services
from podium.mail.models import OutboxMail
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def spoken(monkeypatch):
    """The language active while each mail's templates were rendered."""
    languages = []
    render_text = services._render_text

    def recording(name, context):
        languages.append(translation.get_language())
        return render_text(name, context)

    monkeypatch.setattr(services, "_render_text", recording)
    return languages


def _seat_mail(event, *, to, user=None):
    context = {"name": "Ada", "title": "Pandas", "when": "Monday", "room": "Hall A", "link": "https://x"}
    return services.queue_mail(
        to=to, template="seat_from_waiting_list", context=context, event=event, user=user
    )


def test_the_recipients_language_then_the_events_then_the_requests(event):
    german = factories.UserFactory(language="de")
    undecided = factories.UserFactory()
    event.default_language = "fr"

    assert services.recipient_language(to=german.email, user=german, event=event) == "de"
    assert services.recipient_language(to=german.email, event=event) == "de"  # found by address
    assert services.recipient_language(to=german.email.upper(), event=None) == "de"
    assert services.recipient_language(to=undecided.email, user=undecided, event=event) == "fr"
    assert services.recipient_language(to="stranger@example.org", event=event) == "fr"
    with translation.override("de"):
        assert services.recipient_language(to="stranger@example.org") == "de"
    assert services.recipient_language(to="stranger@example.org") == "en"


def test_a_mail_is_rendered_in_its_recipients_language(event, spoken):
    event.name_de = "Pythonkonferenz"
    event.default_language = "fr"
    event.save()
    german = factories.UserFactory(language="de")

    with translation.override("en"):
        to_german = _seat_mail(event, to=german.email, user=german)
        to_stranger = _seat_mail(event, to="stranger@example.org")

    assert spoken == ["de", "de", "fr", "fr"]  # subject and body each
    assert to_german.subject.startswith("[Pythonkonferenz]")
    assert to_stranger.subject.startswith(f"[{event.name}]")  # no French name: the main text
    assert translation.get_language() == "en"  # put back after each mail


def test_a_system_mail_too(event, monkeypatch):
    event.name_fr = "Conférence Python"
    event.save()
    french = factories.UserFactory(language="fr")
    seen = []
    monkeypatch.setattr(
        services.system,
        "text_for",
        lambda event, key: seen.append(translation.get_language()) or ("{event}", "Hi"),
    )

    services.queue_system_mail(key="decision_accepted", to=french.email, event=event, values={}, user=french)

    assert seen == ["fr"]
    assert OutboxMail.objects.get().subject == "Conférence Python"
