"""`python run.py` as a user starts it: real processes, real ports."""

import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "abc"], "port must be a whole number"),
        (["--clock", "later"], "--clock: unknown clock mode 'later'"),
        (["--provider-port", "d7"], "provider port must look like NAME=PORT"),
        (["--provider-port", "nope=9100"], "--provider-port: unknown provider 'nope'"),
        (["--server", "gunicorn"], "argument --server: invalid choice"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--store", "mongo://x"], "--store: unsupported store URL"),
    ],
    ids=["port", "clock", "port-format", "port-provider", "server", "unknown-flag", "store"],
)
def test_bad_flag_exits_2_with_one_clear_line(args, message):
    result = _run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_broken_scenario_file_exits_2_naming_file_and_key_path(tmp_path):
    (tmp_path / "default.yaml").write_text("name: default\ntimeline: [{after: 0s, status: pending}]\n")
    (tmp_path / "bad.yaml").write_text("name: bad\ntimeline:\n  - {after: 0s, status: pending}\n  - {after: x}\n")
    result = _run("--scenarios", str(tmp_path))
    assert result.returncode == 2
    expected = f"{tmp_path / 'bad.yaml'}: timeline[1].after: not a duration: 'x' (use e.g. 90s, 1.5m, 250ms, 2h)"
    assert result.stderr.strip() == f"provider-simulator: {expected}"


def test_environment_variable_sets_a_flag():
    result = subprocess.run(
        [sys.executable, "run.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={"SIM_CLOCK": "whenever", "PATH": ""},
    )
    assert result.returncode == 2 and "--clock: unknown clock mode 'whenever'" in result.stderr


def _wait_for_line(process: subprocess.Popen, needle: str, timeout: float) -> str:
    """Read the server's output until `needle` appears (the server says it is ready)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    deadline = time.monotonic() + timeout
    seen = ""
    while needle not in seen:
        try:
            seen += lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"server not ready; output so far:\n{seen}") from None
    return seen


def _wait_until_serving(process: subprocess.Popen, port: int, timeout: float = 30) -> None:
    """Granian's workers bind after they have built the app: connect until one answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            try:
                process.wait(timeout=0.1)  # waits for the process a moment; raises while it still runs
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"server exited with {process.returncode}") from None
    raise AssertionError(f"nothing answers on port {port}")


@pytest.mark.parametrize(
    ("server", "ready"), [("granian", "Started worker-1"), ("waitress", "Serving on")], ids=["granian", "waitress"]
)
def test_run_serves_discovery_and_prints_a_line_per_provider(server, ready):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port), "--server", server, "--log-level", "info"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = _wait_for_line(process, ready, timeout=30)
        _wait_until_serving(process, port)
        for name in ("smsclub", "d7", "jsonphp", "routee"):
            assert f"http://127.0.0.1:{port}/{name}" in output
        body = requests.get(f"http://127.0.0.1:{port}/_sim/", timeout=5).json()
        assert [p["name"] for p in body["providers"]] == ["smsclub", "d7", "jsonphp", "routee"]
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_dedicated_provider_port_serves_real_paths():
    port, d7_port = _free_port(), _free_port()
    process = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port), "--provider-port", f"d7={d7_port}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_line(process, f"Serving on http://127.0.0.1:{d7_port}", timeout=30)
        response = requests.get(f"http://127.0.0.1:{d7_port}/viber/v1/nothing", timeout=5)
        assert (response.status_code, response.content) == (404, b'{"detail":"Not Found"}')
        prefixed = requests.get(f"http://127.0.0.1:{port}/d7/viber/v1/nothing", timeout=5)
        assert prefixed.content == response.content
    finally:
        process.terminate()
        process.wait(timeout=15)
