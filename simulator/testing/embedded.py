"""A simulator in this process: `with simulator.running() as sim:` for unittest, scripts and the pytest plugin."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from simulator.server import ThreadedServer, serve_in_thread
from simulator.settings import Settings
from simulator.testing.client import SimulatorClient

if TYPE_CHECKING:
    from simulator.providers.base import ProviderSpec


class ErrorCapture(logging.Handler):
    """Collects exceptions the app logged while answering (they became 500s) so a test can re-raise them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


class Simulator(SimulatorClient):
    """A control client that also owns the server it talks to (if it runs in this process)."""

    def __init__(
        self,
        url: str,
        namespace: str | None = None,
        admin_token: str | None = None,
        server: ThreadedServer | None = None,
        capture: ErrorCapture | None = None,
    ) -> None:
        super().__init__(url, namespace, admin_token)
        self.server = server
        self.capture = capture

    def check(self) -> None:
        """Re-raise the first error of the server thread or of a request handler, and forget the rest."""
        errors = [*(self.server.errors if self.server else []), *(self.capture.errors if self.capture else [])]
        if self.server:
            self.server.errors.clear()
        if self.capture:
            self.capture.errors.clear()
        if errors:
            raise errors[0]


def start(settings: Settings, providers: tuple[ProviderSpec, ...] | None = None) -> tuple[ThreadedServer, ErrorCapture]:
    """Build the app and serve it on a thread; the capture is attached to the "simulator" logger."""
    from simulator.app import create_app
    from simulator.providers import REGISTRY

    app = create_app(settings, REGISTRY if providers is None else providers)
    server = serve_in_thread(app, host=settings.host, port=settings.port)
    capture = ErrorCapture()
    logging.getLogger("simulator").addHandler(capture)
    return server, capture


def stop(server: ThreadedServer, capture: ErrorCapture) -> None:
    logging.getLogger("simulator").removeHandler(capture)
    server.close()


@contextmanager
def running(
    settings: Settings | None = None,
    providers: tuple[ProviderSpec, ...] | None = None,
    namespace: str | None = None,
    **overrides,
) -> Iterator[Simulator]:
    """Serve the simulator on a free loopback port for the duration of the block.

    Defaults differ from the command line where tests want them to: port 0 (a free one) and a
    frozen clock. Errors raised while serving are re-raised when the block ends.
    """
    settings = settings or Settings(**{"port": 0, "clock": "frozen", **overrides})
    server, capture = start(settings, providers)
    sim = Simulator(server.url, namespace, settings.admin_token, server, capture)
    try:
        yield sim
    finally:
        sim.session.close()
        stop(server, capture)
    sim.check()
