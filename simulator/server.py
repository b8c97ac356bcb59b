"""Serving the app: granian (default) or waitress, and a waitress server in a thread for tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from waitress.server import create_server


@dataclass
class ThreadedServer:
    """A real HTTP server on a free loopback port, run in a background thread."""

    host: str
    port: int
    close: Callable[[], None]
    errors: list[BaseException]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def serve_in_thread(app: Callable, host: str = "127.0.0.1", port: int = 0, threads: int = 16) -> ThreadedServer:
    """16 threads: as many as `python run.py --server waitress`, twice the default --max-waits."""
    server = create_server(app, host=host, port=port, threads=threads, ident="", clear_untrusted_proxy_headers=True)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            server.run()
        except OSError:  # raised by asyncore when close() happens during select()
            pass
        except BaseException as exc:  # re-raised in the test by the plugin
            errors.append(exc)

    thread = threading.Thread(target=run, name="sim-server", daemon=True)
    thread.start()

    def close() -> None:
        server.close()
        thread.join(timeout=5)

    return ThreadedServer(host, server.effective_port, close, errors)
