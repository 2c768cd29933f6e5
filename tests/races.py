"""Run calls in threads with their own database connections, released at the same moment."""

import threading
from collections import Counter

from django.db import connection


def race(*calls):
    """Run the calls in threads started together; return each call's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # the race's loser is part of the result
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def outcomes(results) -> dict[str, int]:
    """How many calls of a race ended in each result or exception type, by type name."""
    return dict(Counter(type(result).__name__ for result in results))
