"""Request size limits that hold for every way a body can arrive.

Werkzeug refuses a declared Content-Length over the cap, but a chunked body (no Content-Length) is
only cut off at the cap and then parsed as if complete. `BodyLimit` reads such a body up to the cap
first: a longer one is then seen by the app exactly like a too-long declared one (RequestEntityTooLarge,
which each provider answers in its own envelope), a shorter one as a plain body of known length.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from werkzeug.exceptions import ClientDisconnected
from werkzeug.wsgi import get_content_length

MAX_BODY = 16 * 1024 * 1024
# After refusing a body, read (and drop) up to this much more of it, so that a client still sending
# gets to read the answer instead of a reset connection; a longer body is cut off by closing.
DRAIN_LIMIT = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


class BodyLimit:
    def __init__(self, wsgi_app: Callable, limit: int = MAX_BODY, drain: int = DRAIN_LIMIT) -> None:
        self.wsgi_app = wsgi_app
        self.limit = limit
        self.drain = drain

    def __call__(self, environ: dict, start_response: Callable):
        if _streamed(environ):
            stream = environ["wsgi.input"]
            body = _read(stream, self.limit + 1)
            if len(body) > self.limit:
                _read(stream, self.drain, keep=False)
                body = b""
                environ["CONTENT_LENGTH"] = str(self.limit + 1)  # refused by werkzeug like a declared length
            else:
                environ["CONTENT_LENGTH"] = str(len(body))
            # From here on a plain body of known length (werkzeug ignores Content-Length next to "chunked").
            environ["wsgi.input"] = io.BytesIO(body)
            environ.pop("wsgi.input_terminated", None)
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        elif _bodiless(environ):
            environ.pop("wsgi.input_terminated", None)  # werkzeug then reads nothing instead of an empty stream
        return self.wsgi_app(environ, start_response)


def _streamed(environ: dict) -> bool:
    """A body without a declared length: chunked (which overrides any Content-Length, as werkzeug reads it), or,
    beyond HTTP/1, one a server terminates itself."""
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return True
    return not environ.get("CONTENT_LENGTH") and bool(environ.get("wsgi.input_terminated")) and not _http1(environ)


def _bodiless(environ: dict) -> bool:
    """No length and not chunked: over HTTP/1 that is a request without a body (RFC 9112 section 6.3), so there
    is no need to read a server's empty input stream (granian marks every input terminated) to find out."""
    return not environ.get("CONTENT_LENGTH") and _http1(environ)


def without_body(environ: dict) -> bool:
    """Whether werkzeug would read an empty body from this request, known without opening its stream: no
    length (or length 0) and a stream the server does not terminate (BodyLimit drops that mark where HTTP/1
    says there is no body)."""
    return "wsgi.input_terminated" not in environ and not get_content_length(environ)


def declared_body(environ: dict, limit: int = MAX_BODY) -> bytes | None:
    """The body of a request that declares a length within `limit`, read as werkzeug's guarded stream reads
    it (`Request.get_data`) without building that stream; None for any other request (werkzeug reads those).

    A stream the server terminates is read to its end, or to `limit` (werkzeug stops there without a word, should
    a stream go on past the length it declared); any other, for the length it declares (ClientDisconnected, a
    400, if it ends before)."""
    length = get_content_length(environ)
    if length is None or length > limit:
        return None
    stream = environ["wsgi.input"]
    if "wsgi.input_terminated" in environ:
        return _read(stream, limit)
    body = _read(stream, length)
    if len(body) < length:
        raise ClientDisconnected()
    return body


def _http1(environ: dict) -> bool:
    return environ.get("SERVER_PROTOCOL", "").startswith("HTTP/1")


def _read(stream, size: int, keep: bool = True) -> bytes:
    """Up to `size` bytes of `stream` (fewer at its end); with keep=False they are dropped as read."""
    parts, total = [], 0
    while total < size:
        data = stream.read(min(_CHUNK, size - total))
        if not data:
            break
        total += len(data)
        if keep:
            parts.append(data)
    return b"".join(parts)
