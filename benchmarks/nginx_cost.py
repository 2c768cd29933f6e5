"""Benchmark: what one answer costs an nginx worker, nginx alone against the shipped configuration.

    .venv/bin/python benchmarks/nginx_cost.py [--requests 200] [--output PATH]

Counts instructions (valgrind's callgrind), not seconds: two runs differ by 2 % at most, busy machine
or not, where the requests-per-second rows of serving.py (`--only fastpath`) vary by a fifth.

Input: FOSDEM 2025 (`../shared/schedule-data/fosdem/fosdem-2025.schedule.xml`), imported with `podium
import` into a throw-away data directory and published with the release files on, as serving.py does
(its FACTS_CODE and RENDER_CODE). Targets: the talk page, the schedule page (its default day) and
schedule.xml, each raw and with `Accept-Encoding: gzip`.

Sides, each one nginx process (no master, one worker: `master_process off`) under callgrind, TLS 1.2
and 1.3 with the same self-signed certificate and session cache:
- nginx alone: serving.py's baseline (`nginx_alone_conf`): one exact location per target serving the
  same file, `gzip_static on`, no access log, no headers of its own;
- shipped: deploy/nginx.conf and its snippets as deploy/test.py renders them for loopback
  (`render_nginx`, with its main file: `pcre_jit on`, the access log, every header), pages and exports
  through the links Podium keeps beside `latest`;
- shipped without JIT: the same with the `pcre_jit on;` line taken out of the main file.

For each side, target and encoding, nginx is started twice under callgrind; curl sends 50 requests, then
50 + --requests, over one keep-alive connection; each answer must be 200 (the shipped side's access log
must say none was proxied). The difference of the two totals divided by --requests is the cost of one
answer: start-up, configuration and the TLS handshake cancel out. The counts cover nginx's own code and
its libraries (OpenSSL, PCRE2, libc), not the kernel's part (reading the file, sending on the socket),
which is about the same on both sides since the same bytes are sent.

The ratio alone / shipped is the share of nginx alone's answers a CPU-bound worker gives with the
shipped configuration (serving.py's target: at least 90 %), leaving aside the kernel and the client.
Results go to benchmarks/results/nginx_cost.json; benchmarks/README.md has the last ones.
"""

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import FACTS_CODE, FOSDEM, NGINX, RENDER_CODE, SLUG, _deploy_test, nginx_alone_conf

from interop import PODIUM, ROOT, environment, free_port, prepare, run, wait_for_port

RESULTS = ROOT / "benchmarks" / "results" / "nginx_cost.json"
WARM_UP = 50
JIT = "pcre_jit on;\n"


def alone_conf(tmp: Path, port: int, files: dict[str, tuple[Path, str]]) -> Path:
    """serving.py's nginx alone with TLS, as one process (no master) with one worker."""
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_alone_conf(tmp, port, files, tls=True, workers=1, master=False))
    return conf


def shipped_conf(tmp: Path, port: int, data: Path, *, jit: bool) -> Path:
    conf = _deploy_test().render_nginx(
        tmp, data, http_port=free_port(), tls_port=port, upstreams=[free_port()]
    )
    main = conf.read_text()
    if JIT not in main or "worker_processes 2;" not in main:
        raise SystemExit("deploy/test.py's main file changed: update benchmarks/nginx_cost.py")
    main = main.replace("worker_processes 2;", "worker_processes 1;\nmaster_process off;\ndaemon off;")
    if not jit:
        main = main.replace(JIT, "")
    conf.write_text("user root;\n" + main)
    return conf


def instructions(conf: Path, port: int, path: str, requests: int, encoding: str) -> int:
    """nginx's instructions (callgrind) from its start until `requests` answers over one connection."""
    out = conf.parent / "callgrind.out"
    process = subprocess.Popen(  # noqa: S603
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", NGINX, "-c", str(conf)],  # noqa: S607
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, alive=lambda: process.poll() is None, pause=0.2, tries=900)
        argv = ["curl", "--silent", "--insecure", "--http1.1", "--header", f"Accept-Encoding: {encoding}"]
        argv += ["--write-out", "%{http_code}\\n"]
        for _ in range(requests):
            argv += ["--output", "/dev/null", f"https://127.0.0.1:{port}{path}"]
        codes = subprocess.run(argv, capture_output=True, text=True, check=False).stdout.split()  # noqa: S603
        if codes != ["200"] * requests:
            raise SystemExit(f"{path}: not every answer was 200: {sorted(set(codes))}")
        # callgrind writes its counts when asked; nginx without a master stops on no signal in time.
        dump = ["callgrind_control", "--dump=bench", str(process.pid)]
        subprocess.run(dump, capture_output=True, check=True)  # noqa: S603
    finally:
        time.sleep(0.5)
        process.kill()
        process.wait()
    dumps = sorted(conf.parent.glob("callgrind.out*"), key=lambda p: p.stat().st_mtime)
    for line in reversed(dumps[-1].read_text().splitlines()):
        if line.startswith(("totals:", "summary:")):
            return int(line.split()[1])
    raise SystemExit(f"no totals in {dumps[-1]}")


def per_answer(side: str, data: Path, files: dict, path: str, requests: int, encoding: str) -> float:
    totals = []
    for count in (WARM_UP, WARM_UP + requests):
        tmp = Path(tempfile.mkdtemp(prefix="podium-bench-nginx-cost-"))
        try:
            port = free_port()
            if side == "nginx alone":
                conf = alone_conf(tmp, port, files)
            else:
                conf = shipped_conf(tmp, port, data, jit=side == "shipped")
            totals.append(instructions(conf, port, path, count, encoding))
            if side != "nginx alone":
                log = tmp / "access.log"
                time.sleep(0.1)
                lines = log.read_text().splitlines() if log.exists() else []
                if any(" upstream=- " not in line for line in lines):
                    raise SystemExit(f"{path}: the shipped nginx proxied some answers to Podium")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return (totals[1] - totals[0]) / requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control", "curl", NGINX):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing (Debian: apt-get install -y valgrind curl nginx)")
    data = Path(tempfile.mkdtemp(prefix="podium-bench-nginx-cost-data-"))
    try:
        env = environment(str(data))
        prepare(env)
        run([PODIUM, "import", str(FOSDEM), "--event", SLUG, "--organiser", "bench"], env)
        facts = json.loads(
            run([sys.executable, "-c", FACTS_CODE % SLUG], env)["output"].strip().splitlines()[-1]
        )
        env |= {"PODIUM_RELEASE_FILES": "true"}
        rendered = json.loads(
            run([sys.executable, "-c", RENDER_CODE % (SLUG, "nginx-cost")], env)["output"]
            .strip()
            .splitlines()[-1]
        )
        folder = data / "releases" / SLUG / "latest"
        manifest = json.loads((folder / "manifest.json").read_text())["files"]
        targets = {
            "talk_page": (f"pages/talk/{facts['talk']}.html", f"/{SLUG}/talk/{facts['talk']}/"),
            "schedule_page": (f"pages/schedule/{rendered['day']}/grid.html", f"/{SLUG}/schedule/"),
            "schedule_xml": ("schedule.xml", f"/{SLUG}/schedule/export/schedule.xml"),
        }
        files = {
            address: ((folder / name).resolve(), manifest[name]["type"]) for name, address in targets.values()
        }
        rows = {}
        for target, (_name, address) in targets.items():
            for encoding in ("identity", "gzip"):
                key = f"{target}:{'gzip' if encoding == 'gzip' else 'raw'}"
                rows[key] = {
                    side: per_answer(side, data, files, address, args.requests, encoding)
                    for side in ("nginx alone", "shipped", "shipped without JIT")
                }
                row = rows[key]
                print(
                    f"{key:<20} alone {row['nginx alone']:9.0f}  shipped {row['shipped']:9.0f}"
                    f" ({row['nginx alone'] / row['shipped']:.0%})  without JIT {row['shipped without JIT']:9.0f}"
                    f" ({row['nginx alone'] / row['shipped without JIT']:.0%})",
                    flush=True,
                )
    finally:
        shutil.rmtree(data, ignore_errors=True)
    report = {
        "benchmark": "nginx_cost",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nginx": subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=False).stderr.strip(),  # noqa: S603
        "requests": args.requests,
        "unit": "instructions per answer (callgrind), nginx's process only",
        "rows": rows,
        "ratio_alone_to_shipped": {key: row["nginx alone"] / row["shipped"] for key, row in rows.items()},
        "ratio_alone_to_shipped_without_jit": {
            key: row["nginx alone"] / row["shipped without JIT"] for key, row in rows.items()
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Results written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
