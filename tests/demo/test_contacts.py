"""The demo's contact lists: the press list and the meet-up organisers, with their names as typed.

The demo is built once per test session (the `demo_output` fixture, tests/conftest.py).
"""

from podium.contacts.queries import lists_for, recipients
from podium.demo import contacts


def test_the_demo_organiser_keeps_a_press_list_and_a_meetup_list(pycon):
    lists = {row.name: row for row in lists_for(pycon.organiser)}

    assert {name: row.member_count for name, row in lists.items()} == {
        "Meet-up organisers": len(contacts.MEETUPS),
        "Press": len(contacts.PRESS),
    }
    press = {row.name: row.organisation for row in recipients(lists["Press"])}
    assert press['Sam "Scoop" O\'Hara'] == "Bay Area Bytes"
    assert press["María José Núñez"] == "Diario Digital"
