"""GET /_sim/metrics: the simulator's state in Prometheus text format (version 0.0.4).

Everything is a gauge computed from what the store holds now (the journal is bounded, so these
are not lifetime counters).
"""

from __future__ import annotations

import json
from collections import Counter

from flask import Response

from simulator.control.blueprint import chosen_namespace, control, operator

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_HELP = {
    "sim_up": "1 while the simulator answers.",
    "sim_namespaces": "Namespaces in use.",
    "sim_messages": "Messages held, by namespace, provider and current status.",
    "sim_journal_entries": "Journal entries held, by namespace and kind.",
    "sim_requests": "Journalled provider requests, by namespace, provider and response status.",
    "sim_webhook_attempts": "Journalled webhook attempts, by namespace and outcome.",
    "sim_scheduled_jobs": "Transitions, replies and retries waiting on the clock, by namespace.",
    "sim_evicted_messages": "Messages retention evicted, by namespace (since the namespace was last reset).",
}


def _escape(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(labels: dict) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{name}="{_escape(value)}"' for name, value in labels.items()) + "}"


def collect(names: list[str]) -> dict[str, Counter]:
    """metric name -> Counter of label tuples."""
    found: dict[str, Counter] = {name: Counter() for name in _HELP}
    found["sim_up"][()] = 1
    found["sim_namespaces"][()] = len(names)
    for name in names:
        door = operator().of(name)
        for (provider, status), count in door.message_counts().items():
            found["sim_messages"][(("namespace", name), ("provider", provider), ("status", status))] = count
        for counted, count in door.journal_counts().items():
            kind, *labels = json.loads(counted)  # what journal.tally counts the entries under
            found["sim_journal_entries"][(("namespace", name), ("kind", kind))] += count
            if kind == "request":
                provider, code = labels
                found["sim_requests"][(("namespace", name), ("provider", provider), ("code", code))] += count
            elif kind == "webhook":
                found["sim_webhook_attempts"][(("namespace", name), ("outcome", labels[0]))] += count
        found["sim_scheduled_jobs"][(("namespace", name),)] = door.pending_jobs()
        found["sim_evicted_messages"][(("namespace", name),)] = door.evictions()
    return found


def render(found: dict[str, Counter]) -> str:
    lines = []
    for metric, help_text in _HELP.items():
        lines += [f"# HELP {metric} {help_text}", f"# TYPE {metric} gauge"]
        for labels, value in sorted(found[metric].items(), key=lambda item: str(item[0])):
            lines.append(f"{metric}{_labels(dict(labels))} {value}")
    return "\n".join(lines) + "\n"


@control.get("/metrics")
def metrics() -> Response:
    chosen = chosen_namespace()
    names = [chosen] if chosen else operator().live_namespaces()
    return Response(render(collect(names)), 200, content_type=CONTENT_TYPE)
