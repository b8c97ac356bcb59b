"""Body size limits hold for chunked bodies too: an over-cap body is answered exactly like an over-cap declared
one (each provider's own envelope), never truncated and parsed, never left unanswered."""

from __future__ import annotations

import base64
import io
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from simulator.limits import MAX_BODY, BodyLimit, declared_body, without_body
from tests.test_cli import ROOT, _free_port, _wait_until_serving

JSON = "application/json"
D7_AUTH = {"Authorization": "Bearer sim-d7-demo-token"}
ROUTEE_BASIC = base64.b64encode(b"5756a411e4b06a33d50517c7:vb6QpjCIOG").decode()


def _padded(size: int) -> bytes:
    """A JSON object of exactly `size` bytes."""
    head, tail = b'{"messages": [], "pad": "', b'"}'
    return head + b" " * (size - len(head) - len(tail)) + tail


def _routee_auth(client) -> dict:
    response = client.post(
        "/routee/oauth/token",
        headers={"Authorization": f"Basic {ROUTEE_BASIC}"},
        data={"grant_type": "client_credentials"},
    )
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


ENDPOINTS = [
    ("/d7/messages/v1/send", lambda client: D7_AUTH),
    ("/smsclub/vibers/send", lambda client: {"Authorization": "Bearer sim-smsclub-demo-token"}),
    ("/jsonphp/api/json.php", lambda client: {}),
    ("/routee/viber", _routee_auth),
    ("/_sim/clock", lambda client: {}),
]


@pytest.mark.parametrize(("path", "auth"), ENDPOINTS, ids=["d7", "smsclub", "jsonphp", "routee", "control"])
def test_post_chunked_body_over_the_cap_answers_like_a_declared_one(client, path, auth):
    body = _padded(MAX_BODY + 100)
    headers = {**auth(client), "Content-Type": JSON}
    declared = client.post(path, data=body, headers=headers)
    chunked = client.post(
        path,
        input_stream=io.BytesIO(body),
        headers={**headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as granian serves a chunked body
    )
    assert declared.status_code != 500
    assert (chunked.status_code, chunked.get_data()) == (declared.status_code, declared.get_data())


def test_post_chunked_body_under_the_cap_is_read_whole(client):
    body = _padded(MAX_BODY)
    chunked = client.post(
        "/d7/messages/v1/send",
        input_stream=io.BytesIO(body),
        headers={**D7_AUTH, "Content-Type": JSON, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert chunked.status_code == 422
    assert chunked.get_json()["detail"][0]["loc"] == ["body", "messages"]  # parsed whole, not cut off


@pytest.fixture(scope="module")
def granian() -> Iterator[str]:
    """`python run.py` on granian (the default server), which streams chunked bodies to the app."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_serving(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def _chunks(megabytes: int) -> Iterator[bytes]:
    yield b'{"messages": [], "pad": "'
    for _ in range(megabytes):
        yield b" " * (1 << 20)
    yield b'"}'


@pytest.mark.parametrize("megabytes", [20, 40, 100], ids=["20MB", "40MB", "100MB"])
def test_post_chunked_body_over_the_cap_to_d7_over_http_is_413_in_d7_envelope(granian, megabytes):
    response = requests.post(
        f"{granian}/d7/messages/v1/send",
        data=_chunks(megabytes),
        headers={**D7_AUTH, "Content-Type": JSON},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.content == b'{"detail":"Request Entity Too Large"}'


class _UnreadableInput(io.RawIOBase):
    def readinto(self, buffer) -> int:
        raise AssertionError("the body of a bodiless HTTP/1 request was read")


@pytest.mark.parametrize("protocol", ["HTTP/1.1", "HTTP/1.0"])
def test_http1_request_without_length_or_chunking_has_no_body_and_its_input_is_not_read(protocol):
    """As granian serves a GET: no Content-Length, input "terminated" by the server. Over HTTP/1 that is a request
    without a body (RFC 9112 section 6.3); werkzeug must not read the server's input to find that out."""
    seen = {}

    def app(environ, start_response):
        from werkzeug.wrappers import Request

        seen["body"] = Request(environ).get_data()
        start_response("200 OK", [])
        return [b""]

    environ = {
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": protocol,
        "wsgi.input": _UnreadableInput(),
        "wsgi.input_terminated": True,
    }
    BodyLimit(app)(environ, lambda status, headers: None)
    assert seen["body"] == b""


@pytest.mark.parametrize(
    "length, terminated, body",
    [
        (None, False, b""),
        ("", False, b""),
        ("0", False, b""),
        ("junk", False, b""),  # werkzeug ignores a length it cannot read, and then reads nothing
        ("2", False, b"{}"),
        (None, True, b"{}"),  # a stream the server terminates is read whatever the length says
        ("0", True, b""),
    ],
)
def test_without_body_says_what_werkzeug_would_read(length, terminated, body):
    """The journal and the body hook skip opening a request's stream when this says it is empty: it must agree
    with what werkzeug reads from the same environ, and never call a body empty that werkzeug would read."""
    from werkzeug.wrappers import Request

    environ = {"REQUEST_METHOD": "POST", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": io.BytesIO(body)}
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    if terminated:
        environ["wsgi.input_terminated"] = True
    read = Request(dict(environ)).get_data()
    assert read == body
    assert without_body(environ) == (read == b"" and not terminated)


class _Trickle(io.BytesIO):
    """A stream that hands out at most three bytes per read, as a socket may."""

    def read(self, size: int = -1) -> bytes:
        return super().read(3 if size < 0 else min(size, 3))


@pytest.mark.parametrize("stream", [io.BytesIO, _Trickle])
@pytest.mark.parametrize("terminated", [False, True])
@pytest.mark.parametrize(
    "length, body",
    [
        (None, b"{}"),
        ("", b"{}"),
        ("junk", b"{}"),
        ("-1", b"{}"),
        ("0", b""),
        ("16", b'{"message":"hi"}'),
        ("16", b'{"message":"hi"}'.ljust(40)),  # more than declared: the length is what counts
        ("16", b'{"message":'),  # less than declared: a client gone away, unless the server terminates it
        (str(MAX_BODY + 1), b"{}"),  # too long: left to werkzeug, which refuses it
    ],
)
def test_a_declared_body_is_read_as_werkzeug_reads_it(stream, terminated, length, body):
    """The pipeline reads a body of declared length itself: the same bytes, or the same exception, as werkzeug's
    `get_data` from the same environ; any other body it leaves to werkzeug (None)."""
    from werkzeug.wrappers import Request
    from werkzeug.wsgi import get_content_length

    def environ() -> dict:
        found = {"REQUEST_METHOD": "POST", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": stream(body)}
        if length is not None:
            found["CONTENT_LENGTH"] = length
        if terminated:
            found["wsgi.input_terminated"] = True
        return found

    def outcome(read):
        try:
            return read()
        except Exception as exc:  # werkzeug's ClientDisconnected or RequestEntityTooLarge
            return type(exc)

    own = outcome(lambda: declared_body(environ()))
    declared = get_content_length(environ())  # werkzeug's reading: junk and negative lengths are 0
    if declared is None or declared > MAX_BODY:
        assert own is None
    else:
        request = Request(environ())
        request.max_content_length = MAX_BODY
        assert own == outcome(request.get_data)


def test_a_terminated_body_longer_than_it_declared_is_read_as_werkzeug_reads_it():
    """A server that terminates its stream may (in theory) hand out more than the length declared: werkzeug
    reads it to its end, but no further than the cap, and says nothing; the pipeline's read does the same."""
    from werkzeug.wrappers import Request

    def environ() -> dict:
        return {
            "REQUEST_METHOD": "POST",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_LENGTH": "2",
            "wsgi.input": io.BytesIO(b"{}" + b" " * MAX_BODY),
            "wsgi.input_terminated": True,
        }

    request = Request(environ())
    request.max_content_length = MAX_BODY
    assert declared_body(environ()) == request.get_data() == b"{}" + b" " * (MAX_BODY - 2)
