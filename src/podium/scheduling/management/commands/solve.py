"""`podium solve INSTANCE.json`: schedule an instance file with the solver and write the solution JSON."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podium.scheduling.solver import InstanceError, load_instance, solve


class Command(BaseCommand):
    help = "Schedule the sessions of an instance file (see docs/solver-format.md) and print the solution."

    def add_arguments(self, parser):
        parser.add_argument("instance", help="Instance JSON file.")
        parser.add_argument("--time-limit", type=float, default=10.0, help="Seconds to search (default 10).")
        parser.add_argument("-o", "--output", help="Write the solution here instead of standard output.")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--mode", choices=["fill", "replan"], default="replan")

    def handle(self, *args, instance, time_limit, output, seed, mode, verbosity=1, **options):
        self.verbosity = verbosity
        if time_limit <= 0:
            raise CommandError("--time-limit must be more than 0 seconds.")
        try:
            text = Path(instance).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Could not read {instance}: {exc.strerror}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{instance} is not UTF-8 text.") from exc
        try:
            loaded = load_instance(text)
        except InstanceError as exc:
            lines = "\n".join(f"  - {message}" for message in exc.messages)
            raise CommandError(f"{instance} is not a valid instance:\n{lines}") from exc
        solution = solve(loaded, time_limit=time_limit, seed=seed, mode=mode, progress=self._progress)
        self._write(solution.to_json(), output)
        objective = solution.objective
        self.stderr.write(
            f"placed {len(solution.assignments)}, unscheduled {len(solution.unscheduled)}, "
            f"total {objective['total']} in {solution.stats['seconds']} s\n"
        )
        for entry in solution.infeasible:
            self.stderr.write(f"  {entry['message']}")

    def _progress(self, report):
        if self.verbosity >= 2:
            self.stderr.write(json.dumps(report))

    def _write(self, text, output):
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}.") from exc
