"""`format=curl`: the run as a POSIX shell script of copy-paste curl commands, secrets as placeholders.

Each provider request prints its answer and a newline; the set-up, clock moves and operator actions go
to the control API quietly. Secrets are shell variables the script demands before it sends anything:
an account credential becomes PROVIDER_ACCOUNT_CREDENTIAL (HTTP Basic pairs use `curl -u`), a secret
the simulator does not know (a wrong credential, a token it issued) becomes SECRET_<n>.
"""

from __future__ import annotations

import json
import re

from simulator.control.exports.run import Action, Run, iso_micro, seconds_text
from simulator.core.journal import SECRET_HEADERS, replace_query_secrets, replace_secrets
from simulator.core.replay import TRANSPORT_HEADERS, Origin, Secrets

_MARK = "\x00"  # brackets a variable name inside text that is otherwise quoted literally


def quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _word(text: str) -> str:
    """One shell word: literal pieces single-quoted, marked variable names as "${NAME}"."""
    pieces = text.split(_MARK)
    word = "".join(quote(piece) if i % 2 == 0 else f'"${{{piece}}}"' for i, piece in enumerate(pieces) if piece)
    return word or "''"


def _safe(text: str) -> str:
    """Text for a ${NAME:?message}: nothing the shell would expand or that would end the word."""
    return re.sub(r'[$`"\\}]', "?", text)


def _variable(origin: Origin) -> str:
    return re.sub(r"\W+", "_", f"{origin.provider}_{origin.account}_{origin.credential}").upper()


class _Placeholders:
    """The shell variables a script needs, in order of first use, with what each one stands for."""

    def __init__(self, secrets: Secrets) -> None:
        self._secrets = secrets
        self.described: dict[str, str] = {}

    def _name(self, origin: Origin) -> str:
        name = _variable(origin)
        self.described.setdefault(name, f"credential {origin.credential} of {origin.provider} account {origin.account}")
        return name

    def _unknown(self, masked: str) -> str:
        meaning = f"the secret recorded as {masked!r} (not a configured credential)"
        for name, described in self.described.items():
            if described == meaning:
                return name
        name = f"SECRET_{sum(1 for known in self.described if known.startswith('SECRET_')) + 1}"
        self.described[name] = meaning
        return name

    def marked(self, masked: str) -> str:
        """The masked value as text with a variable mark, e.g. "Bearer " + ${D7_DEMO_API_TOKEN}."""
        found = self._secrets.find(masked)
        if found is None or len(found.origins) != 1:
            scheme = masked.rpartition(" ")[0]
            variable = f"{_MARK}{self._unknown(masked)}{_MARK}"
            return f"{scheme} {variable}" if scheme else variable
        variable = f"{_MARK}{self._name(found.origins[0])}{_MARK}"
        return f"{found.scheme} {variable}" if found.scheme else variable

    def basic_pair(self, masked: str) -> str | None:
        """`-u` credentials for an HTTP Basic header made of two account credentials."""
        found = self._secrets.find(masked)
        if found is None or found.scheme.lower() != "basic" or len(found.origins) != 2:
            return None
        first, second = (self._name(origin) for origin in found.origins)
        return f'"${{{first}}}:${{{second}}}"'


def _request(entry: dict, placeholders: _Placeholders) -> list[str]:
    query = replace_query_secrets(entry.get("query", ""), placeholders.marked)
    path = entry["path"] + (f"?{query}" if query else "")
    lines = [f"curl -sS -w '\\n' -X {entry['method']} \"$SIM_URL\"{_word(path)}"]
    names = set()
    for name, value in entry.get("headers", {}).items():
        if name.lower() in TRANSPORT_HEADERS:
            continue
        names.add(name.lower())
        if name.lower() in SECRET_HEADERS:
            pair = placeholders.basic_pair(value) if name.lower() == "authorization" else None
            if pair:
                lines.append(f"-u {pair}")
                continue
            value = placeholders.marked(value)
        lines.append(f"-H {_word(f'{name}: {value}')}")
    body = entry.get("body", "")
    if body:
        if "content-type" not in names:  # curl would add its own form type
            lines.append("-H 'Content-Type:'")
        lines.append(f"--data-raw {_word(replace_secrets(body, placeholders.marked))}")
    return [" \\\n  ".join(lines)]


def _control(method: str, path: str, body: object) -> str:
    data = json.dumps(body, ensure_ascii=False)
    return (
        f'curl -fsS -o /dev/null -X {method} "$SIM_URL"{quote(path)} '
        f"-H 'Content-Type: application/json' --data-raw {quote(data)}"
    )


def _action(action: Action, placeholders: _Placeholders) -> list[str]:
    if action.kind == "advance":
        comment = f"# {action.note}" if action.note else "# time passed"
        return [comment, _control("POST", "/_sim/clock", {"advance": seconds_text(action.seconds)})]
    if action.kind == "set":
        return [
            f"# {action.note or 'the clock went back'}",
            _control("POST", "/_sim/clock", {"set": iso_micro(action.at)}),
        ]
    entry = action.entry or {}
    comment = f"# journal entry {entry['index']}"
    if action.kind == "request":
        return [comment, *_request(entry, placeholders)]
    what = entry["action"]
    if what == "force":
        body = {"status": entry["status"], "reason": entry.get("reason")}
        return [comment, _control("POST", f"/_sim/messages/{entry['message']}/status", body)]
    if what == "reply":
        body = {"text": entry.get("text"), "media": entry.get("media")}
        return [comment, _control("POST", f"/_sim/messages/{entry['message']}/reply", body)]
    if what == "seed":
        return [comment, _control("POST", "/_sim/seed", {"seed": entry["seed"]})]
    if what == "bind_scenario":
        return [comment, _control("PUT", "/_sim/scenarios", {"bindings": entry["bindings"]})]
    return [comment, _control("PUT", "/_sim/faults", {"faults": entry["faults"]})]


def render(run: Run) -> str:
    placeholders = _Placeholders(Secrets(run.accounts))
    body: list[str] = []
    for action in run.actions():
        body += _action(action, placeholders)
    seed = (
        [_control("POST", "/_sim/seed", {"seed": run.seed})]
        if run.seed is not None
        else ["# recorded without a seed: ids and texts will differ"]
    )
    head = [
        "#!/bin/sh",
        f"# Recorded by provider-simulator {run.version}: {run.title} of namespace {run.namespace!r} "
        f"({len(run.requests)} requests).",
        "# Each request prints its answer. Point SIM_URL at a simulator (append /_ns/<name> for a namespace).",
        "set -e",
        f'SIM_URL="${{SIM_URL:-{run.base_url}}}"',
    ]
    if placeholders.described:
        head.append("# Secrets are placeholders: set these variables first.")
        head += [f': "${{{name}:?{_safe(meaning)}}}"' for name, meaning in placeholders.described.items()]
    setup = ["# The recording's seed and start instant", *seed]
    setup.append(_control("POST", "/_sim/clock", {"freeze": iso_micro(run.start)}))
    return "\n".join([*head, *setup, *body]) + "\n"
