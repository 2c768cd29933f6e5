"""Sortable list pages: ?sort=key orders by a column, ?sort=-key the other way round.

The key is checked against the page's own columns (anything else is the page's default), so a URL
never chooses what the database orders by.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # in the URL: ?sort=key
    label: str  # the column's header
    field: str = ""  # what the database orders by; "" for a column sorted in Python


@dataclass(frozen=True)
class Sort:
    """The order a list page shows: a column key ("" for the page's own order) and its direction."""

    columns: tuple[Column, ...]
    key: str
    descending: bool

    @classmethod
    def from_request(cls, request, columns, default: str = "") -> "Sort":
        """The order asked for by ?sort=key or ?sort=-key; an unknown key is `default` ("-key" for
        descending)."""
        raw = request.GET.get("sort") or default
        if raw.lstrip("-") not in {column.key for column in columns}:
            raw = default
        return cls(tuple(columns), raw.lstrip("-"), raw.startswith("-"))

    def order_by(self, queryset, *, first=(), then=()):
        """`queryset` ordered by the `first` fields, the chosen column, then the `then` fields."""
        chosen = [column.field for column in self.columns if column.key == self.key]
        order = [f"-{field}" if self.descending else field for field in chosen]
        return queryset.order_by(*first, *order, *then)

    def sorted(self, rows, value) -> list:
        """`rows` ordered by `value(row, key)` of the chosen column; rows without a value (None, e.g.
        no reviews yet) always come last."""
        if not self.key:
            return list(rows)
        with_value = [row for row in rows if value(row, self.key) is not None]
        without = [row for row in rows if value(row, self.key) is None]
        return sorted(with_value, key=lambda row: value(row, self.key), reverse=self.descending) + without

    def headers(self, request) -> list[dict]:
        """Column headers with links that sort by them (a second click reverses the order)."""
        headers = []
        for column in self.columns:
            params = request.GET.copy()
            params.pop("page", None)
            active = column.key == self.key
            params["sort"] = f"-{column.key}" if active and not self.descending else column.key
            headers.append(
                {
                    "key": column.key,
                    "label": column.label,
                    "url": "?" + params.urlencode(),
                    "active": active,
                    "aria_sort": ("descending" if self.descending else "ascending") if active else "none",
                }
            )
        return headers
