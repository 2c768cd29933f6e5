"""Query-count helper for list pages: the count at a small size must equal the count at a large one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def assert_constant_queries(client, url: str, grow, small: int = 3, large: int = 15) -> None:
    """`grow(n)` adds n more items to the list at `url`; the page's query count must not change."""
    grow(small)
    before = queries_for(client, url)
    grow(large - small)
    after = queries_for(client, url)
    assert (before, after) == (before, before), (
        f"{url}: {before} queries with {small} items, {after} with {large}"
    )
