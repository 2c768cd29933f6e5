"""The demo's contact lists: the organiser's press list and its local meet-up organisers, imported as
a CSV file would be (`podium contacts import`). Fixed values, no randomness."""

from podium.contacts import services
from podium.demo.shape import DOMAIN

PRESS = (
    ("Priya Raman", "Tech Weekly", "+1 512 555 0101", "Covers open source every spring."),
    ("Jonas Becker", "Devs on Air (podcast)", "", "Interviewed two keynote speakers last year."),
    ("María José Núñez", "Diario Digital", "+34 91 555 0199", "Writes in Spanish; prefers mail."),
    ('Sam "Scoop" O\'Hara', "Bay Area Bytes", "", ""),
)
MEETUPS = (
    ("Lena Novak", "Austin Python Meetup"),
    ("Kwame Mensah", "Accra Pythonistas"),
    ("Chen Wei", "PyData Chicago"),
)


def _csv(rows) -> str:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    return "\n".join(",".join(cell(value) for value in row) for row in rows) + "\n"


def build_contact_lists(*, organiser, admin) -> None:
    """Two lists of the organiser's contacts: "Press" and "Meet-up organisers"."""
    press = [("Name", "Email", "Organisation", "Phone", "Notes")]
    for number, (name, outlet, phone, notes) in enumerate(PRESS, start=1):
        press.append((name, f"press{number}@{DOMAIN}", outlet, phone, notes))
    services.import_contacts(organiser=organiser, list_name="Press", data=_csv(press), by=admin)
    meetups = [("Full name", "E-mail", "Company")]
    for number, (name, group) in enumerate(MEETUPS, start=1):
        meetups.append((name, f"meetup{number}@{DOMAIN}", group))
    services.import_contacts(
        organiser=organiser, list_name="Meet-up organisers", data=_csv(meetups), by=admin
    )
