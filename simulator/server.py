"""Serving the app: sockets bound up front, granian (default) or waitress, and waitress in a thread for tests."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass

from waitress import wasyncore
from waitress.server import create_server
from werkzeug.serving import WSGIRequestHandler, make_server

from simulator.core.errors import ConfigError
from simulator.settings import Settings
from simulator.tls import Certificate, url_host

# Granian warns when a worker may run more Python threads than 2 x CPUs + 1. Ours are mostly idle:
# every waiting GET /_sim/wait holds one, so a small pool would let a few long polls starve the providers.
BLOCKING_THREADS = 32


class ListenError(Exception):
    """A socket could not be bound; the message is one line for the command line."""


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port (port 0: one the system chooses), not listening yet.

    SO_REUSEADDR lets a restart take a port whose old connections linger in TIME_WAIT; on POSIX it
    still refuses a port that another server listens on, which is how a second start is refused.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise ListenError(f"--host {host}: {exc.strerror}") from exc
    sock = socket.socket(family, kind, proto)
    try:
        if os.name == "posix":  # on Windows the same option would let two servers share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ListenError(_bind_failure(exc, host, port)) from exc
    return sock


def _bind_failure(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"{host}:{port} is already in use (another simulator?): stop it or choose another --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"--host {host}: not an address of this machine"
    if exc.errno == errno.EACCES:
        return f"{host}:{port}: permission denied (ports below 1024 need privileges)"
    return f"cannot listen on {host}:{port}: {exc.strerror}"


def check_tls(settings: Settings) -> None:
    """HTTPS is granian's own TLS; waitress has none, so the combinations that need waitress are refused."""
    if not settings.serves_tls:
        return
    if settings.server == "waitress":
        raise ConfigError("--tls", "", "waitress has no TLS; serve HTTPS with --server granian (the default)")
    if settings.provider_ports:
        raise ConfigError(
            "--tls",
            "",
            "dedicated provider ports are served by waitress, which has no TLS; with HTTPS every provider "
            "is reached on the main port by its real hostname",
        )


# Waitress stops accepting connections at 100 open ones by default: a test suite's keep-alive clients plus
# open /_sim/wait calls reach that, and every later client then hangs. Kept under the usual 1,024 descriptors.
WAITRESS_CONNECTIONS = 500


def serve(settings: Settings, app: Callable, sockets: list[socket.socket], certificate: Certificate | None) -> None:
    """Serve until interrupted: granian on one socket, waitress when there are dedicated provider ports."""
    if settings.server == "granian" and len(sockets) == 1:
        serve_granian(settings, sockets[0], certificate)
        return
    if settings.server == "granian":
        logging.getLogger("simulator").info(
            "dedicated provider ports need one process on several sockets: serving with waitress"
        )
    import waitress

    waitress.serve(app, sockets=sockets, threads=16, ident="", connection_limit=WAITRESS_CONNECTIONS)


def serve_granian(settings: Settings, sock: socket.socket, certificate: Certificate | None) -> None:
    """Granian's worker processes bind the port themselves (SO_REUSEPORT); `sock` stays bound, never
    listening, for as long as they serve, so a second simulator on the same port is refused instead of
    silently sharing its connections."""
    from granian.constants import Interfaces, SSLProtocols
    from granian.log import logger as granian_logger
    from granian.server import Server

    os.environ.update(settings.to_env())  # the worker process rebuilds the app from these
    server = Server(
        "simulator.app:app_from_env",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        factory=True,
        websockets=False,  # WSGI has none; saying so on every start is noise
        blocking_threads=BLOCKING_THREADS,
        workers_kill_timeout=10,  # a stuck worker must not keep Ctrl-C from stopping the server
        log_level=settings.log_level if settings.log_level != "warning" else "warn",
        ssl_cert=certificate.cert if certificate else None,
        ssl_key=certificate.key if certificate else None,
        ssl_protocol_min=SSLProtocols.tls12,  # granian's default, 1.3 only, would turn away older PHP and Java stacks
    )
    granian_logger.addFilter(lambda record: "Python threads" not in record.getMessage())  # BLOCKING_THREADS
    # A forked worker inherits the main process's signal handlers, which only flag the main process's
    # server object: a stop signal while the worker builds the app would be lost, and the main process
    # would wait workers_kill_timeout before killing it. Until granian installs the worker's own
    # handlers, the default action stops it.
    os.register_at_fork(after_in_child=_default_stop_signals)
    with sock:
        server.serve()


def _default_stop_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class ThreadedServer:
    """A real HTTP(S) server on a free loopback port, run in a background thread."""

    host: str
    port: int
    close: Callable[[], None]
    errors: list[BaseException]
    alive: Callable[[], bool]  # True while the server thread or any request thread still runs
    scheme: str = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{url_host(self.host)}:{self.port}"


def serve_in_thread(
    app: Callable, host: str = "127.0.0.1", port: int = 0, threads: int = 16, certificate: Certificate | None = None
) -> ThreadedServer:
    """16 threads: as many as `python run.py --server waitress`, twice the default --max-waits.

    With a certificate, werkzeug's threaded server (a thread per request), because waitress has no TLS.
    """
    if certificate is not None:
        return _serve_tls_in_thread(app, host, port, certificate)
    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="",
        clear_untrusted_proxy_headers=True,
        connection_limit=WAITRESS_CONNECTIONS,
    )
    errors: list[BaseException] = []
    stopping = threading.Event()
    loop_timeout, use_poll = server.adj.asyncore_loop_timeout, server.adj.asyncore_use_poll

    def run() -> None:
        # waitress's own loop until close() asks it to stop: one select (at most asyncore_loop_timeout, 1 s)
        # per turn, so the flag is seen even when the trigger that wakes it cannot be written.
        try:
            while server._map and not stopping.is_set():
                wasyncore.loop(loop_timeout, use_poll, server._map, count=1)
        except BaseException as exc:  # re-raised in the test by the plugin
            errors.append(exc)

    thread = threading.Thread(target=run, name="sim-server", daemon=True)
    thread.start()
    dispatcher = server.task_dispatcher

    def close() -> None:
        # Let requests in progress finish first: each one wakes the loop through the trigger when done.
        dispatcher.shutdown()
        stopping.set()
        # Wakes the loop now rather than at the end of its select. Once in CI the trigger's pipe was already
        # gone ("Bad file descriptor", after every request had been answered): the loop still stops within
        # one select timeout, so the close goes on.
        with contextlib.suppress(OSError):
            server.trigger.pull_trigger()
        thread.join()
        # The loop has ended: nothing else touches the sockets (closing them under a running select() would
        # fail it with "Bad file descriptor").
        wasyncore.close_all(server._map)

    def alive() -> bool:
        return thread.is_alive() or bool(dispatcher.threads)

    return ThreadedServer(host, server.effective_port, close, errors, alive)


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No access log line per request (waitress writes none either); errors are still logged."""


def _serve_tls_in_thread(app: Callable, host: str, port: int, certificate: Certificate) -> ThreadedServer:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate.cert, certificate.key)
    server = make_server(host, port, app, threaded=True, request_handler=_QuietRequestHandler, ssl_context=context)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            server.serve_forever(poll_interval=0.1)  # how long close() may wait for the loop to notice
        except BaseException as exc:  # re-raised in the test by the plugin
            errors.append(exc)

    thread = threading.Thread(target=run, name="sim-tls-server", daemon=True)
    thread.start()

    def close() -> None:
        server.shutdown()
        server.server_close()
        thread.join()

    return ThreadedServer(host, server.server_port, close, errors, thread.is_alive, scheme="https")
