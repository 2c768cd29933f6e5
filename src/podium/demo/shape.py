"""The shape of the demo conference: its rooms, tracks, sizes and how its proposals end up.

The outcome counts in FATES add up to the regular (non-keynote) PyCon proposals: one per speaker
who is not a keynote speaker, plus SECOND_PROPOSALS.
"""

DOMAIN = "podium.example"  # every demo account's e-mail domain (and nobody else's)
SPEAKER_COUNT = 100
REVIEWER_COUNT = 5

# What happens to each PyCon proposal (keynotes are invited and always confirmed).
CONFIRMED, ACCEPTED, REJECTED = "confirmed", "accepted", "rejected"
PENDING_ACCEPT, PENDING_REJECT, UNDECIDED, WITHDRAWN = (
    "pending-accept",
    "pending-reject",
    "undecided",
    "withdrawn",
)
FATES = {
    CONFIRMED: 67,
    ACCEPTED: 4,
    REJECTED: 37,
    PENDING_ACCEPT: 2,
    PENDING_REJECT: 2,
    UNDECIDED: 3,
    WITHDRAWN: 2,
}
SECOND_PROPOSALS = 20
TUTORIALS = 16
COSPEAKER_PROPOSALS = 18
TWO_COSPEAKER_PROPOSALS = 5
# Reviewers lean towards the eventual decision; the weights are for the scores 0, 1, 2, 3.
SCORE_WEIGHTS = {
    CONFIRMED: (2, 10, 45, 43),
    ACCEPTED: (2, 10, 45, 43),
    PENDING_ACCEPT: (5, 20, 45, 30),
    REJECTED: (30, 45, 20, 5),
    PENDING_REJECT: (20, 45, 30, 5),
    UNDECIDED: (15, 35, 35, 15),
}
REVIEW_SHARE = 0.85
COMMENT_SHARE = 0.35

PYCON_ROOMS = (
    ("Ballroom A", 1800, "Keynotes and the largest talks."),
    ("Ballroom B", 900, ""),
    ("Room 301", 320, ""),
    ("Room 302", 320, ""),
    ("Room 310", 180, ""),
    ("Room 317", 90, "Tutorials; tables and power at every seat."),
)
PYCON_TRACKS = (
    ("Web", "#1f6feb", "Frameworks, APIs, front ends and the servers behind them.", 30),
    ("Data & ML", "#2e7d32", "Data analysis, engineering, machine learning and science.", 30),
    ("Core Python", "#8250df", "The language, the interpreter, packaging and testing.", 25),
    ("Community", "#c2410c", "People, projects, teaching and sustainability.", 15),
)
PYTEXAS_ROOMS = (("Main Hall", 400, ""), ("Room 2", 120, ""))
PYTEXAS_TRACKS = (
    ("Web", "#1f6feb", "", 1),
    ("Data & ML", "#2e7d32", "", 1),
)
PYTEXAS_PROPOSALS = 6
# Availability patterns (day offsets and local hours) for every fifth speaker.
AVAILABILITY_PATTERNS = (
    ((0, 8, 18), (1, 8, 18)),
    ((0, 8, 13), (1, 8, 13), (2, 8, 13)),
    ((1, 10, 20), (2, 10, 20)),
    ((0, 13, 20), (2, 8, 18)),
)
# Times some other speakers would rather speak (they can come at any time): every seventh speaker
# who gave no availability above.
PREFERRED_PATTERNS = (
    ((1, 8, 13),),
    ((2, 13, 18),),
    ((1, 13, 18), (2, 13, 18)),
)
# The rooms suited to a session type (the others may use any room): the tutorials keep to the rooms they
# are given on the tutorial day, the keynotes to the biggest ballroom.
PYCON_SUITABLE_ROOMS = {
    "Tutorial": ("Ballroom A", "Ballroom B", "Room 301", "Room 302", "Room 310", "Room 317"),
    "Keynote": ("Ballroom A",),
}
MIN_PAUSE_MINUTES = 10  # between two sessions of one speaker on a day

PYCON_DESCRIPTION = """\
PyCon US Demo is a three-day conference for the Python community: talks, tutorials and keynotes in six rooms.

The call for papers has closed and the schedule is out: keynotes every morning, a day of tutorials and two
days of talks. Star the talks you want to see; the schedule shows every change since its first release.
"""
PYTEXAS_DESCRIPTION = """\
PyTexas Demo is a friendly two-day regional conference. First-time speakers are very welcome:
we pair every new speaker with a mentor who has spoken before.

Talks are 30 minutes including questions. Tell us what you built, what you learned or what went wrong.
"""
