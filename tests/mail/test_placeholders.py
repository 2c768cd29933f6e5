import pytest
from django.core.exceptions import ValidationError

from podium.mail import placeholders
from podium.mail.placeholders import Placeholder

ALLOWED = {"name", "event", "ticket_link"}


def test_fill_replaces_each_placeholder_once_and_keeps_escaped_braces():
    text = "Hello {name}, welcome to {event}. Literal {{name}} and }}."
    assert placeholders.fill(text, {"name": "Ada", "event": "PyCon"}) == (
        "Hello Ada, welcome to PyCon. Literal {name} and }."
    )


def test_values_are_never_filled_twice():
    values = {"name": "{ticket_link} {{event}}", "ticket_link": "https://secret", "event": "PyCon"}
    assert placeholders.fill("Hi {name} at {event}", values) == "Hi {ticket_link} {{event}} at PyCon"


def test_missing_value_is_empty():
    assert placeholders.fill("Hi {name}!", {}) == "Hi !"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{unknown}", "not a placeholder this mail offers"),
        ("{event.organiser.name}", "attribute paths"),
        ("{names[0]}", "attribute paths"),
        ("{name!r}", "conversions"),
        ("{name:>10}", "conversions"),
        ("{}", "empty placeholder"),
        ("Price: 10 }", "lone"),
        ("{ name }", "not a placeholder"),
        ("{Name}", "not a placeholder"),
    ],
)
def test_check_refuses_what_is_not_an_offered_placeholder(text, fragment):
    with pytest.raises(ValidationError) as info:
        placeholders.check(text, ALLOWED)
    assert fragment in " ".join(info.value.messages)


def test_check_names_every_problem_once_and_on_a_field():
    with pytest.raises(ValidationError) as info:
        placeholders.check("{a} {b} {a}", ALLOWED, field="body")
    assert list(info.value.message_dict) == ["body"]
    assert len(info.value.message_dict["body"]) == 2


def test_check_accepts_offered_placeholders_and_escapes():
    placeholders.check("Dear {name}, {{not one}} see {ticket_link}", ALLOWED)
    assert placeholders.problems("plain text", set()) == []


def test_used_and_examples():
    assert placeholders.used("{event} {name} {event} {bad.path}") == ["event", "name"]
    offered = [Placeholder("name", "Their name", "Ada Lovelace"), Placeholder("event", "The event")]
    assert placeholders.examples(offered) == {"name": "Ada Lovelace", "event": "[event]"}
