"""Throughput and memory of the simulator against a bare Flask peer, measured in the same run.

    python bench/run.py [--seconds 10] [--connections 16]

Needs `wrk` (Debian package). Both servers run under granian with one worker on this machine, so
the ratio (simulator / peer) is what to compare across machines and commits, not the raw numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
D7 = "Bearer sim-d7-demo-token"
SMSCLUB = "Bearer sim-smsclub-demo-token"

# (name, method, path, headers, body): what a client of each provider does most.
TARGETS = [
    ("control: GET /_sim/clock", "GET", "/_sim/clock", {}, None),
    (
        "d7: POST /messages/v1/send",
        "POST",
        "/d7/messages/v1/send",
        {"Authorization": D7},
        {
            "messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "hi"}],
            "message_globals": {"originator": "SignOTP"},
        },
    ),
    (
        "smsclub: POST /vibers/send",
        "POST",
        "/smsclub/vibers/send",
        {"Authorization": SMSCLUB},
        {"sender": "Tesst", "phones": ["380989361121"], "message": "hi"},
    ),
    (
        "jsonphp: balance",
        "POST",
        "/jsonphp/api/json.php",
        {},
        {"auth": "sim-jsonphp-demo-key", "data": [{"type": "balance"}]},
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], ready: str, env: dict | None = None) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    seen = threading.Event()

    def read() -> None:
        for line in process.stdout:
            if ready in line:
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    if not seen.wait(30):
        process.kill()
        raise SystemExit(f"{command[0]} did not start")
    return process


def worker_rss_kb(process: subprocess.Popen) -> int:
    """Resident memory of the server and its worker processes."""
    total = 0
    pids = [
        process.pid,
        *map(int, subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()),
    ]
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmRSS:\s+(\d+)", status.read_text())
            total += int(match.group(1)) if match else 0
    return total


def wrk(url: str, method: str, headers: dict, body: dict | None, seconds: int, connections: int) -> float:
    script = None
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if method != "GET" or headers:
        lines = [f'wrk.method = "{method}"', 'wrk.headers["Content-Type"] = "application/json"']
        lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
        if body is not None:
            lines.append(f"wrk.body = {json.dumps(json.dumps(body))}")
        # say what the first refused request got, so a warning below can be explained
        lines += [
            "local told = false",
            "response = function(status, headers, body)",
            "  if status >= 300 and not told then told = true; io.stderr:write(status .. ' ' .. body .. '\\n') end",
            "end",
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write("\n".join(lines))
            script = handle.name
        args += ["-s", script]
    result = subprocess.run([*args, url], capture_output=True, text=True, check=True)
    output = result.stdout
    if result.stderr.strip():
        print(f"  first refusal: {result.stderr.strip().splitlines()[0][:200]}", file=sys.stderr)
    if script:
        os.unlink(script)
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        print(f"  warning: {non2xx.group(1)} non-2xx answers from {url}", file=sys.stderr)
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    peer_port, sim_port = free_port(), free_port()
    peer = start(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--port",
            str(peer_port),
            "--factory",
            "bench.peer:create",
        ],
        "Started worker",
    )
    sim = start(
        [
            sys.executable,
            "run.py",
            "--port",
            str(sim_port),
            "--no-throttle",
            "--seed",
            "1",
            "--log-level",
            "info",
            "--accounts",
            str(ROOT / "bench" / "accounts.yaml"),
        ],
        "Started worker",
    )
    try:
        requests.get(f"http://127.0.0.1:{sim_port}/_sim/", timeout=10)
        sim_rss_before = worker_rss_kb(sim)
        peer_rps = wrk(f"http://127.0.0.1:{peer_port}/", "POST", {}, {}, args.seconds, args.connections)
        print(f"{'target':<34} {'req/s':>9} {'vs peer':>8}")
        print(f"{'peer: bare Flask, fixed body':<34} {peer_rps:>9.0f} {1:>8.2f}")
        for name, method, path, headers, body in TARGETS:
            rps = wrk(f"http://127.0.0.1:{sim_port}{path}", method, headers, body, args.seconds, args.connections)
            print(f"{name:<34} {rps:>9.0f} {rps / peer_rps:>8.2f}")
        sim_rss_after = worker_rss_kb(sim)
        print(
            f"simulator RSS: {sim_rss_before / 1024:.0f} MiB idle, {sim_rss_after / 1024:.0f} MiB after the run"
            f" (peer {worker_rss_kb(peer) / 1024:.0f} MiB)"
        )
    finally:
        for process in (peer, sim):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
