"""`format=pytest`: a test file that replays the run through the pytest plugin and asserts the same answers."""

from __future__ import annotations

from simulator.control.exports.run import Action, Run, iso_micro
from simulator.core.replay import TRANSPORT_HEADERS

_INDENT = " " * 4


def _call(name: str, *args: object, comment: str | None = None, **kwargs: object) -> list[str]:
    parts = [repr(arg) for arg in args] + [f"{key}={value!r}" for key, value in kwargs.items()]
    line = f"{_INDENT}run.{name}({', '.join(parts)})"
    suffix = f"  # {comment}" if comment else ""
    if len(line) + len(suffix) <= 120:
        return [line + suffix]
    lines = [f"{_INDENT}run.{name}(" + suffix]
    lines += [f"{_INDENT * 2}{part}," for part in parts]
    return [*lines, f"{_INDENT})"]


def _action(action: Action) -> list[str]:
    if action.kind == "advance":
        return _call("advance", action.seconds, comment=action.note or "time passed")
    if action.kind == "set":
        return _call("set", iso_micro(action.at), comment=action.note or "the clock went back")
    entry = action.entry or {}
    if action.kind == "request":
        extra = {"query": entry["query"]} if entry.get("query") else {}
        return _call(
            "request",
            entry["method"],
            entry["path"],
            **extra,
            headers={
                name: value for name, value in entry.get("headers", {}).items() if name.lower() not in TRANSPORT_HEADERS
            },
            body=entry.get("body", ""),
            status=entry["status"],
            response=entry.get("response", ""),
            comment=f"journal entry {entry['index']}",
        )
    fields = {key: value for key, value in entry.items() if key not in ("kind", "time", "index", "action")}
    return _call(entry["action"], **fields, comment=f"journal entry {entry['index']}")


def render(run: Run) -> str:
    how = (
        "the recorded response bytes"
        if run.exact
        else "the recorded response bytes, with ids and times the seed does not fix normalised"
    )
    lines = [
        f'"""Recorded by provider-simulator {run.version}: {run.title} of namespace {run.namespace!r} '
        f"({len(run.requests)} requests).",
        "",
        "Replays the requests through the pytest plugin (fixtures `simulator`, `sim_clock`) with the same",
        f"seed, a frozen clock and the same clock moves, and asserts the same statuses and {how}.",
        "Secrets stay masked here and are found again among the simulator's accounts. Run it against a",
        "simulator with the scenarios and accounts the recording used.",
        '"""',
        "",
        "from simulator.testing.replay import Replay",
        "",
        "",
        f"def test_replay_{run.slug}_gives_recorded_answers(simulator, sim_clock):",
        f"{_INDENT}run = Replay(simulator, sim_clock, seed={run.seed!r}, start={iso_micro(run.start)!r}, "
        f"exact={run.exact!r})",
    ]
    for action in run.actions():
        lines += _action(action)
    return "\n".join(lines) + "\n"
