"""`podium schedule solve <event> [--time-limit S] [--no-keep-pinned] [--mode fill|replan] [--dry-run] [--seed N]
[--weight TERM=N ...]`.

Schedules an event's draft with the engine (podium.scheduling.solving) as an operator (by=None): the
plan is applied through the schedule services in one transaction, or only shown with --dry-run.
The soft goals' weights are the event's (those its organisers last chose in the editor, else the
defaults), each --weight replacing one of them for this run only.
"""

import argparse
import math

from django.core.management.base import BaseCommand, CommandError

from podium.base.errors import ServiceError
from podium.events.models import Event
from podium.scheduling import solving

OBJECTIVE_TERMS = (
    "missed_favourites",
    "overflow",
    "track_room",
    "track_clash",
    "preference",
    "changes",
    "unscheduled",
    "total",
)


class Command(BaseCommand):
    help = "Automatic scheduling of an event's draft."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        solve = actions.add_parser("solve", help="Place the draft's sessions with the scheduling engine.")
        solve.add_argument("event", help="The event's slug.")
        solve.add_argument("--time-limit", type=float, default=10.0, help="Seconds to search (default 10).")
        solve.add_argument(
            "--keep-pinned",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Leave pinned sessions where they are (default; --no-keep-pinned lets them move).",
        )
        solve.add_argument("--mode", choices=["fill", "replan"], default="fill")
        solve.add_argument("--dry-run", action="store_true", help="Show the plan, change nothing.")
        solve.add_argument("--seed", type=int, default=0)
        solve.add_argument(
            "--weight",
            action="append",
            default=[],
            metavar="TERM=N",
            help=f"The weight of a soft goal, a number of at least 0 (repeatable; goals: "
            f"{', '.join(solving.WEIGHT_TERMS)}). Goals not given keep the event's weights.",
        )

    def handle(self, *args, action, **options):
        if action == "solve":
            self.solve(**options)

    def solve(self, *, event, time_limit, keep_pinned, mode, dry_run, seed, weight, **options):
        if time_limit <= 0:
            raise CommandError("--time-limit must be more than 0 seconds.")
        given = parse_weights(weight)
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        weights = {**solving.weights_for(found), **given}
        self.stdout.write(
            "Weights: " + ", ".join(f"{term} {weights[term]}" for term in solving.WEIGHT_TERMS) + "."
        )
        try:
            _, solution, report = solving.plan(
                event=found,
                time_limit=time_limit,
                mode=mode,
                keep_pinned=keep_pinned,
                seed=seed,
                weights=weights,
            )
            if not dry_run:
                report = solving.apply_solution(event=found, solution=solution, by=None)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        terms = ", ".join(f"{term} {solution.objective.get(term, 0)}" for term in OBJECTIVE_TERMS)
        self.stdout.write(f"Objective: {terms}.")
        verb = "Would place" if dry_run else "Placed"
        self.stdout.write(
            f"{verb} {len(report.placed)}, moved {len(report.moved)}, unchanged {len(report.unchanged)}, "
            f"left out {len(report.left_out)}."
        )
        for code, reason in report.left_out:
            kept = " It stays where it is on the draft." if code in report.kept_in_place else ""
            self.stdout.write(f"  left out {code}: {reason}{kept}")
        for item in solution.infeasible:
            self.stdout.write(f"  {item['message']}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")


def parse_weights(items: list[str]) -> dict:
    """{term: number} from "TERM=N" arguments; CommandError names the first one that is not valid."""
    weights = {}
    for item in items:
        term, equals, text = item.partition("=")
        term = term.strip()
        if not equals or not term:
            raise CommandError(f"--weight {item}: write it as TERM=N, for example --weight overflow=80.")
        if term not in solving.WEIGHT_TERMS:
            raise CommandError(
                f"--weight {item}: unknown goal {term!r}; the goals are {', '.join(solving.WEIGHT_TERMS)}."
            )
        value = _number(text.strip())
        if value is None:
            raise CommandError(f"--weight {item}: the weight of {term} must be a number of at least 0.")
        weights[term] = value
    return weights


def _number(text: str) -> int | float | None:
    """The number `text` writes if it is finite and at least 0, else None."""
    try:
        value = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return None
    return value if math.isfinite(value) and value >= 0 else None
