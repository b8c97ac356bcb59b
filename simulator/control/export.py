"""GET /_sim/export: one message, one journal entry or a namespace's whole run as curl, HAR, pytest or golden cases."""

from __future__ import annotations

import dataclasses
import json
import re

from flask import Response, request
from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow import validate as v

from simulator import __version__
from simulator.control.blueprint import control, operator, query, state
from simulator.control.errors import ControlError
from simulator.control.exports import curl, golden, har, pytest_file
from simulator.control.exports.run import REPLAYABLE, Run, iso_micro
from simulator.control.journal import indexed
from simulator.control.messages import find_key
from simulator.core.journal import SECRET_HEADERS, replace_secrets
from simulator.core.replay import Prepared

FORMATS = ("curl", "har", "pytest", "golden")


class ExportQuery(Schema):
    format = fields.String(required=True, validate=v.OneOf(FORMATS))
    message = fields.String(validate=v.Length(min=1))  # "<provider>:<id>" or a unique provider id
    entry = fields.Integer(strict=False, validate=v.Range(min=0))  # an `index` from GET /_sim/journal

    @validates_schema
    def _one_selection(self, data, **kwargs):
        if "message" in data and "entry" in data:
            raise ValidationError("give message or entry, not both", "entry")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "run"


def _message_entries(ident: str) -> tuple[str, list[tuple[int, dict]]]:
    """The requests naming the message's id (or its group: a batch id), the requests that issued the secrets
    those use (OAuth tokens), operator actions on it, and the clock moves between the first and the last."""
    door = operator()
    key = find_key(door, ident)
    provider = key.partition(":")[0]
    message = door.find(key).message
    names = "|".join(re.escape(name) for name in (message.id, message.group) if name)
    token = re.compile(rf"(?<![0-9A-Za-z])(?:{names})(?![0-9A-Za-z])")
    entries = indexed()

    def names_it(entry: dict) -> bool:
        if entry["kind"] == "control":
            return entry.get("message") == key
        return (
            entry["kind"] == "request"
            and entry.get("provider") == provider
            and any(token.search(entry.get(part) or "") for part in ("path", "query", "body", "response"))
        )

    chosen = [index for index, entry in entries if names_it(entry)]
    if not chosen:
        return key, []
    used = set().union(*(_secrets(entries[index][1], "headers", "body") for index in chosen))
    issuers = [index for index, entry in entries if index < chosen[0] and used & _secrets(entry, "response")]
    first, last = min([*issuers, chosen[0]]), chosen[-1]
    return key, [
        (index, entry)
        for index, entry in entries
        if index in chosen or index in issuers or (entry["kind"] == "clock" and first < index < last)
    ]


def _secrets(entry: dict, *parts: str) -> set[str]:
    """The masked secrets (without their scheme) a request sent in `parts` or an answer handed out."""
    if entry["kind"] != "request":
        return set()
    found: set[str] = set()

    def keep(value: str) -> str:
        found.add(value.rpartition(" ")[2])
        return value

    for part in parts:
        if part == "headers":
            for name, value in entry.get("headers", {}).items():
                if name.lower() in SECRET_HEADERS:
                    keep(value)
        else:
            replace_secrets(entry.get(part) or "", keep)
    return found


def _entry(index: int) -> list[tuple[int, dict]]:
    found = [(i, entry) for i, entry in indexed() if i == index]
    if not found:
        raise ControlError(404, "not_found", f"no journal entry {index} in namespace {operator().namespace!r}")
    if found[0][1]["kind"] not in REPLAYABLE:
        raise ControlError(
            400,
            "not_replayable",
            f"journal entry {index} is a {found[0][1]['kind']}; export requests, clock moves or operator actions",
        )
    return found


def _initial_seed(entries: list[dict]) -> int | None:
    """The seed the run started with: before the first reseed in it, else the namespace's seed now."""
    reseed = next((e for e in entries if e["kind"] == "control" and e.get("action") == "seed"), None)
    return reseed["previous"] if reseed else operator().seed


def build_run(data: dict) -> Run:
    namespace = operator().namespace
    if "message" in data:
        key, selected = _message_entries(data["message"])
        title, whole = f"message {key}", False
    elif "entry" in data:
        selected = _entry(data["entry"])
        title, whole = f"journal entry {data['entry']}", False
    else:
        selected = [(index, entry) for index, entry in indexed() if entry["kind"] in REPLAYABLE]
        title, whole = "the whole run", True
    entries = tuple({**entry, "index": index} for index, entry in selected if entry["kind"] in REPLAYABLE)
    seed = _initial_seed(list(entries)) if whole else operator().seed
    frozen = all(entry.get("started") == entry["time"] for entry in entries if entry["kind"] == "request")
    accounts = tuple(
        (spec.name, account.name, dict(account.credentials))
        for spec in state().providers
        for account in operator().accounts(spec.name)
    )
    return Run(
        title=title,
        slug=_slug(title),
        namespace=namespace,
        entries=entries,
        seed=seed,
        exact=whole and seed is not None and frozen,
        accounts=accounts,
        base_url=request.host_url.rstrip("/"),
        version=__version__,
    )


def _scratch(run: Run):
    """A throw-away simulator like this one (scenarios, accounts), seeded and frozen where the run started."""
    from simulator.app import create_app  # the app factory imports the control plane

    settings = dataclasses.replace(
        state().settings,
        seed=run.seed if run.seed is not None else golden.GOLDEN_SEED,
        clock=f"frozen:{iso_micro(run.start)}",
        store="memory://",
        workers=1,
        watch_scenarios=False,
    )
    app = create_app(settings, state().providers)
    scratch_operator = app.extensions["simulator"].engine.operator_door()
    for spec in state().providers:
        scratch_operator.replace_accounts(spec.name, operator().accounts(spec.name))
    client = app.test_client()

    def send(sent: Prepared) -> golden.Answer:
        answer = client.open(
            sent.path, method=sent.method, headers=sent.headers, data=sent.body.encode("utf-8"), query_string=sent.query
        )
        return golden.Answer(answer.status_code, answer.get_data(), answer.headers.get("Content-Type"))

    return app, golden.Scratch(send, lambda seconds: scratch_operator.clock.advance(seconds))


def _attachment(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@control.get("/export")
def export() -> Response:
    data = query(ExportQuery())
    run = build_run(data)
    if not run.entries:
        raise ControlError(404, "nothing_to_export", f"{run.title} has no requests, clock moves or operator actions")
    name = f"sim-{run.slug}"
    if data["format"] == "curl":
        return _attachment(curl.render(run), "text/x-shellscript", f"{name}.sh")
    if data["format"] == "har":
        return _attachment(json.dumps(har.render(run), ensure_ascii=False, indent=2), "application/json", f"{name}.har")
    if data["format"] == "pytest":
        return _attachment(pytest_file.render(run), "text/x-python", f"test_{run.slug}.py")
    scratch_app, scratch = _scratch(run)
    try:
        archive = golden.render(run, scratch)
    except golden.NotExpressible as exc:
        raise ControlError(400, "not_expressible", str(exc)) from exc
    except golden.NotReproduced as exc:
        raise ControlError(409, "not_reproduced", str(exc)) from exc
    finally:
        scratch_app.extensions["simulator"].engine.close()
    return _attachment(archive, "application/zip", f"golden-{run.slug}.zip")
