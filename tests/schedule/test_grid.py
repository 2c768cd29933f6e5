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


def test_build_grid_gives_normal_columns_one_lane():
    items = [Item("A", 1, at(10), at(11)), Item("B", 1, at(11), at(12)), Item("C", 2, at(10, 30), at(11))]

    grid = build_grid(items, [1, 2], column_of=lambda i: i.room, tz=TZ, step=30)

    assert (grid.headers, grid.width, grid.overflow) == ([(1, 1), (2, 1)], 2, [])
    assert layout(grid) == [
        ("10:00", ["A/2/1", "."]),
        ("10:30", ["C/1/1"]),
        ("11:00", ["B/2/1", "."]),
        ("11:30", ["."]),
    ]


def test_build_grid_draws_overlapping_items_of_one_column_side_by_side():
    first, beside = Item("A", 1, at(10), at(11)), Item("B", 1, at(10, 30), at(11))

    grid = build_grid([first, beside], [1, 2], column_of=lambda i: i.room, tz=TZ, step=30)

    assert (grid.headers, grid.width, grid.overflow) == ([(1, 2), (2, 1)], 3, [])
    assert layout(grid) == [("10:00", ["A/2/1", ".", "."]), ("10:30", ["B/1/1", "."])]
    assert [(cell.column, cell.start) for cell in grid.rows[0].cells[1:]] == [(1, at(10)), (2, at(10))]


def test_build_grid_spans_every_lane_with_an_item_that_overlaps_nothing_in_its_column():
    items = [Item("A", 1, at(10), at(11)), Item("B", 1, at(10), at(11)), Item("Solo", 1, at(11), at(12))]

    grid = build_grid(items, [1], column_of=lambda i: i.room, tz=TZ, step=60)

    assert grid.headers == [(1, 2)]
    assert layout(grid) == [("10:00", ["A/1/1", "B/1/1"]), ("11:00", ["Solo/1/2"])]


def test_build_grid_reuses_a_lane_once_it_is_free():
    items = [
        Item("C", 1, at(11), at(12)),
        Item("B", 1, at(10, 30), at(11, 30)),
        Item("A", 1, at(10), at(11)),
    ]

    grid = build_grid(items, [1], column_of=lambda i: i.room, tz=TZ, step=30)

    assert grid.headers == [(1, 2)]
    assert layout(grid) == [
        ("10:00", ["A/2/1", "."]),
        ("10:30", ["B/2/1"]),
        ("11:00", ["C/2/1"]),
        ("11:30", ["."]),
    ]


def test_build_grid_spreads_an_every_room_item_over_every_lane():
    items = [
        Item("A", 1, at(10), at(11)),
        Item("B", 1, at(10), at(11)),
        Item("Lunch", None, at(12), at(13)),
    ]

    grid = build_grid(items, [1, 2], column_of=lambda i: i.room, tz=TZ, step=60)

    assert (grid.headers, grid.overflow) == ([(1, 2), (2, 1)], [])
    assert layout(grid) == [
        ("10:00", ["A/1/1", "B/1/1", "."]),
        ("11:00", [".", ".", "."]),
        ("12:00", ["Lunch/1/3"]),
    ]


def test_build_grid_puts_an_every_room_item_that_collides_in_overflow():
    talk, lunch = Item("A", 2, at(12), at(13)), Item("Lunch", None, at(11, 30), at(12, 30))

    grid = build_grid([lunch, talk], [1, 2], column_of=lambda i: i.room, tz=TZ, step=30)

    assert grid.overflow == [lunch]
    assert layout(grid) == [("11:30", [".", "."]), ("12:00", [".", "A/2/1"]), ("12:30", ["."])]


def test_build_grid_puts_the_later_of_two_colliding_every_room_items_in_overflow():
    lunch, coffee = Item("Lunch", None, at(12), at(13)), Item("Coffee", None, at(12, 30), at(13, 30))

    grid = build_grid([coffee, lunch], [1, 2], column_of=lambda i: i.room, tz=TZ, step=30)

    assert (grid.overflow, layout(grid)) == (
        [coffee],
        [("12:00", ["Lunch/2/2"]), ("12:30", []), ("13:00", [".", "."])],
    )


def test_build_grid_without_items_or_bounds_is_empty_and_ignores_unknown_columns():
    grid = build_grid([Item("A", 9, at(10), at(11))], [1], column_of=lambda i: i.room, tz=TZ)

    assert grid.is_empty


def test_build_grid_shows_local_times():
    utc_item = Item(
        "A", 1, dt.datetime(2031, 2, 1, 9, tzinfo=dt.UTC), dt.datetime(2031, 2, 1, 10, tzinfo=dt.UTC)
    )

    grid = build_grid([utc_item], [1], column_of=lambda i: i.room, tz=TZ, step=60)

    assert grid.rows[0].time.strftime("%H:%M") == "10:00"


def _utc(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def test_build_grid_skips_the_hour_the_clocks_skip():
    """Brussels, 30 March 2025: 02:00 becomes 03:00. A grid from 01:00 to 04:00 has no 02:xx rows (they
    name no moment; a session dropped on one was placed at 03:xx), and its rows follow each other in
    time."""
    items = [
        Item("A", 1, _utc(2025, 3, 30, 0), _utc(2025, 3, 30, 1)),  # 01:00-03:00 local: one hour
        Item("B", 1, _utc(2025, 3, 30, 1), _utc(2025, 3, 30, 2)),  # 03:00-04:00
    ]

    grid = build_grid(items, [1], column_of=lambda i: i.room, tz=TZ, step=30)

    assert layout(grid) == [("01:00", ["A/2/1"]), ("01:30", []), ("03:00", ["B/2/1"]), ("03:30", [])]
    instants = [row.time.astimezone(dt.UTC) for row in grid.rows]
    assert instants == sorted(set(instants))


def test_build_grid_shows_the_hour_the_clocks_repeat_twice():
    """Brussels, 26 October 2025: 03:00 becomes 02:00 again. A grid from 02:00 (the first) to 03:00 has
    rows 02:00, 02:30, 02:00, 02:30 at four different moments, and a session in the second 02:xx is in
    the second one."""
    items = [
        Item("A", 1, _utc(2025, 10, 26, 0), _utc(2025, 10, 26, 1)),
        Item("B", 1, _utc(2025, 10, 26, 1), _utc(2025, 10, 26, 1, 30)),
    ]

    grid = build_grid(items, [1], column_of=lambda i: i.room, tz=TZ, step=30)

    assert layout(grid) == [("02:00", ["A/2/1"]), ("02:30", []), ("02:00", ["B/1/1"])]
    assert [row.time.astimezone(dt.UTC) for row in grid.rows] == [
        _utc(2025, 10, 26, 0),
        _utc(2025, 10, 26, 0, 30),
        _utc(2025, 10, 26, 1),
    ]
    assert grid.rows[2].cells[0].item.name == "B"
