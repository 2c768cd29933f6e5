"""Writing contacts as CSV and vCard: the import reads both back as they were."""

import pytest

from podium.contacts.exporting import csv_lines, escape, fold, safe_cell, vcard
from podium.contacts.importing import read
from podium.contacts.models import Contact

PEOPLE = [
    Contact(email="ada@example.org", name='Ada "Countess" Lovelace', organisation="Engines, Ltd; R&D",
            phone="+44 20 7946 0000", notes="first line\nsecond; line, with \\ backslash"),
    Contact(email="li@example.org", name="李小龍", organisation="", phone="", notes=""),
    Contact(email="eq@example.org", name="=SUM(A1)", organisation="'=quoted", phone="-1", notes="@mention"),
]  # fmt: skip


def _values(contacts) -> list[tuple]:
    return [(c.email, c.name, c.organisation, c.phone, c.notes) for c in contacts]


@pytest.mark.parametrize("fmt", ["csv", "vcard"])
def test_the_import_reads_an_export_back_as_it_was(fmt):
    text = "".join(csv_lines(PEOPLE)) if fmt == "csv" else "".join(vcard(contact) for contact in PEOPLE)

    assert _values(read(text.encode()).rows) == _values(PEOPLE)


def test_the_csv_has_the_headers_the_import_reads_and_defuses_formulas():
    lines = list(csv_lines(PEOPLE))

    assert lines[0] == "email,name,organisation,phone,notes\r\n"
    assert lines[3] == "eq@example.org,'=SUM(A1),''=quoted,'-1,'@mention\r\n"
    assert safe_cell("plain") == "plain"


def test_vcard_values_are_escaped_and_long_lines_folded():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "NOTE:" + "é" * 60
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line + "\r\n"
    card = vcard(PEOPLE[0])
    assert "ORG:Engines\\, Ltd\\; R&D\r\n" in card
    assert card.startswith('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada "Countess" Lovelace\r\n')
