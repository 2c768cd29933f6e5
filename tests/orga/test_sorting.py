import pytest
from django.test import RequestFactory

from podium.orga.sorting import Column, Sort
from podium.proposals.models import Proposal
from tests import factories

COLUMNS = [Column("title", "Title", "title"), Column("score", "Score", "my_score")]


def _get(**params):
    return RequestFactory().get("/list", params)


@pytest.mark.parametrize(
    ("asked", "key", "descending"),
    [
        ("title", "title", False),
        ("-score", "score", True),
        ("password", "title", True),  # not a column: the default
        ("-my_score", "title", True),  # a database field is not a column key
        ("", "title", True),
    ],
)
def test_sort_takes_only_a_column_key_from_the_request(asked, key, descending):
    sort = Sort.from_request(_get(sort=asked), COLUMNS, "-title")

    assert (sort.key, sort.descending) == (key, descending)


def test_sort_without_a_default_keeps_the_pages_own_order():
    sort = Sort.from_request(_get(sort="nothing"), COLUMNS)

    assert (sort.key, sort.descending) == ("", False)
    assert sort.sorted([3, 1, 2], lambda row, key: row) == [3, 1, 2]


@pytest.mark.django_db
def test_sort_orders_a_queryset_by_the_columns_field_between_the_pages_own_fields():
    event = factories.EventFactory()
    for title in ("B", "A", "C"):
        factories.ProposalFactory(event=event, title=title)
    proposals = Proposal.objects.filter(event=event)
    columns = [Column("title", "Title", "title")]

    descending = Sort.from_request(_get(sort="-title"), columns).order_by(proposals, then=["pk"])
    unsorted = Sort.from_request(_get(), columns).order_by(proposals, first=["-pk"])

    assert [p.title for p in descending] == ["C", "B", "A"]
    assert [p.title for p in unsorted] == ["C", "A", "B"]


@pytest.mark.parametrize(("asked", "expected"), [("n", [1, 2, 3, None]), ("-n", [3, 2, 1, None])])
def test_sort_in_python_puts_rows_without_a_value_last_both_ways(asked, expected):
    rows = [{"n": 2}, {"n": None}, {"n": 3}, {"n": 1}]
    sort = Sort.from_request(_get(sort=asked), [Column("n", "N")])

    assert [row["n"] for row in sort.sorted(rows, lambda row, key: row[key])] == expected


def test_sort_headers_link_to_the_other_direction_of_the_current_column_and_drop_the_page():
    sort = Sort.from_request(_get(sort="title", page="3", track="2"), COLUMNS)

    headers = sort.headers(_get(sort="title", page="3", track="2"))

    assert [(h["key"], h["url"], h["active"], h["aria_sort"]) for h in headers] == [
        ("title", "?sort=-title&track=2", True, "ascending"),
        ("score", "?sort=score&track=2", False, "none"),
    ]
