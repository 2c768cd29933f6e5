"""What an import did: counts per kind of record, skips with their place in the file, and notes."""

from collections import Counter
from dataclasses import dataclass, field

from podium.interop.importers.source import Skip

KINDS = ("room", "track", "session_type", "speaker", "session")


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do): counts per kind and every skip with its place."""

    format: str = ""
    event_slug: str = ""
    event_created: bool = False
    dry_run: bool = False
    sessions_in_file: int = 0
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    skips: list[Skip] = field(default_factory=list)
    release: str = ""
    time_zone: str = ""
    time_zone_reason: str = ""
    time_zone_source: str = ""  # see importers.zones.ZoneChoice
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Something the organiser should know (a reused person id, an organiser created, …)."""
        self.notes.append(text)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def skip(self, kind: str, ref: str, reason: str) -> None:
        self.skips.append(Skip(kind, ref, reason))
        self.count(kind, "skipped")

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] + c["moved"] + c["removed"] for c in self.counts.values())

    def lines(self) -> list[str]:
        """The report as text lines (the CLI prints them; the upload page shows them)."""
        head = "Dry run (nothing was saved): " if self.dry_run else ""
        what = "created" if self.event_created else "updated"
        lines = [
            f"{head}{self.format} into event “{self.event_slug}” ({what}); "
            f"{self.sessions_in_file} sessions in the file.",
            f"{self.created} created, {self.updated} updated"
            + ("." if self.created or self.updated else ": nothing changed."),
        ]
        if self.time_zone:
            lines.append(f"Time zone: {self.time_zone} ({self.time_zone_reason}).")
        for kind in KINDS:
            c = self.counts[kind]
            parts = [
                f"{c[o]} {o}" for o in ("created", "updated", "moved", "unchanged", "removed", "skipped")
            ]
            if any(not p.startswith("0 ") for p in parts):
                lines.append(
                    f"  {kind.replace('_', ' ')}s: " + ", ".join(p for p in parts if not p.startswith("0 "))
                )
        lines.append(
            f"Release: {self.release}" if self.release else "No new release: nothing public changed."
        )
        lines.extend(f"Note: {note}" for note in self.notes)
        for s in self.skips:
            lines.append(f"  skipped {s.kind} at {s.ref}: {s.reason}")
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines())
