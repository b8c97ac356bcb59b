"""Helpers for tests that start the simulator as a separate process, as a user does."""

from __future__ import annotations

import queue
import socket
import subprocess
import threading
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_line(process: subprocess.Popen, needle: str, timeout: float) -> str:
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


def wait_until_serving(process: subprocess.Popen, port: int, timeout: float = 30) -> None:
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
