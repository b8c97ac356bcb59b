"""`format=golden`: one case per request in the project's golden-file format (tests/golden/README.md).

A golden case is a seed, a frozen start, set-up steps and one request whose answer must be exact bytes,
with secrets spelled out. The journal masks secrets and answers, so the cases are made by replaying the
run on a scratch simulator with the same seed, accounts and scenarios: every answer there must be the
recorded one (ids and times normalised when the recording had no seed), and the case keeps the
scratch's exact bytes with provenance `recorded`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from simulator.control.exports.run import Run, iso_micro, seconds_text
from simulator.core.replay import Prepared, Replayer, is_variable

GOLDEN_SEED = 1  # tests/test_golden.py's seed when a case names none


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str | None


@dataclass(frozen=True)
class Scratch:
    """A simulator the run is replayed on: send a request, move its clock."""

    send: Callable[[Prepared], Answer]
    advance: Callable[[float], None]


class NotExpressible(Exception):
    """The selection does something a golden case cannot say (operator actions, the clock going back)."""


class NotReproduced(Exception):
    """The scratch replay answered differently from the recording."""


def _endpoint(path: str) -> str:
    """The case's folder: the path under the provider's prefix, e.g. /d7/messages/v1/send -> messages_v1_send."""
    segments = [part for part in path.split("/")[2:] if part and not is_variable(part)]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", "_".join(segments)) or "root"


def cases(run: Run, scratch: Scratch) -> dict[str, bytes]:
    """Relative file name -> content, two files per request."""
    replayer = Replayer(run.accounts, run.exact)
    seed = run.seed if run.seed is not None else GOLDEN_SEED
    setup: list[dict] = []
    files: dict[str, bytes] = {}
    for action in run.actions():
        if action.kind == "advance":
            scratch.advance(action.seconds)
            setup.append({"advance": seconds_text(action.seconds)})
            continue
        if action.kind != "request":
            what = "the clock going back" if action.kind == "set" else f"operator action {action.entry['action']!r}"
            raise NotExpressible(f"golden cases cannot replay {what}; export this run as pytest")
        entry = action.entry
        sent = replayer.prepare(entry["method"], entry["path"], entry.get("query", ""), entry["headers"], entry["body"])
        answer = scratch.send(sent)
        problem = replayer.check(entry["status"], entry.get("response", ""), answer.status, answer.body)
        if problem:
            raise NotReproduced(f"journal entry {entry['index']} answered differently on replay: {problem}")
        request = {"method": sent.method, "path": sent.path, "headers": sent.headers, "body": sent.body}
        if sent.query:
            request["query"] = sent.query
        case = {
            "provenance": "recorded",
            "source": f"journal entry {entry['index']} of namespace {run.namespace!r} ({run.title}), "
            f"provider-simulator {run.version}",
            "seed": seed,
            "clock": iso_micro(run.start),
            **({"setup": list(setup)} if setup else {}),
            "request": request,
            "status": answer.status,
            **({"headers": {"Content-Type": answer.content_type}} if answer.content_type else {}),
        }
        name = f"{entry['provider']}/{_endpoint(entry['path'])}/{answer.status}_recorded_{entry['index']}"
        files[f"{name}.yaml"] = yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=1 << 16).encode("utf-8")
        files[f"{name}.body"] = answer.body
        setup.append({"request": request})
    return files


def render(run: Run, scratch: Scratch) -> bytes:
    """The cases as a zip archive to unpack into tests/golden/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in cases(run, scratch).items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()
