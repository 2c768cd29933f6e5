"""Lay out one day of sessions as a table: rooms as columns, time as rows.

Rows are the union of every start and end time and regular marks every `step` minutes, so each
item spans a whole number of rows (HTML rowspan) and no inline style is needed. A break without a
room spans every column. Used by the back-office editor (with drop targets in the empty cells) and
by the public schedule.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    item: Any = None  # None for an empty cell
    column: Any = None  # the column key (room id) of an empty cell
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
    overflow: list[Any]  # items that could not be placed (overlapping in one column; imports can do that)

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _floor(moment: dt.datetime, step: int) -> dt.datetime:
    minutes = (moment.hour * 60 + moment.minute) // step * step
    return moment.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)


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
    """
    keys = [getattr(column, "pk", column) for column in columns]
    index = {key: position for position, key in enumerate(keys)}
    placed = [item for item in items if column_of(item) is None or column_of(item) in index]
    if not placed and bounds is None:
        return Grid(columns=list(columns), rows=[], overflow=[])
    local = [(item, item.start.astimezone(tz), item.end.astimezone(tz)) for item in placed]
    first = min([start for _, start, _ in local] + ([bounds[0].astimezone(tz)] if bounds else []))
    last = max([end for _, _, end in local] + ([bounds[1].astimezone(tz)] if bounds else []))
    marks, moment = set(), _floor(first, step)
    while moment < last:
        marks.add(moment)
        moment += dt.timedelta(minutes=step)
    boundaries = sorted(marks | {start for _, start, _ in local} | {end for _, _, end in local})
    times = [moment for moment in boundaries if moment < last]
    row_of = {moment: position for position, moment in enumerate(times)}
    row_of[last] = len(times)

    taken: list[list[Cell | bool | None]] = [[None] * len(keys) for _ in times]
    overflow = []
    for item, start, end in sorted(local, key=lambda entry: (entry[1], entry[2])):
        column = column_of(item)
        span_columns = range(len(keys)) if column is None else [index[column]]
        first_row, last_row = row_of[start], row_of[end]
        if any(taken[row][col] is not None for row in range(first_row, last_row) for col in span_columns):
            overflow.append(item)
            continue
        cell = Cell(item=item, rowspan=last_row - first_row, colspan=len(span_columns))
        for row in range(first_row, last_row):
            for col in span_columns:
                taken[row][col] = True
        taken[first_row][span_columns[0]] = cell

    rows = []
    for position, moment in enumerate(times):
        row = Row(time=moment, is_mark=moment in marks)
        for col, entry in enumerate(taken[position]):
            if entry is None:
                row.cells.append(Cell(column=keys[col], start=moment))
            elif isinstance(entry, Cell):
                row.cells.append(entry)
        rows.append(row)
    return Grid(columns=list(columns), rows=rows, overflow=overflow)
