"""Benchmark: where a kind of release page spends its rendering time, template node by template node.

    .venv/bin/python benchmarks/render_nodes.py [--kind pages/talk/] [--top 30]

Input: render.py's prepared data directory (FOSDEM 2025 imported and published; made by render.py the
first time), copied for this run. A child process builds the release's page jobs as a render does
(`release_files._page_jobs`), renders the first 20 pages of the kind once to load the templates, then
renders every page of the kind with each template node's render timed (`Node.render_annotated`
wrapped). A node's own time is its time less that of the nodes rendered inside it, so the figures add
up to the whole. The timing wraps every node and adds its own cost (the talk pages: 1.31 s of CPU
timed against 1.04 s in render.py's --phases): read the shares, not the seconds.

Printed: the pages, the CPU time of the timed renders, and the `--top` nodes by own time (seconds,
share, renders, template, line, node class, tag).
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render import SLUG, prepared

from interop import environment

NODES_CODE = r"""
import collections, json, sys, time, django
django.setup()
from django.template import base
from podium.events.models import Event
from podium.schedule.queries import latest_release
from podium.site import release_files

options = json.loads(sys.argv[1])
event = Event.objects.get(slug=options["slug"])
release = latest_release(event)
jobs = release_files._page_jobs(event, release)
chosen = [job for job in jobs.here + jobs.anywhere if job.args[0].startswith(options["kind"])]
for job in chosen[:20]:
    job()  # the templates loaded and compiled, as in a server that has rendered before

own, renders, inside = collections.Counter(), collections.Counter(), [0.0]
render_annotated = base.Node.render_annotated

def timed(node, context):
    inside.append(0.0)
    started = time.perf_counter()
    try:
        return render_annotated(node, context)
    finally:
        elapsed = time.perf_counter() - started
        children = inside.pop()
        token = getattr(node, "token", None)
        key = (
            getattr(getattr(node, "origin", None), "template_name", "?"),
            token.lineno if token else 0,
            type(node).__name__,
            token.contents[:60] if token else "",
        )
        own[key] += elapsed - children
        renders[key] += 1
        inside[-1] += elapsed

base.Node.render_annotated = timed
started = time.process_time()
for job in chosen:
    job()
cpu = time.process_time() - started
total = sum(own.values())
top = [
    {"seconds": seconds, "share": seconds / total, "renders": renders[key], "template": key[0],
     "line": key[1], "node": key[2], "tag": key[3]}
    for key, seconds in own.most_common(options["top"])
]
print("RESULT " + json.dumps({"pages": len(chosen), "cpu_s": cpu, "nodes_s": total, "top": top}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kind", default="pages/talk/", help="the pages whose name starts with this")
    parser.add_argument("--top", type=int, default=30, help="how many nodes to print")
    args = parser.parse_args()
    source = prepared()
    with tempfile.TemporaryDirectory(prefix="podium-bench-nodes-") as data_dir:
        shutil.copytree(source, data_dir, dirs_exist_ok=True)
        options = {"slug": SLUG, "kind": args.kind, "top": args.top}
        child = subprocess.run(  # noqa: S603
            [sys.executable, "-c", NODES_CODE, json.dumps(options)],
            env=environment(data_dir) | {"PODIUM_RELEASE_FILES": "false"},
            capture_output=True,
            text=True,
            check=False,
        )
    lines = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
    if child.returncode != 0 or not lines:
        print(child.stdout[-2000:], child.stderr[-3000:], file=sys.stderr)
        return 1
    result = json.loads(lines[-1].removeprefix("RESULT "))
    if not result["pages"]:
        print(f"No page of the release starts with {args.kind!r}.", file=sys.stderr)
        return 1
    print(
        f"{result['pages']} pages ({args.kind}): {result['cpu_s']:.2f} s CPU timed, nodes {result['nodes_s']:.2f} s"
    )
    for row in result["top"]:
        print(
            f"{row['seconds']:7.3f} s {row['share']:6.1%} {row['renders']:6d}  "
            f"{row['template']}:{row['line']} {row['node']} {row['tag']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
