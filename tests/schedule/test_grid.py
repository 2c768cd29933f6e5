"""The day grid: rows at every boundary and step mark, each item spanning whole rows."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from podium.schedule.grid import build_grid

TZ = zoneinfo.ZoneInfo("Europe/Brussels")


@dataclass
class Item:
    name: str
    room: int | None
    start: dt.datetime
    end: dt.datetime


def at(hour, minute=0):
    return dt.datetime(2031, 2, 1, hour, minute, tzinfo=TZ)


def layout(grid):
    """[(time, [name/rowspan/colspan or '.' for an empty cell])] for readable assertions."""
    return [
        (
            row.time.strftime("%H:%M"),
            [f"{c.item.name}/{c.rowspan}/{c.colspan}" if c.item else "." for c in row.cells],
        )
        for row in grid.rows
    ]


def test_build_grid_spans_rows_and_leaves_empty_cells():
    items = [Item("A", 1, at(10), at(10, 30)), Item("B", 2, at(10, 15), at(10, 45))]

    grid = build_grid(items, [1, 2], column_of=lambda i: i.room, tz=TZ, step=15)

    assert layout(grid) == [
        ("10:00", ["A/2/1", "."]),
        ("10:15", ["B/2/1"]),
        ("10:30", ["."]),
    ]


def test_build_grid_adds_rows_for_boundaries_between_step_marks():
    items = [Item("A", 1, at(10, 5), at(10, 25))]

    grid = build_grid(items, [1], column_of=lambda i: i.room, tz=TZ, step=15)

    assert [(row.time.strftime("%H:%M"), row.is_mark) for row in grid.rows] == [
        ("10:00", True),
        ("10:05", False),
        ("10:15", True),
    ]
    assert layout(grid)[1] == ("10:05", ["A/2/1"])


def test_build_grid_spreads_an_every_room_item_over_all_columns():
    items = [Item("Lunch", None, at(12), at(13))]

    grid = build_grid(items, [1, 2, 3], column_of=lambda i: i.room, tz=TZ, step=30)

    assert layout(grid) == [("12:00", ["Lunch/2/3"]), ("12:30", [])]


def test_build_grid_widens_to_the_bounds():
    grid = build_grid([], [1], column_of=lambda i: i.room, tz=TZ, step=60, bounds=(at(9), at(12)))

    assert layout(grid) == [("09:00", ["."]), ("10:00", ["."]), ("11:00", ["."])]
    assert grid.rows[0].cells[0].start == at(9)
    assert grid.rows[0].cells[0].column == 1


def test_build_grid_puts_overlapping_items_of_one_column_in_overflow():
    first, clash = Item("A", 1, at(10), at(11)), Item("B", 1, at(10, 30), at(11))

    grid = build_grid([first, clash], [1], column_of=lambda i: i.room, tz=TZ, step=30)

    assert (grid.overflow, layout(grid)) == ([clash], [("10:00", ["A/2/1"]), ("10:30", [])])


def test_build_grid_without_items_or_bounds_is_empty_and_ignores_unknown_columns():
    grid = build_grid([Item("A", 9, at(10), at(11))], [1], column_of=lambda i: i.room, tz=TZ)

    assert grid.is_empty


def test_build_grid_shows_local_times():
    utc_item = Item(
        "A", 1, dt.datetime(2031, 2, 1, 9, tzinfo=dt.UTC), dt.datetime(2031, 2, 1, 10, tzinfo=dt.UTC)
    )

    grid = build_grid([utc_item], [1], column_of=lambda i: i.room, tz=TZ, step=60)

    assert grid.rows[0].time.strftime("%H:%M") == "10:00"
