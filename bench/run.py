"""The project's benchmark: the simulator against a bare Flask peer under the same server, one run.

    python bench/run.py [--seconds 10] [--connections 16] [--max 1000000] [--json bench/last-run.json]
                        [--only inprocess,workloads,scale,redis]

Needs `wrk` and `redis-server` (Debian packages). Every server is granian, one worker, 32 blocking
threads, as `run.py` serves; with two cores or more one-worker servers are pinned to core 0 and wrk
(or this process, for single requests) to core 1, so a ratio compares the simulator and the peer on
the same core in the same run; the Redis sends with one and with two workers both run on every core
(only wrk is pinned), and once more with one worker alone on the server core, its best placement.
Compare ratios across machines and commits, not raw figures.

- inprocess: the same requests against each app's WSGI callable in a loop, no server (bench/inprocess.py):
  µs per request and the ratio to the peer, a quick and quiet check of the served ratios;
- workloads: D7 report GET, SMS Club Viber send POST and D7 report of an unknown id with 100k
  messages stored (p99 from wrk), each against the peer;
- scale: 1k, 10k, 100k and 1M messages stored (filled inside the server, bench/fill.py): median
  time of each lookup, RSS per stored message, and send p99 while an inbox tab polls;
- redis: SMS Club sends with 1 and 2 workers on one Redis; lookups at 1k and 100k stored.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import fill  # noqa: E402  (the repository root is on the path only now)

D7 = {"Authorization": "Bearer sim-d7-demo-token"}
SMSCLUB = {"Authorization": "Bearer sim-smsclub-demo-token"}
D7_SEND = {
    "messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "hi"}],
    "message_globals": {"originator": "SignOTP"},
}
SMSCLUB_SEND = {"sender": "Tesst", "phones": ["380989361121"], "message": "hi"}
UNKNOWN = "/d7/report/v1/message-log/00000000-0000-4000-8000-000000000000"
SCALES = (1_000, 10_000, 100_000, 1_000_000)
SERVER_CORE, CLIENT_CORE = 0, 1
PINNED = (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None
LOOKUP_SAMPLES = 30
WORKERS_SETTLE = 5.0  # seconds for every worker of a multi-worker server to start accepting
LOOKUP_BUDGET = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


EVERY_CORE = f"0-{(os.cpu_count() or 1) - 1}"


def on_core(command: list[str], core: int | str) -> list[str]:
    """`command` on `core` (a taskset list, such as EVERY_CORE). Children inherit this process's pinning to
    the client core: a command meant to run anywhere must be given every core explicitly."""
    return ["taskset", "-c", str(core), *command] if PINNED else command


@contextmanager
def server(factory: str, env: dict | None = None, workers: int = 1, pinned: bool = True) -> Iterator[str]:
    """A granian server of `factory` on a free port, pinned to the server core unless `pinned` is False;
    yields its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "32",
        "--factory",
        factory,
    ]
    process = subprocess.Popen(
        on_core(command, SERVER_CORE if pinned else EVERY_CORE),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # Not following the simulator's redirect to the inbox: its first read of a large store is no
                # readiness signal, and a slow answer still means the server is up.
                requests.get(url + "/", timeout=2, allow_redirects=False)
                break
            except requests.ReadTimeout:  # connected: it is up
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"{factory} did not start") from None
                time.sleep(0.2)
        if workers > 1:
            # The first worker answers while the others may still build the app; wrk opens its connections
            # once and keeps them, so a worker not yet accepting would get none for the whole run.
            time.sleep(WORKERS_SETTLE)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def simulator_env(store: str = "memory://") -> dict:
    return {
        "SIM_STORE": store,
        "SIM_THROTTLE": "0",
        "SIM_SEED": "1",
        "SIM_ACCOUNTS": str(ROOT / "bench" / "accounts.yaml"),
        "SIM_WATCH_SCENARIOS": "0",
        "SIM_LOG_LEVEL": "warning",
    }


def worker_rss_kb(url: str) -> int:
    """Resident memory of the process listening on `url`'s port and its children (the workers)."""
    port = url.rsplit(":", 1)[1]
    found = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    pids = {int(pid) for pid in re.findall(r"pid=(\d+)", found)}
    total = 0
    for pid in pids:
        for each in (pid, *_children(pid)):
            status = Path(f"/proc/{each}/status")
            if status.exists():
                match = re.search(r"VmRSS:\s+(\d+)", status.read_text())
                total += int(match.group(1)) if match else 0
    return total


def _children(pid: int) -> list[int]:
    listed = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in listed.split()]


def wrk(url: str, method: str = "GET", headers: dict | None = None, body: dict | None = None, *, args) -> dict:
    """req/s and p99 (ms) of `url` under wrk; warns about non-2xx answers unless a 404 is the point."""
    lines = [f'wrk.method = "{method}"', 'wrk.headers["Content-Type"] = "application/json"']
    lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in (headers or {}).items()]
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(json.dumps(body))}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write("\n".join(lines))
        script = handle.name
    try:
        if args.warmup:
            # Unmeasured first: a send's scheduled transitions fall due seconds later, so a run that starts cold
            # measures sends without the work they cause (a steady state has both), and caches are cold.
            warmup = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.warmup}s", "-s", script, url]
            subprocess.run(on_core(warmup, CLIENT_CORE), capture_output=True, check=True)
        command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", "-s", script, url]
        output = subprocess.run(on_core(command, CLIENT_CORE), capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    return {"rps": round(rate), "p99_ms": round(float(p99.group(1)) * scale, 2), "non_2xx": failed}


def timed(session: requests.Session, url: str, headers: dict | None = None) -> float:
    """Median milliseconds of sequential GETs (after one unmeasured warm-up): LOOKUP_SAMPLES of them,
    fewer when they are slow (at least 3, at most ~LOOKUP_BUDGET seconds)."""
    session.get(url, headers=headers, timeout=300)
    spent: list[float] = []
    while len(spent) < LOOKUP_SAMPLES and (len(spent) < 3 or sum(spent) < LOOKUP_BUDGET * 1000):
        started = time.perf_counter()
        response = session.get(url, headers=headers, timeout=300)
        spent.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 500:
            raise SystemExit(f"{url} answered {response.status_code}")
    return round(statistics.median(spent), 2)


def d7_request_id(url: str) -> str:
    response = requests.post(url + "/d7/messages/v1/send", json=D7_SEND, headers=D7, timeout=10)
    response.raise_for_status()
    return response.json()["request_id"]


def bench_inprocess(args) -> dict:
    """µs per request of each app called in process, on the server core with the simulator's settings."""
    command = [sys.executable, "-m", "bench.inprocess"]
    output = subprocess.run(
        on_core(command, SERVER_CORE),
        cwd=ROOT,
        env={**os.environ, **simulator_env()},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def bench_workloads(args) -> dict:
    """The three workloads of the issue, each beside the peer served the same way."""
    results = {}
    with server("bench.peer:create") as peer:
        results["peer_get"] = wrk(peer + "/", args=args)
        results["peer_post"] = wrk(peer + "/", "POST", body={}, args=args)
    with server("bench.scaled:create", simulator_env()) as sim:
        report = f"{sim}/d7/report/v1/message-log/{d7_request_id(sim)}"
        results["d7_report"] = wrk(report, headers=D7, args=args)
        results["smsclub_send"] = wrk(sim + "/smsclub/vibers/send", "POST", SMSCLUB, SMSCLUB_SEND, args=args)
        stored = requests.get(sim + "/_sim/messages?limit=1", timeout=60).json()["total"]
        if stored < 100_000:
            requests.post(f"{sim}/_bench/fill?count={100_000 - stored}", timeout=900).raise_for_status()
        results["d7_unknown_at_100k"] = wrk(sim + UNKNOWN, headers=D7, args=args)
    results["ratios"] = {
        "d7_report": round(results["d7_report"]["rps"] / results["peer_get"]["rps"], 2),
        "smsclub_send": round(results["smsclub_send"]["rps"] / results["peer_post"]["rps"], 2),
        "d7_unknown_at_100k": round(results["d7_unknown_at_100k"]["rps"] / results["peer_get"]["rps"], 2),
    }
    return results


def lookups(url: str, session: requests.Session, number: int) -> dict:
    """Median ms of every lookup, aimed at the filled message `number` (mid-way: no lucky first hit)."""
    bare = fill.message_id(number)
    return {
        "list": timed(session, url + "/_sim/messages?limit=10"),
        "list_by_status": timed(session, url + "/_sim/messages?status=delivered&limit=10"),
        "latest": timed(session, url + "/_sim/messages/latest"),
        "by_id": timed(session, f"{url}/_sim/messages/{bare}"),
        "report": timed(session, f"{url}/d7/report/v1/message-log/{fill.request_id(number)}", D7),
        "unknown_report": timed(session, url + UNKNOWN, D7),
        "inbox": timed(session, url + "/_sim/inbox/api/messages?limit=50"),
        "metrics": timed(session, url + "/_sim/metrics"),
    }


def client_on_its_core() -> None:
    if PINNED:
        os.sched_setaffinity(0, {CLIENT_CORE})


def bench_scale(args) -> dict:
    """Lookups and memory as the store grows, on the memory store."""
    results: dict = {"lookups_ms": {}, "rss_bytes_per_message": {}}
    session = requests.Session()
    with server("bench.scaled:create", simulator_env()) as sim:
        session.get(sim + "/_sim/metrics", timeout=30)
        empty = worker_rss_kb(sim)
        filled = 0
        for scale in (size for size in SCALES if size <= args.max):
            started = time.monotonic()
            requests.post(f"{sim}/_bench/fill?count={scale - filled}", timeout=1800).raise_for_status()
            print(f"  filled {scale:>9,} in {time.monotonic() - started:.0f} s", file=sys.stderr)
            filled = scale
            results["rss_bytes_per_message"][scale] = round((worker_rss_kb(sim) - empty) * 1024 / scale)
            results["lookups_ms"][scale] = lookups(sim, session, scale // 2)
            if scale == 100_000:
                results["send_while_inbox_polls_at_100k"] = send_while_polling(sim, args)
    return results


def send_while_polling(url: str, args) -> dict:
    """SMS Club sends under wrk while one inbox tab polls its list every 2 s."""
    stop = threading.Event()

    def poll() -> None:
        with requests.Session() as tab:
            while not stop.is_set():
                tab.get(url + "/_sim/inbox/api/messages?limit=50", timeout=60)
                stop.wait(2.0)

    tab = threading.Thread(target=poll, daemon=True)
    tab.start()
    try:
        return wrk(url + "/smsclub/vibers/send", "POST", SMSCLUB, SMSCLUB_SEND, args=args)
    finally:
        stop.set()
        tab.join()


@contextmanager
def redis_server() -> Iterator[str]:
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        process = subprocess.Popen(
            on_core(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                EVERY_CORE,
            ),
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"redis://127.0.0.1:{port}/0"
            deadline = time.monotonic() + 30
            while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode:
                if time.monotonic() > deadline:
                    raise SystemExit("redis-server did not start")
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


def bench_redis(args) -> dict:
    """Sends with one and two workers on one Redis; lookups at 1k and 100k stored."""
    from simulator.core.clock import Clock
    from simulator.core.store.redis import RedisStore

    results: dict = {"smsclub_send": {}, "lookups_ms": {}}
    session = requests.Session()
    with redis_server() as url:
        for workers in (1, 2):
            # One worker and two get the same placement (every core), or the ratio would compare placements.
            with server("bench.scaled:create", simulator_env(url), workers, pinned=False) as sim:
                results["smsclub_send"][workers] = wrk(
                    sim + "/smsclub/vibers/send", "POST", SMSCLUB, SMSCLUB_SEND, args=args
                )
            RedisStore(url).reset()
        results["two_workers_over_one"] = round(
            results["smsclub_send"][2]["rps"] / results["smsclub_send"][1]["rps"], 2
        )
        # For reference, one worker's best placement: alone on the server core. On every core its 32 threads
        # pass the GIL between cores, which costs it more CPU per send than the same worker on one core.
        with server("bench.scaled:create", simulator_env(url)) as sim:
            results["smsclub_send_one_worker_pinned"] = wrk(
                sim + "/smsclub/vibers/send", "POST", SMSCLUB, SMSCLUB_SEND, args=args
            )
        RedisStore(url).reset()
        store, filled = RedisStore(url), 0
        for scale in (size for size in SCALES if size <= min(args.max, 100_000)):
            started = time.monotonic()
            fill.fill(store, "default", filled, scale - filled, Clock().timestamp())
            print(f"  filled Redis {scale:>9,} in {time.monotonic() - started:.0f} s", file=sys.stderr)
            filled = scale
            with server("bench.scaled:create", simulator_env(url)) as sim:
                results["lookups_ms"][scale] = lookups(sim, session, scale // 2)
    return results


def table(results: dict) -> str:
    lines = []
    if "inprocess" in results:
        cost, ratios = results["inprocess"]["us_per_request"], results["inprocess"]["ratios"]
        lines += [f"{'in process':<36} {'µs/req':>8} {'':>8} {'vs peer':>8}"]
        lines += [f"{name:<36} {value:>8} {'':>8} {ratios.get(name, 1):>8.2f}" for name, value in cost.items()]
        lines.append("")
    if "workloads" in results:
        work = results["workloads"]
        lines += [f"{'workload':<36} {'req/s':>8} {'p99 ms':>8} {'vs peer':>8}"]
        pairs = (("d7_report", "peer_get"), ("smsclub_send", "peer_post"), ("d7_unknown_at_100k", "peer_get"))
        for name, peer in pairs:
            lines.append(f"{'peer (' + peer + ')':<36} {work[peer]['rps']:>8} {work[peer]['p99_ms']:>8} {1:>8.2f}")
            row = work[name]
            lines.append(f"{name:<36} {row['rps']:>8} {row['p99_ms']:>8} {work['ratios'][name]:>8.2f}")
    for section in ("scale", "redis"):
        if section not in results:
            continue
        found = results[section]["lookups_ms"]
        if found:
            names = list(next(iter(found.values())))
            lines += ["", f"{section} lookups, median ms"]
            lines.append(f"{'stored':>10} " + " ".join(f"{name:>14}" for name in names))
            for scale, row in found.items():
                lines.append(f"{scale:>10,} " + " ".join(f"{row[name]:>14}" for name in names))
    if "scale" in results:
        rss = results["scale"]["rss_bytes_per_message"]
        lines += ["", "RSS per stored message: " + ", ".join(f"{n:,}: {b} B" for n, b in rss.items())]
        polled = results["scale"].get("send_while_inbox_polls_at_100k")
        if polled:
            lines.append(f"send while an inbox polls at 100k: {polled['rps']} req/s, p99 {polled['p99_ms']} ms")
    if "redis" in results:
        sends = results["redis"]["smsclub_send"]
        shown = [f"{workers} worker(s) {row['rps']} req/s p99 {row['p99_ms']} ms" for workers, row in sends.items()]
        lines += ["", "redis sends: " + ", ".join(shown)]
        lines.append(f"2 workers / 1 worker: {results['redis']['two_workers_over_one']}")
        alone = results["redis"]["smsclub_send_one_worker_pinned"]
        lines.append(f"1 worker alone on the server core: {alone['rps']} req/s p99 {alone['p99_ms']} ms")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration of each workload")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured wrk seconds before each workload")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--max", type=int, default=1_000_000, help="largest scale filled (bounds the run)")
    parser.add_argument("--only", default="inprocess,workloads,scale,redis", help="sections to run, comma-separated")
    parser.add_argument("--json", default=str(ROOT / "bench" / "last-run.json"), help="where to write the figures")
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (Debian: apt-get install -y {tool})")
    client_on_its_core()
    sections = {
        "inprocess": bench_inprocess,
        "workloads": bench_workloads,
        "scale": bench_scale,
        "redis": bench_redis,
    }
    results: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "pinned": PINNED,
        "seconds": args.seconds,
        "connections": args.connections,
    }
    for name in args.only.split(","):
        print(f"{name}...", file=sys.stderr)
        results[name] = sections[name](args)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")  # a later section's failure keeps these
    print(table(results))
    print(f"figures written to {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
