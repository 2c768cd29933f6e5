from tests.visa import attendee, event, issuer, speaker  # noqa: F401 (fixtures)
