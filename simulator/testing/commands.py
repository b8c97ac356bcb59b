"""`provider-simulator <command>`: a command-line companion to a running simulator.

Each command talks to the control API (`--url`, default $SIM_URL or the local simulator;
`--namespace`), prints a readable table (or `--json`), and on any failure prints one line and exits
non-zero, never a traceback. `lint` works offline on scenario files.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import requests
import yaml

from simulator.core.clock import parse_duration
from simulator.core.errors import ConfigError
from simulator.core.scenarios import ScenarioSet, load_text
from simulator.testing.client import SimulatorClient, SimulatorError, WaitTimeout

PROG = "provider-simulator"
DEFAULT_URL = "http://127.0.0.1:8080"
MESSAGE_FILTERS = ("provider", "to", "status", "channel", "account", "contains", "since")


class CommandError(Exception):
    """A failure to report in one line (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, no usage dump
        self.exit(2, f"{self.prog}: {message}\n")


# ---------------------------------------------------------------- output


def _cell(value: object, width: int = 40) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def table(rows: list[dict], columns: Sequence[str]) -> str:
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max([len(column), *(len(line[i]) for line in cells)]) for i, column in enumerate(columns)]
    lines = [list(columns), *cells]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _show(args: argparse.Namespace, data: object, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else text)


# ---------------------------------------------------------------- send: one message as a client would


@dataclass(frozen=True)
class Recipe:
    """How a client of one provider sends one message: path, credential use and body, per channel."""

    channels: dict[str, str]  # channel -> path under the provider's base URL
    sender: str  # a sender the demo account may use
    body: Callable[[str, str, str, str], dict]  # (channel, to, text, sender) -> JSON body
    auth: Callable[[dict[str, str], str], tuple[dict, dict]]  # (credentials, base url) -> (headers, body fields)


def _bearer(name: str) -> Callable[[dict[str, str], str], tuple[dict, dict]]:
    return lambda credentials, base: ({"Authorization": f"Bearer {credentials[name]}"}, {})


def _in_body(name: str) -> Callable[[dict[str, str], str], tuple[dict, dict]]:
    return lambda credentials, base: ({}, {name: credentials[name]})


def _oauth(credentials: dict[str, str], base: str) -> tuple[dict, dict]:
    answer = requests.post(
        f"{base}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(credentials["application_id"], credentials["application_secret"]),
        timeout=30,
    )
    if answer.status_code != 200:
        raise CommandError(f"the OAuth token request answered {answer.status_code}: {answer.text}")
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}, {}


def _digits(number: str) -> int | str:
    plain = re.sub(r"\D", "", number)
    return int(plain) if plain else number


RECIPES = {
    "smsclub": Recipe(
        {"sms": "/sms/send", "viber": "/vibers/send"},
        "Tesst",
        lambda channel, to, text, sender: (
            {"phone": [to], "message": text, "src_addr": sender}
            if channel == "sms"
            else {"sender": sender, "phones": [to], "message": text}
        ),
        _bearer("token"),
    ),
    "d7": Recipe(
        {"sms": "/messages/v1/send", "viber": "/viber/v1/send"},
        "SignOTP",
        lambda channel, to, text, sender: {
            "messages": [{"channel": channel, "recipients": [to], "content": text}]
            if channel == "sms"
            else [{"channel": channel, "recipients": [to], "content": text, "label": "PROMOTION"}],
            "message_globals": {"originator": sender},
        },
        _bearer("api_token"),
    ),
    "jsonphp": Recipe(
        {"sms": "/api/json.php", "viber": "/api/json.php"},
        "SMSTest",
        lambda channel, to, text, sender: {
            "data": [
                {"type": "sms", "id": 1, "phone": _digits(to), "sms_signature": sender, "sms_message": text}
                if channel == "sms"
                else {
                    "type": "viber",
                    "id": 1,
                    "phone": _digits(to),
                    "viber_type": "text",
                    "viber_signature": "ViberTest",
                    "viber_message": text,
                }
            ]
        },
        _in_body("auth"),
    ),
    "routee": Recipe(
        {"viber": "/viber"},
        "5a7b1f0e2e4b0a1b2c3d4e5f",  # the demo account's senderInfoTrackingId
        lambda channel, to, text, sender: {"senderInfoTrackingId": sender, "to": to, "body": {"text": text}},
        _oauth,
    ),
}


def cmd_send(client: SimulatorClient, args: argparse.Namespace) -> int:
    providers = {item["name"]: item for item in client.call("GET", "/")["providers"]}
    found = providers.get(args.provider)
    recipe = RECIPES.get(args.provider)
    if found is None or recipe is None:
        known = ", ".join(sorted(name for name in providers if name in RECIPES))
        raise CommandError(f"unknown provider {args.provider!r} (send knows: {known})")
    channel = args.channel or next(iter(recipe.channels))
    if channel not in recipe.channels:
        raise CommandError(f"{args.provider} sends {', '.join(recipe.channels)}, not {channel}")
    credentials = found["demo_credentials"]
    base = found["base_urls"][0]
    headers, fields = recipe.auth(credentials, base)
    body = {**fields, **recipe.body(channel, args.to, args.text, args.sender or recipe.sender)}
    answer = requests.post(f"{base}{recipe.channels[channel]}", json=body, headers=headers, timeout=30)
    try:
        shown: object = answer.json()
    except ValueError:
        shown = answer.text
    _show(
        args,
        {"provider": args.provider, "status": answer.status_code, "response": shown},
        f"{args.provider} answered {answer.status_code}\n{answer.text}",
    )
    return 0 if answer.status_code < 400 else 1


# ---------------------------------------------------------------- messages, wait


MESSAGE_COLUMNS = ("key", "channel", "recipient", "status", "scenario", "created_at", "text")


def _message_row(message: dict) -> dict:
    return {**message, "scenario": (message.get("scenario") or {}).get("name")}


def cmd_messages(client: SimulatorClient, args: argparse.Namespace) -> int:
    filters = {name: getattr(args, name) for name in MESSAGE_FILTERS}
    found = client.call("GET", "/messages", params={**filters, "limit": args.limit})
    rows = [_message_row(message) for message in found["messages"]]
    text = table(rows, MESSAGE_COLUMNS) if rows else "no messages"
    _show(args, found, f"{text}\n({len(rows)} of {found['total']} in namespace {found['namespace']!r})")
    return 0


def cmd_wait(client: SimulatorClient, args: argparse.Namespace) -> int:
    """Ask the server to wait in short slices, so the time left can be shown between them."""
    filters = {name: getattr(args, name) for name in ("provider", "to", "status", "contains", "id")}
    wanted = " ".join(f"{name}={value}" for name, value in filters.items() if value) or "any message"
    try:
        total = parse_duration(args.timeout)
    except ValueError as exc:
        raise CommandError(f"--timeout: {exc}") from None
    client.health()  # an unreachable simulator is reported before any progress line
    deadline = time.monotonic() + total
    interactive = sys.stderr.isatty()
    while True:
        left = max(0.0, deadline - time.monotonic())
        end = "\r" if interactive else "\n"
        print(f"waiting for {wanted}: {left:.0f}s left", end=end, file=sys.stderr, flush=True)
        try:
            found = client.wait(timeout=round(min(1.0, left), 3), **filters)
            break
        except WaitTimeout:
            if time.monotonic() >= deadline:
                if interactive:
                    print(file=sys.stderr)
                raise CommandError(f"timed out after {args.timeout} waiting for {wanted}") from None
    if interactive:
        print(file=sys.stderr)
    _show(args, found, table([_message_row(found)], MESSAGE_COLUMNS))
    return 0


# ---------------------------------------------------------------- clock, reply


def _clock_text(answer: dict) -> str:
    return f"{answer['now']} ({'frozen' if answer['frozen'] else 'running'}) in namespace {answer['namespace']!r}"


def cmd_advance(client: SimulatorClient, args: argparse.Namespace) -> int:
    answer = client.advance(args.duration)
    _show(args, answer, _clock_text(answer))
    return 0


def cmd_freeze(client: SimulatorClient, args: argparse.Namespace) -> int:
    answer = client.unfreeze() if args.off else client.freeze(args.instant)
    _show(args, answer, _clock_text(answer))
    return 0


def cmd_reply(client: SimulatorClient, args: argparse.Namespace) -> int:
    media = None
    if args.media_url:
        media = {
            "url": args.media_url,
            "filename": args.media_filename or Path(args.media_url).name or "file",
            "filesize": args.media_size,
        }
    answer = client.reply(args.message, args.text, media)
    replies = answer.get("replies") or []
    _show(args, answer, f"{answer['key']}: {answer['status']}, {len(replies)} replies")
    return 0


# ---------------------------------------------------------------- export


def _filename(answer: requests.Response, fallback: str) -> str:
    match = re.search(r'filename="([^"]+)"', answer.headers.get("Content-Disposition", ""))
    return match.group(1) if match else fallback


def cmd_export(client: SimulatorClient, args: argparse.Namespace) -> int:
    params = {"format": args.format, "message": args.message, "entry": args.entry}
    answer = client.session.get(
        f"{client.url}/_sim/export", params={k: v for k, v in params.items() if v is not None}, timeout=60
    )
    if answer.status_code >= 400:
        error = answer.json().get("error", {}) if "json" in answer.headers.get("Content-Type", "") else {}
        raise SimulatorError(answer.status_code, error)
    if args.output == "-":
        sys.stdout.buffer.write(answer.content)
        return 0
    target = Path(args.output or _filename(answer, f"sim-export.{args.format}"))
    target.write_bytes(answer.content)
    _show(args, {"file": str(target), "bytes": len(answer.content)}, f"wrote {target} ({len(answer.content)} bytes)")
    return 0


# ---------------------------------------------------------------- lint (offline)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def line_of(text: str, path: str) -> int | None:
    """The line (1-based) of the YAML node at `path` ("scenarios[0].timeline[1].after"), or of the deepest
    node on the way that exists (a missing key is reported at its mapping)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if node is None:
        return 1
    for key, index in _STEP.findall(path):
        if isinstance(node, yaml.MappingNode) and key:
            found = next((value for name, value in node.value if getattr(name, "value", None) == key), None)
        elif isinstance(node, yaml.SequenceNode) and index and int(index) < len(node.value):
            found = node.value[int(index)]
        else:
            found = None
        if found is None:
            break
        node = found
    return node.start_mark.line + 1


def _problem(error: ConfigError, texts: dict[str, str]) -> Problem:
    line_match = re.fullmatch(r"line (\d+)", error.path)
    if line_match:
        return Problem(error.source, int(line_match.group(1)), "", error.message)
    text = texts.get(error.source)
    return Problem(error.source, line_of(text, error.path) if text is not None else None, error.path, error.message)


def lint(paths: Sequence[str]) -> list[Problem]:
    problems: list[Problem] = []
    for given in paths:
        root = Path(given)
        files = sorted(root.glob("*.y*ml")) if root.is_dir() else [root]
        texts: dict[str, str] = {}
        loaded = []
        for file in files:
            try:
                texts[str(file)] = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(str(file), None, "", f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
                continue
            try:
                loaded.extend(load_text(texts[str(file)], str(file)))
            except ConfigError as exc:
                problems.append(_problem(exc, texts))
        if root.is_dir() and not problems:
            try:
                ScenarioSet(loaded, str(root))  # names are unique, and a default scenario exists
            except ConfigError as exc:
                problems.append(_problem(exc, texts))
    return problems


def cmd_lint(args: argparse.Namespace) -> int:
    problems = lint(args.paths)
    if args.json:
        print(json.dumps([problem.__dict__ for problem in problems], indent=2))
    else:
        for problem in problems:
            print(problem)
        if not problems:
            print(f"ok: {', '.join(args.paths)}")
    return 1 if problems else 0


# ---------------------------------------------------------------- the parser and dispatch


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Talk to a running provider simulator (and lint scenario files).")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=os.environ.get("SIM_URL", DEFAULT_URL), help=f"($SIM_URL) {DEFAULT_URL}")
    common.add_argument("--namespace", default=os.environ.get("SIM_NAMESPACE"), help="($SIM_NAMESPACE) 'default'")
    common.add_argument("--admin-token", default=os.environ.get("SIM_ADMIN_TOKEN"), help="default $SIM_ADMIN_TOKEN")
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    send = commands.add_parser("send", parents=[common], help="send one message as a client would (demo credentials)")
    send.add_argument("provider")
    send.add_argument("--to", required=True, help="recipient number")
    send.add_argument("--text", default="Hello from provider-simulator")
    send.add_argument("--channel", choices=("sms", "viber"), help="default: the provider's first channel")
    send.add_argument("--sender", help="sender name (default: one the demo account may use)")

    messages = commands.add_parser("messages", parents=[common], help="list messages, newest first")
    for name in MESSAGE_FILTERS:
        messages.add_argument(f"--{name}")
    messages.add_argument("--limit", type=int, default=20)

    wait = commands.add_parser("wait", parents=[common], help="block until a message matches (exit 1 at timeout)")
    for name in ("provider", "to", "status", "contains", "id"):
        wait.add_argument(f"--{name}")
    wait.add_argument("--timeout", default="30s", help="real time to wait, e.g. 30s, 2m (default 30s)")

    advance = commands.add_parser("advance", parents=[common], help="move the simulated clock forward")
    advance.add_argument("duration", help="e.g. 90s, 5m, 1h")

    freeze = commands.add_parser("freeze", parents=[common], help="freeze the simulated clock (now or at an instant)")
    freeze.add_argument("instant", nargs="?", help="ISO-8601 instant (default: now)")
    freeze.add_argument("--off", action="store_true", help="let the clock run again")

    reply = commands.add_parser("reply", parents=[common], help="inject an inbound reply to a message")
    reply.add_argument("message", help="provider:id or a unique provider id")
    reply.add_argument("--text")
    reply.add_argument("--media-url")
    reply.add_argument("--media-filename")
    reply.add_argument("--media-size", type=int, default=0)

    export = commands.add_parser("export", parents=[common], help="export the run as curl, har, pytest or golden")
    export.add_argument("format", choices=("curl", "har", "pytest", "golden"))
    export.add_argument("--message", help="only this message")
    export.add_argument("--entry", type=int, help="only this journal entry (its index)")
    export.add_argument("-o", "--output", help="file to write ('-' for standard output; default: the suggested name)")

    lint_parser = commands.add_parser("lint", help="validate scenario files offline (exit 1 on problems)")
    lint_parser.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or directories")
    lint_parser.add_argument("--json", action="store_true", help="print JSON instead of lines")
    return parser


COMMANDS = {
    "send": cmd_send,
    "messages": cmd_messages,
    "wait": cmd_wait,
    "advance": cmd_advance,
    "freeze": cmd_freeze,
    "reply": cmd_reply,
    "export": cmd_export,
}
NAMES = frozenset({*COMMANDS, "lint"})


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "lint":
            return cmd_lint(args)
        client = SimulatorClient(args.url, args.namespace, args.admin_token)
        return COMMANDS[args.command](client, args)
    except CommandError as exc:
        message = str(exc)
    except SimulatorError as exc:
        message = (
            f"{exc.code}: {exc.error.get('message', '')}"
            if exc.code
            else f"{args.url} did not answer like a provider simulator (HTTP {exc.status})"
        )
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema):
        message = f"bad --url {args.url!r}: use http://host:port"
    except requests.ConnectionError:
        message = f"cannot reach a simulator at {args.url}: is it running?"
    except requests.Timeout:
        message = f"the simulator at {args.url} did not answer in time"
    except (ValueError, KeyError, TypeError):  # an answer that is not the control API's JSON
        message = f"{args.url} did not answer like a provider simulator"
    except OSError as exc:
        message = f"{getattr(exc, 'filename', None) or ''}: {exc.strerror or exc}".lstrip(": ")
    print(f"{PROG} {args.command}: {message}", file=sys.stderr)
    return 1
