"""Benchmark: writing every public file of a FOSDEM-size release (`release_files.render_release` alone).

    .venv/bin/python benchmarks/render.py [--runs 1] [--processes N] [--phases] [--profile PATH]
        [--baseline REF] [--output PATH]

Input: FOSDEM 2025 (`../shared/schedule-data/fosdem/fosdem-2025.schedule.xml`), imported with
`podium import` into a data directory (SQLite) and published once with the release files off. That
directory is kept under /tmp (podium-bench-render-<key>, the key made from the input and the
migrations) and reused by the next run; each measurement works on a copy of it.

Each measurement is a child process (`python -c`, the tree's code, or the code of --baseline) that
loads the event and its latest release and times `render_release(event, release)` into an empty
release directory: wall time, CPU time of the process and of its helper processes
(RUSAGE_SELF + RUSAGE_CHILDREN; the helpers are reaped before it is read), files, bytes (raw, gzip,
brotli), peak memory, and `/proc/loadavg` before and after. With --runs N the process renders N
times (the first with its templates still to load), each into a new empty directory.

--processes N sets `release_files.RENDER_PROCESSES` (1: this process alone, no helpers).
--phases adds, in the same child after the render, the CPU of each part done one after the other in
  this process alone: the exports, the pages by kind, the widget, and compressing every file.
--keep DIR keeps the files written (DIR/baseline, DIR/tree).
--files-in DIR writes the release files in a new folder under DIR (say /dev/shm, a tmpfs), to tell the
  file system's part from Podium's.
--profile PATH writes a cProfile of the render (the parent process: pass --processes 1 to have
  every page in it) and prints its 30 most expensive functions.
--baseline REF measures the code of git revision REF too (its `src` from `git archive`, the compiled
  catalogues of this tree beside it; or, when REF is a directory, the package sources in it), before
  this tree's code, and reports this tree's figures as ratios to it and whether every file of the
  manifest (sha256) is the same on both sides.

--repeat N measures each side N times, alternately (the medians are compared).

Before each render everything written so far is flushed to the disk (`os.sync`, not timed), so no
render waits for an earlier one's write-back. Nothing is removed while the measurements run: each
render writes into a new empty folder, and what they all wrote is removed at the end. On ext4 without a journal (the disk of the machines these
figures come from) creating a file in the minutes after many were removed makes the kernel step
over every recently freed inode (`recently_deleted` in ext4's inode allocator): 12,000 new files
cost about 0.2 s of system time on a quiet disk and up to 6 s just after 12,000 were removed.
--delete-before N makes and removes N empty files just before each render, to measure that case (a
release published just after an older one's files were pruned: PODIUM_RELEASES_KEPT).
--recycle hands each render after the first the previous run's directory as a spare set aside an hour
ago (what `prune` now does with a release beyond PODIUM_RELEASES_KEPT: PODIUM_RELEASE_SPARES):
the render writes into its files instead of creating new ones (release_files._claim_spare). Without
it no render finds a spare.

Results are printed and, with --output, written as JSON.
"""

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from interop import DATA, PODIUM, ROOT, environment, prepare, run

FOSDEM = DATA / "fosdem" / "fosdem-2025.schedule.xml"
SLUG = "fosdem-2025"
CACHE_ROOT = Path(tempfile.gettempdir())
GIT = shutil.which("git") or "/usr/bin/git"

RENDER_CODE = r"""
import cProfile, json, os, pstats, resource, shutil, sys, time, django
django.setup()
from pathlib import Path
from django.conf import settings
from podium.events.models import Event
from podium.schedule.queries import latest_release
from podium.site import release_files
options = json.loads(sys.argv[1])

def cpu():
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))

def system():
    return sum(u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))

def loadavg():
    return Path("/proc/loadavg").read_text().split()[:3]

if options["processes"]:
    release_files.RENDER_PROCESSES = options["processes"]
event = Event.objects.get(slug=options["slug"])
release = latest_release(event)
runs = []
releases_root = Path(settings.PODIUM_RELEASE_DIR)
for number in range(options["runs"]):
    # Each run writes into a new folder, empty or (--recycle) holding the previous run's directory as a
    # spare; the earlier runs' files stay until the end (see --delete-before for why nothing is removed
    # just before a render).
    settings.PODIUM_RELEASE_DIR = str(releases_root / f"run-{number}")
    if options["recycle"] and runs:
        base = release_files.event_dir(options["slug"])
        base.mkdir(parents=True)
        os.rename(previous, base / f"{release_files.SPARE}{time.time() - 3600:.3f}-0-{number}")
    if options["delete_before"]:
        doomed = releases_root / f"doomed-{number}"
        doomed.mkdir(parents=True)
        for name in range(options["delete_before"]):
            os.close(os.open(doomed / f"{name}.html", os.O_CREAT | os.O_WRONLY, 0o644))
        shutil.rmtree(doomed)
    os.sync()  # what earlier runs wrote is on the disk: no render waits for another's write-back
    profile = cProfile.Profile() if options["profile"] and number == options["runs"] - 1 else None
    load_before = loadavg()
    cpu_before, system_before, started = cpu(), system(), time.perf_counter()
    if profile:
        profile.enable()
    rendered = release_files.render_release(event, release)
    previous = rendered.path
    if profile:
        profile.disable()
    wall, used, kernel = time.perf_counter() - started, cpu() - cpu_before, system() - system_before
    manifest = json.loads((rendered.path / release_files.MANIFEST).read_text())
    files = manifest["files"]
    runs.append({
        "wall_s": wall, "cpu_s": used, "system_cpu_s": kernel, "files": len(files) * 3 + 1,
        "artefacts": len(files), "written": rendered.written,
        "raw_bytes": sum(e["size"] for e in files.values()),
        "gz_bytes": sum(e["gz"] for e in files.values()),
        "br_bytes": sum(e["br"] for e in files.values()),
        "loadavg_before": load_before, "loadavg_after": loadavg(),
    })
    if profile:
        profile.dump_stats(options["profile"])
result = {
    "runs": runs,
    "processes": release_files.RENDER_PROCESSES,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "helper_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "sha256": {name: entry["sha256"] for name, entry in files.items()},
}
if options["phases"]:
    from django.utils import translation
    def timed(produce):
        before = time.process_time()
        value = produce()
        return time.process_time() - before, value
    phases, contents = {}, []
    with translation.override(release_files.files_language()):
        seconds, exports = timed(lambda: list(release_files._exports(release)))
    phases["exports"] = seconds
    contents += [item.content for item in exports]
    seconds, jobs = timed(lambda: release_files._page_jobs(event, release))
    phases["reading the release"] = seconds
    kinds = {}
    for job in jobs.here + jobs.anywhere:
        seconds, page = timed(job)
        name = job.args[0]
        kind = (
            "pages: schedule " + name.rsplit("/", 1)[1].removesuffix(".html")
            if name.startswith("pages/schedule/")
            else "pages: " + name.split("/")[1].removesuffix(".html")
        )
        kinds[kind] = kinds.get(kind, 0.0) + seconds
        if page is not None:
            contents.append(page.content)
    phases |= dict(sorted(kinds.items()))
    with translation.override(release_files.files_language()):
        seconds, widget = timed(lambda: list(release_files._widget(event, release)))
    phases["widget"] = seconds
    contents += [item.content for item in widget]
    seconds, _compressed = timed(lambda: [release_files._compress(content) for content in contents])
    phases["compression"] = seconds
    result["phases"] = phases
print("RESULT " + json.dumps(result))
"""


def cache_key() -> str:
    """What the prepared data directory depends on: the input file and the migrations."""
    digest = hashlib.sha256()
    stat = FOSDEM.stat()
    digest.update(f"{FOSDEM}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for path in sorted((ROOT / "src").rglob("migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def prepared() -> Path:
    """The data directory with FOSDEM 2025 imported and published (made once, then reused)."""
    folder = CACHE_ROOT / f"podium-bench-render-{cache_key()}"
    if (folder / "ready").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    building = Path(tempfile.mkdtemp(prefix="podium-bench-render-building-", dir=CACHE_ROOT))
    env = environment(str(building)) | {"PODIUM_RELEASE_FILES": "false"}
    prepare(env)
    run([PODIUM, "import", str(FOSDEM), "--event", SLUG, "--organiser", "bench"], env)
    publish = (
        "import django; django.setup()\n"
        "from podium.events.models import Event\n"
        "from podium.schedule.services import publish_release\n"
        f"publish_release(event=Event.objects.get(slug={SLUG!r}), by=None, name='bench', force=True)\n"
    )
    run([sys.executable, "-c", publish], env)
    (building / "ready").write_text("")
    os.rename(building, folder)
    return folder


def baseline_tree(ref: str) -> Path:
    """The `src` of git revision `ref` in a folder of its own, with this tree's compiled catalogues."""
    sha = subprocess.run(  # noqa: S603
        [GIT, "rev-parse", ref], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    folder = CACHE_ROOT / f"podium-bench-render-tree-{sha[:12]}"
    if not (folder / "src").is_dir():
        building = Path(tempfile.mkdtemp(prefix="podium-bench-render-tree-", dir=CACHE_ROOT))
        archive = subprocess.run(  # noqa: S603
            [GIT, "archive", sha, "src"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(building)], input=archive, check=True)  # noqa: S603, S607
        for catalogue in (ROOT / "src").rglob("*.mo"):
            target = building / catalogue.relative_to(ROOT)
            if target.parent.is_dir():
                shutil.copy2(catalogue, target)
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(building, folder)
    return folder / "src"


#: What the measurements wrote, removed when they are all done (remove_left).
LEFT: list[Path] = []


def remove_left() -> None:
    while LEFT:
        shutil.rmtree(LEFT.pop(), ignore_errors=True)


def measure(
    data: Path, options: dict, src: Path | None = None, keep: Path | None = None, files_in: Path | None = None
) -> dict:
    """One child process rendering on a copy of the prepared data directory (the files written under
    `files_in` when given, else beside it)."""
    work = Path(tempfile.mkdtemp(prefix="podium-bench-render-run-", dir=CACHE_ROOT))
    releases = Path(tempfile.mkdtemp(prefix="podium-bench-render-files-", dir=files_in)) if files_in else None
    try:
        shutil.copytree(data, work / "data")
        env = environment(str(work / "data")) | {
            "PODIUM_RELEASE_FILES": "true",
            "PODIUM_RELEASE_DIR": str(releases or work / "releases"),
        }
        if src is not None:
            env["PYTHONPATH"] = str(src)
        child = subprocess.run(  # noqa: S603
            [sys.executable, "-c", RENDER_CODE, json.dumps(options)],
            env=env,
            capture_output=True,
            text=True,
            cwd=work,
        )
        if child.returncode != 0:
            raise SystemExit(f"render failed ({child.returncode}):\n{child.stderr[-3000:]}")
        line = next(line for line in child.stdout.splitlines()[::-1] if line.startswith("RESULT "))
        if keep is not None:  # the files of the (last) render, to compare
            shutil.rmtree(keep, ignore_errors=True)
            shutil.move((releases or work / "releases") / f"run-{options['runs'] - 1}", keep)
        return json.loads(line.removeprefix("RESULT "))
    finally:  # removed at the end of the benchmark: a removal slows the next render's file creation
        LEFT.extend(folder for folder in (work, releases) if folder is not None)


def print_result(label: str, result: dict) -> None:
    print(
        f"{label} ({result['processes']} processes; peak RSS {result['peak_rss_mib']:.0f} MiB"
        f" / helpers {result['helper_peak_rss_mib']:.0f} MiB)"
    )
    for number, entry in enumerate(result["runs"], 1):
        print(
            f"  run {number}: wall {entry['wall_s']:.2f} s, CPU {entry['cpu_s']:.2f} s"
            f" (system {entry.get('system_cpu_s', 0):.2f} s), {entry['files']} files"
            f" ({entry['artefacts']} artefacts), raw/gz/br {entry['raw_bytes'] / 2**20:.2f}/"
            f"{entry['gz_bytes'] / 2**20:.2f}/{entry['br_bytes'] / 2**20:.2f} MiB,"
            f" loadavg {' '.join(entry['loadavg_before'])} -> {' '.join(entry['loadavg_after'])}"
        )
    for phase, seconds in result.get("phases", {}).items():
        print(f"  {phase:<32} {seconds:7.2f} s CPU")


def summary(report: dict) -> None:
    """Medians of each side (the last render of each process), their ratios, and the files that differ."""
    medians = {
        side: {
            key: statistics.median(result["runs"][-1][key] for result in report[side])
            for key in ("wall_s", "cpu_s", "system_cpu_s")
        }
        for side in ("baseline", "tree")
    }
    differing = sorted(
        {
            name
            for before, after in zip(report["baseline"], report["tree"], strict=True)
            for name in before["sha256"].keys() | after["sha256"].keys()
            if before["sha256"].get(name) != after["sha256"].get(name)
        }
    )
    report["medians"] = medians
    report["ratios"] = {
        "wall": medians["tree"]["wall_s"] / medians["baseline"]["wall_s"],
        "cpu": medians["tree"]["cpu_s"] / medians["baseline"]["cpu_s"],
    }
    report["differing_files"] = differing
    for side, values in medians.items():
        print(
            f"median of {len(report[side])}, {side}: wall {values['wall_s']:.2f} s,"
            f" CPU {values['cpu_s']:.2f} s (system {values['system_cpu_s']:.2f} s)"
        )
    print(
        f"tree / baseline: wall {report['ratios']['wall']:.2f}, CPU {report['ratios']['cpu']:.2f};"
        f" files differing: {len(differing)} of {len(report['tree'][-1]['sha256'])}"
    )
    for name in differing[:20]:
        print(f"  differs: {name}")
    before, after = report["baseline"][-1], report["tree"][-1]
    for phase, seconds in after.get("phases", {}).items():
        if before.get("phases", {}).get(phase):
            print(f"  {phase:<32} {before['phases'][phase]:7.2f} -> {seconds:7.2f} s CPU")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="renders per process (the first is cold)")
    parser.add_argument("--processes", type=int, default=0, help="RENDER_PROCESSES (default: as configured)")
    parser.add_argument("--phases", action="store_true", help="CPU of each part, one after the other")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the (last) render here")
    parser.add_argument(
        "--baseline", help="a git revision (or a directory of sources) to measure too, and compare files with"
    )
    parser.add_argument("--output", type=Path, help="write the results here as JSON")
    parser.add_argument("--keep", type=Path, help="keep the written files here (baseline/ and tree/)")
    parser.add_argument(
        "--files-in",
        type=Path,
        help="write the release files in a new folder here (say /dev/shm: the cost of the file system apart)",
    )
    parser.add_argument(
        "--delete-before",
        type=int,
        default=0,
        metavar="N",
        help="make and remove N empty files just before each render (a release pruned just before)",
    )
    parser.add_argument(
        "--recycle",
        action="store_true",
        help="give each render after the first the previous one's directory as a spare to write into",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure each side this many times, alternately"
    )
    args = parser.parse_args()
    try:
        return run_all(args)
    finally:
        remove_left()


def run_all(args) -> int:

    data = prepared()
    options = {
        "slug": SLUG,
        "runs": args.runs,
        "processes": args.processes,
        "phases": args.phases,
        "profile": str(args.profile.resolve()) if args.profile else "",
        "delete_before": args.delete_before,
        "recycle": args.recycle,
    }
    report = {"data": str(data), "baseline": [], "tree": []}
    src = None
    if args.baseline:
        src = Path(args.baseline) if Path(args.baseline).is_dir() else baseline_tree(args.baseline)
    for number in range(args.repeat):  # alternately, so both sides see the same load
        last = number == args.repeat - 1
        if src is not None:
            keep = args.keep / "baseline" if args.keep and last else None
            result = measure(data, options | {"profile": ""}, src, keep, args.files_in) | {
                "ref": args.baseline
            }
            report["baseline"].append(result)
            print_result(f"baseline ({args.baseline})", result)
        tree_keep = args.keep / "tree" if args.keep and last else None
        result = measure(data, options, keep=tree_keep, files_in=args.files_in)
        report["tree"].append(result)
        print_result("this tree", result)
    if src is not None:
        summary(report)
    if args.profile:
        import pstats

        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(30)
    if args.output:
        args.output.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
