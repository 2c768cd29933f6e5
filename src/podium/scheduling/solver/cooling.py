"""The cooling schedule of both annealers: geometric, from a start temperature down to a share of it.

Over a run the temperature falls by the same factor in every equal part of it: `start` at the beginning,
`start * ratio` at the end. The annealing of places (`search.anneal`) reads the temperature every few
iterations and starts cooler when it goes back to its best schedule; the annealing of times
(`timing.anneal_times`) hands its compiled loop the temperatures at both ends of each chunk of steps,
and the loop cools geometrically between them, which is this schedule over that part of the run.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Cooling:
    start: float
    ratio: float  # the end temperature as a share of the start

    @classmethod
    def between(cls, start, end) -> "Cooling":
        return cls(start, end / start)

    def at(self, fraction) -> float:
        """The temperature when `fraction` of the run is done; past the end it stays at the end."""
        return self.start * self.ratio ** min(1.0, fraction)

    def restarted(self, factor) -> "Cooling":
        """The same cooling from `factor` times the start."""
        return Cooling(self.start * factor, self.ratio)
