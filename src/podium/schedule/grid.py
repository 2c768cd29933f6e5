"""Lay out one day of sessions as a table: rooms as columns, time as rows.

Rows are the union of every start and end time and regular marks every `step` minutes, so each
item spans a whole number of rows (HTML rowspan) and no inline style is needed. A break without a
room spans every column. Used by the back-office editor (with drop targets in the empty cells) and
by the public schedule.

An import may put two sessions in one room at one time (parallel workshops in one space, as its
source has them). Such a room gets lanes: as many table columns as the most of its items that run at
once. Items that overlap another one of the room each take one lane, side by side; every other item
of the room spans all its lanes, so a room without overlaps looks the same as with one lane.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    item: Any = None  # None for an empty cell
    column: Any = None  # the column key (room id) of an empty cell, whichever of its lanes it is in
    start: dt.datetime | None = None
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    time: dt.datetime  # local time of the row's start
    cells: list[Cell] = field(default_factory=list)
    is_mark: bool = True  # a regular step mark (not only some item's boundary)


@dataclass
class Grid:
    columns: list[Any]
    rows: list[Row]
    overflow: list[Any]  # items in every column that collide with another item: the grid cannot draw them
    lanes: list[int] = field(default_factory=list)  # table columns per column, in the order of `columns`

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def headers(self) -> list[tuple[Any, int]]:
        """(column, lanes) for the header row: a column's header spans its lanes (HTML colspan)."""
        return list(zip(self.columns, self.lanes or [1] * len(self.columns), strict=True))

    @property
    def width(self) -> int:
        """The number of table columns under the headers (lanes of every column)."""
        return sum(lanes for _, lanes in self.headers)


def _floor(moment: dt.datetime, step: int) -> dt.datetime:
    minutes = (moment.hour * 60 + moment.minute) // step * step
    return moment.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)


def _lanes(entries: list[tuple[Any, dt.datetime, dt.datetime]]) -> tuple[int, dict[int, int | None]]:
    """The lane count of one column's items and each item's lane (by id), None for one that overlaps nothing.

    Items sorted by start then end each take the first lane free at their start (interval partitioning),
    which uses exactly as many lanes as the most items that run at once.
    """
    entries = sorted(entries, key=lambda entry: (entry[1], entry[2]))
    lane_ends: list[dt.datetime] = []
    lane_of: dict[int, int | None] = {}
    latest_end = None  # the latest end among the items before this one
    for position, (item, start, end) in enumerate(entries):
        after = entries[position + 1][1] if position + 1 < len(entries) else None
        overlaps = (latest_end is not None and latest_end > start) or (after is not None and after < end)
        free = next((lane for lane, lane_end in enumerate(lane_ends) if lane_end <= start), None)
        if free is None:
            free = len(lane_ends)
            lane_ends.append(end)
        else:
            lane_ends[free] = end
        lane_of[id(item)] = free if overlaps else None
        latest_end = end if latest_end is None else max(latest_end, end)
    return max(1, len(lane_ends)), lane_of


def build_grid(
    items: Sequence[Any],
    columns: Sequence[Any],
    *,
    column_of: Callable[[Any], Any],
    tz: dt.tzinfo,
    step: int = 15,
    bounds: tuple[dt.datetime, dt.datetime] | None = None,
) -> Grid:
    """A grid of `items` (with .start and .end) over `columns` (objects with .pk or keys).

    `column_of(item)` gives the item's column key (a room id), or None for an item in every column.
    `bounds` widens the grid to at least that span (the editor shows the whole working day).
    Items of one column that overlap share it in lanes; an item in every column spans every lane, and
    goes to `overflow` when it collides with another item.
    """
    keys = [getattr(column, "pk", column) for column in columns]
    index = {key: position for position, key in enumerate(keys)}
    placed = [item for item in items if column_of(item) is None or column_of(item) in index]
    if not placed and bounds is None:
        return Grid(columns=list(columns), rows=[], overflow=[], lanes=[1] * len(keys))
    # Moments in UTC: a local time the clocks skip names no moment, one they repeat names two, and Python
    # compares and adds two times of one zone on the clock face. Rows show local times.
    local = [(item, item.start.astimezone(dt.UTC), item.end.astimezone(dt.UTC)) for item in placed]
    first = min([start for _, start, _ in local] + ([bounds[0].astimezone(dt.UTC)] if bounds else []))
    last = max([end for _, _, end in local] + ([bounds[1].astimezone(dt.UTC)] if bounds else []))
    marks, moment = set(), _floor(first.astimezone(tz), step).astimezone(dt.UTC)
    while moment < last:
        marks.add(moment)
        moment += dt.timedelta(minutes=step)
    boundaries = sorted(marks | {start for _, start, _ in local} | {end for _, _, end in local})
    times = [moment for moment in boundaries if moment < last]
    row_of = {moment: position for position, moment in enumerate(times)}
    row_of[last] = len(times)

    lanes, lane_of = [1] * len(keys), {}
    for col in range(len(keys)):
        own = [entry for entry in local if column_of(entry[0]) == keys[col]]
        lanes[col], lanes_of_column = _lanes(own)
        lane_of.update(lanes_of_column)
    offsets = [sum(lanes[:col]) for col in range(len(keys))]
    column_at = [col for col in range(len(keys)) for _ in range(lanes[col])]  # table column -> column

    taken: list[list[Cell | bool | None]] = [[None] * len(column_at) for _ in times]
    overflow = []
    # A column's items never collide with each other in their lanes, so they go first; an item in every
    # column then takes whatever is still free.
    ordered = sorted(local, key=lambda entry: (column_of(entry[0]) is None, entry[1], entry[2]))
    for item, start, end in ordered:
        column = column_of(item)
        if column is None:
            span = range(len(column_at))
        else:
            offset, lane = offsets[index[column]], lane_of[id(item)]
            span = (
                range(offset, offset + lanes[index[column]])
                if lane is None
                else range(offset + lane, offset + lane + 1)
            )
        first_row, last_row = row_of[start], row_of[end]
        if any(taken[row][col] is not None for row in range(first_row, last_row) for col in span):
            overflow.append(item)
            continue
        cell = Cell(item=item, rowspan=last_row - first_row, colspan=len(span))
        for row in range(first_row, last_row):
            for col in span:
                taken[row][col] = True
        taken[first_row][span[0]] = cell

    rows = []
    for position, moment in enumerate(times):
        shown = moment.astimezone(tz)
        row = Row(time=shown, is_mark=moment in marks)
        for col, entry in enumerate(taken[position]):
            if entry is None:
                row.cells.append(Cell(column=keys[column_at[col]], start=shown))
            elif isinstance(entry, Cell):
                row.cells.append(entry)
        rows.append(row)
    return Grid(columns=list(columns), rows=rows, overflow=overflow, lanes=lanes)
