"""Binding sockets up front, and the in-thread server's shutdown."""

from __future__ import annotations

import errno
import logging
import socket

import pytest
import requests
import waitress.trigger

from simulator.server import ListenError, bind, serve_in_thread


def _hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def test_bind_port_served_with_reuseport_is_refused():
    """Granian's workers listen with SO_REUSEPORT; a second simulator must not join them."""
    with socket.socket() as worker:
        worker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        worker.bind(("127.0.0.1", 0))
        worker.listen()
        port = worker.getsockname()[1]
        with pytest.raises(ListenError, match=rf"^127\.0\.0\.1:{port} is already in use"):
            bind("127.0.0.1", port)


def test_bind_held_port_lets_reuseport_listener_join():
    """The port the command line holds while granian serves does not keep granian's workers out."""
    with bind("127.0.0.1", 0) as held, socket.socket() as worker:
        worker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        worker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        worker.bind(held.getsockname())
        worker.listen()


@pytest.mark.parametrize(
    ("host", "message"),
    [("999.1.1.1", "--host 999.1.1.1: "), ("192.0.2.1", "--host 192.0.2.1: not an address of this machine")],
    ids=["not-an-address", "not-this-machine"],
)
def test_bind_bad_host_raises_one_line(host, message):
    with pytest.raises(ListenError, match=f"^{message}") as error:
        bind(host, 0)
    assert "\n" not in str(error.value)


def test_close_after_keep_alive_request_ends_every_thread_quietly(caplog):
    server = serve_in_thread(_hello)
    with requests.Session() as session:  # the connection stays open while the server closes
        assert session.get(server.url).text == "hello"
        with caplog.at_level(logging.DEBUG, logger="waitress"):
            server.close()
    assert not server.alive()
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []
    assert server.errors == []


def test_close_without_the_trigger_still_stops_the_loop_and_frees_the_port(monkeypatch):
    """Once in CI the trigger pipe that wakes waitress's loop was gone when a test closed its server."""
    server = serve_in_thread(_hello)
    assert requests.get(server.url, timeout=10).text == "hello"

    def gone(self, thunk=None):
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr(waitress.trigger.trigger, "pull_trigger", gone)
    server.close()
    assert not server.alive()
    assert server.errors == []
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url, timeout=10)


def test_waitress_keeps_accepting_beyond_its_default_100_open_connections():
    """Keep-alive clients and open /_sim/wait calls of a test suite can hold more than waitress's default
    connection limit (100); the next client must still be answered, not left hanging."""
    server = serve_in_thread(_hello)
    held = []
    try:
        for _ in range(150):
            held.append(socket.create_connection((server.host, server.port), timeout=5))
        assert requests.get(server.url, timeout=10).text == "hello"
    finally:
        for connection in held:
            connection.close()
        server.close()
