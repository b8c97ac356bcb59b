"""A simulator in this process: `with simulator.running() as sim:` for unittest, scripts and the pytest plugin."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.server import ThreadedServer, serve_in_thread
from simulator.settings import Settings
from simulator.testing.client import SimulatorClient
from simulator.tls import certificate as tls_certificate

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
        ca: Path | None = None,
    ) -> None:
        super().__init__(url, namespace, admin_token)
        self.server = server
        self.capture = capture
        self.ca = ca  # the CA certificate to trust when the simulator serves HTTPS with its local CA
        if ca is not None:
            self.session.verify = str(ca)

    def check(self) -> None:
        """Re-raise the first error of the server thread or of a request handler, and forget the rest."""
        errors = [*(self.server.errors if self.server else []), *(self.capture.errors if self.capture else [])]
        if self.server:
            self.server.errors.clear()
        if self.capture:
            self.capture.errors.clear()
        if errors:
            raise errors[0]


def start(
    settings: Settings, providers: tuple[ProviderSpec, ...] | None, stack: ExitStack
) -> tuple[ThreadedServer, ErrorCapture, Path | None]:
    """Build the app and serve it on a thread until `stack` closes; the capture joins the "simulator" logger.

    With TLS the server also returns the CA to trust (None for a certificate of the user's own).
    """
    from simulator.app import create_app
    from simulator.providers import REGISTRY

    app = create_app(settings, REGISTRY if providers is None else providers)
    certificate = None
    if settings.serves_tls:
        hosts = [host for spec in app.extensions["simulator"].providers for host in spec.hosts]
        certificate = stack.enter_context(tls_certificate(settings, hosts))
    server = serve_in_thread(app, host=settings.host, port=settings.port, certificate=certificate)
    stack.callback(server.close)
    capture = ErrorCapture()
    logging.getLogger("simulator").addHandler(capture)
    stack.callback(logging.getLogger("simulator").removeHandler, capture)
    return server, capture, certificate.ca if certificate else None


@contextmanager
def running(
    settings: Settings | None = None,
    providers: tuple[ProviderSpec, ...] | None = None,
    namespace: str | None = None,
    **overrides,
) -> Iterator[Simulator]:
    """Serve the simulator on a free loopback port for the duration of the block.

    Defaults differ from the command line where tests want them to: port 0 (a free one) and a
    frozen clock. Errors raised while serving are re-raised when the block ends. `tls=True` serves
    HTTPS with the local CA (`sim.ca` is the file to trust; the control client already does).
    """
    settings = settings or Settings(**{"port": 0, "clock": "frozen", **overrides})
    with ExitStack() as stack:
        server, capture, ca = start(settings, providers, stack)
        sim = Simulator(server.url, namespace, settings.admin_token, server, capture, ca)
        stack.callback(sim.session.close)
        yield sim
    sim.check()
