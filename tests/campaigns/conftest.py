from tests.campaigning import (  # noqa: F401 (fixtures)
    accepted_speakers,
    approver,
    audience,
    campaign,
    drafter,
    sender,
    template,
)
