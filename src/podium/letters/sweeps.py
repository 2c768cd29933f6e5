"""What `podium cleanup` does for invitation letters (registered in apps.py): the passport data of
requests is cleared PODIUM_LETTER_RETENTION_DAYS after their event ended."""

import datetime as dt

from podium.base.cleanup import Removal
from podium.letters import services


def letter_passport_data(*, now: dt.datetime, dry_run: bool) -> list[Removal]:
    """Passport number, nationality, date of birth, address and note of letter requests, once the
    retention after the event has passed."""
    count = services.expired_passport_data(now).count() if dry_run else services.erase_passport_data(now=now)
    if not count:
        return []
    return [Removal(f"passport data of {count} letter request(s)", "retention after the event passed")]
