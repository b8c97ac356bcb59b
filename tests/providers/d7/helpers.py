"""Shared pieces of the D7 tests: the demo token, request bodies and a local DLR receiver."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "sim-d7-demo-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def viber_body(*recipients: str, callback: str | None = None, **message) -> dict:
    """The body direct7's send_viber_message builds (sdk: direct7 0.0.16 viber.py)."""
    message = {"channel": "viber", "recipients": list(recipients), "content": "hi", "label": "PROMOTION", **message}
    return {"messages": [message], "message_globals": {"originator": "INFO2WAY", "call_back_url": callback}}


def sms_body(*recipients: str, report_url: str | None = None, **globals_) -> dict:
    """The body direct7's send_messages builds (sdk: direct7 0.0.16 sms.py)."""
    message = {"channel": "sms", "recipients": list(recipients), "content": "hi", "msg_type": "text"}
    options = {"report_url": report_url, "schedule_time": None, "tag": None, **globals_}
    return {"messages": [{**message, "data_coding": "text"}], "message_globals": {"originator": "SignOTP", **options}}


@dataclass
class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that records posts and answers with `statuses` in turn."""

    url: str
    posts: list[tuple[dict, bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[tuple[dict, bytes]]:
        """The first `count` posts, waiting on a condition (no sleeps) until they have arrived."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.posts) >= count, timeout)
            return list(self.posts)

    def bodies(self, count: int) -> list[bytes]:
        return [body for _, body in self.wait_for(count)]


@contextmanager
def receiver(statuses: list[int] | None = None) -> Iterator[Receiver]:
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            sink = box[0]
            with sink.arrived:
                status = sink.statuses.pop(0) if sink.statuses else 200
                sink.posts.append((dict(self.headers), body))
                sink.arrived.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(f"http://127.0.0.1:{server.server_address[1]}/dlr", statuses=list(statuses or [])))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()
