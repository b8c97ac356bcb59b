"""`python run.py` as a user starts it: real processes, real ports."""

import queue
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from simulator import cli

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    ("args", "message"),
    [
        (["--port", "abc"], "port must be a whole number"),
        (["--clock", "later"], "--clock: unknown clock mode 'later'"),
        (["--provider-port", "d7"], "provider port must look like NAME=PORT"),
        (["--provider-port", "nope=9100"], "--provider-port: unknown provider 'nope'"),
        (["--server", "gunicorn"], "argument --server: invalid choice"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--store", "mongo://x"], "--store: unsupported store URL"),
        (["--port", "99999"], "port must be between 0 and 65535, got '99999'"),
        (["--host", "999.1.1.1"], "--host 999.1.1.1: "),
        (["--workers", "0"], "workers must be between 1 and 256, got '0'"),
    ],
    ids=[
        "port",
        "clock",
        "port-format",
        "port-provider",
        "server",
        "unknown-flag",
        "store",
        "port-range",
        "host",
        "workers",
    ],
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
        assert "Python threads" not in output and "Websockets" not in output  # granian's start-up noise
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


def test_second_start_on_a_port_in_use_exits_2_and_port_0_prints_the_real_port():
    first = subprocess.Popen(
        [sys.executable, "run.py", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        output = _wait_for_line(first, "Started worker-1", timeout=30)
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/d7", output).group(1))
        assert port != 0
        _wait_until_serving(first, port)
        second = _run("--port", str(port))
        assert second.returncode == 2
        assert second.stderr == (
            f"provider-simulator: 127.0.0.1:{port} is already in use (another simulator?): "
            "stop it or choose another --port\n"
        )
        assert requests.get(f"http://127.0.0.1:{port}/_sim/health", timeout=5).json()["status"] == "ok"
    finally:
        first.terminate()
        first.wait(timeout=15)


@pytest.mark.parametrize(
    ("args", "warned"),
    [(["--host", "0.0.0.0"], True), (["--host", "0.0.0.0", "--admin-token", "t"], False), ([], False)],
    ids=["all-interfaces-no-token", "all-interfaces-token", "loopback"],
)
def test_start_off_loopback_without_token_warns_control_api_refuses(monkeypatch, capsys, args, warned):
    monkeypatch.setattr(cli, "serve", lambda settings, app, sockets, certificate: [sock.close() for sock in sockets])
    assert cli.main([*args, "--port", "0", "--server", "waitress"]) == 0
    warning = "is not loopback and no --admin-token is set: /_sim/ (control API and inbox) will refuse every request"
    assert (warning in capsys.readouterr().err) is warned
