"""Checks of exported files against the published format definitions (used by export and import tests)."""

import json
from functools import cache

import icalendar
import jsonschema
from lxml import etree

from tests.shared import FORMATS_DIR

REQUIRED_VEVENT = ("UID", "SUMMARY", "LOCATION", "DTSTART", "DTEND")


@cache
def _xml_schema():
    return etree.XMLSchema(etree.parse(str(FORMATS_DIR / "schedule.xml.xsd")))


@cache
def _json_validator():
    schema = json.loads((FORMATS_DIR / "schedule.json.schema.json").read_text())
    validator = jsonschema.validators.validator_for(schema)
    assert validator is jsonschema.Draft6Validator  # the schema's $schema decides the draft
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


def valid_xml(content: bytes) -> etree._Element:
    """The parsed schedule.xml; fails with the schema's messages when it is not valid."""
    root = etree.fromstring(content)
    schema = _xml_schema()
    assert schema.validate(root.getroottree()), [str(error) for error in schema.error_log]
    return root


def valid_json(content: bytes) -> dict:
    document = json.loads(content)
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in _json_validator().iter_errors(document)
    ]
    assert errors == []
    return document


def vevents(content: bytes) -> list:
    """The VEVENTs of a feed that parses, each with the properties calendar apps need."""
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    assert calendar.get("PRODID")
    assert calendar.get("X-WR-CALNAME")
    events = list(calendar.walk("VEVENT"))
    for vevent in events:
        missing = [name for name in REQUIRED_VEVENT if not vevent.get(name)]
        assert missing == [], (vevent.get("UID"), missing)
        assert vevent.get("DTSTAMP")
    return events
