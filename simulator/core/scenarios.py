"""Scenarios: YAML files that say which messages they apply to and what happens to them over time.

Loading validates every file with marshmallow and turns it into frozen objects; any problem is a
ConfigError naming the file and the key path. The schema is documented in scenarios/README.md.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from marshmallow import Schema, ValidationError, fields, validates, validates_schema
from marshmallow import validate as v

from simulator.core import lifecycle, statuses
from simulator.core.clock import parse_duration
from simulator.core.errors import ConfigError
from simulator.core.ids import Ids, faker_fields_in, is_faker_field

log = logging.getLogger(__name__)

DEFAULT_NAME = "default"
REMEMBERED_CHOICES = 4096  # distinct send contexts whose scenario choice is kept (see ScenarioSet.select)

# Errors a scenario can make a send answer with; each provider renders them its own way.
ERROR_KINDS = (
    "no_money",
    "account_blocked",
    "invalid_sender",
    "invalid_text",
    "no_valid_numbers",
    "invalid_image",
    "throttled",
    "provider_error",
    "unavailable",
)

_LIFETIME = re.compile(r"^lifetime(?:\s*\+\s*(.+))?$")


def after_seconds(value: str | int | float, lifetime: float) -> float:
    """Seconds for an `after` value: a duration, "lifetime" or "lifetime+<duration>"."""
    from_lifetime, seconds = _after(value)
    return lifetime + seconds if from_lifetime else seconds


@functools.lru_cache(maxsize=1024, typed=True)
def _after(value: str | int | float) -> tuple[bool, float]:
    # Every send resolves its scenario's steps: each distinct `after` text is parsed once.
    match = _LIFETIME.match(str(value).strip()) if isinstance(value, str) else None
    if match:
        return True, parse_duration(match.group(1)) if match.group(1) else 0.0
    return False, parse_duration(value)


class _Duration(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            after_seconds(value, 0.0)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return value


class _OneOrMany(fields.Field):
    """A string or a list of strings, kept as a tuple."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = [value] if isinstance(value, str | int) else value
        if not isinstance(items, list) or not all(isinstance(item, str | int) for item in items):
            raise ValidationError("must be a string or a list of strings")
        return tuple(str(item) for item in items)


class _Template(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        unknown = [name for name in faker_fields_in(text) if not is_faker_field(name)]
        if unknown:
            raise ValidationError(f"unknown Faker field {unknown[0]!r}")
        return text


class StepSchema(Schema):
    after = _Duration(required=True)
    status = fields.String(required=True, validate=v.OneOf(statuses.ALL))
    reason = fields.String(load_default=None, validate=v.OneOf(statuses.REASONS))


class MediaSchema(Schema):
    url = _Template(required=True)
    filename = _Template(required=True)
    filesize = fields.Integer(required=True, strict=True, validate=v.Range(min=0))


class ReplySchema(Schema):
    after = _Duration(required=True)
    text = _Template(load_default=None)
    media = fields.Nested(MediaSchema, load_default=None)

    @validates_schema
    def _text_or_media(self, data, **kwargs):
        if data.get("text") is None and data.get("media") is None:
            raise ValidationError("a reply needs text, media or both", "text")


class _Steps(fields.List):
    def __init__(self, **kwargs):
        super().__init__(fields.Nested(StepSchema), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        steps = super()._deserialize(value, attr, data, **kwargs)
        probe = tuple(lifecycle.Step(after_seconds(s["after"], 1e9), s["status"], s["reason"]) for s in steps)
        try:
            lifecycle.check_timeline(probe)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return steps


class _Replies(fields.Field):
    """One reply mapping or a list of them."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = [value] if isinstance(value, dict) else value
        if not isinstance(items, list):
            raise ValidationError("must be a reply mapping or a list of them")
        return ReplySchema(many=True).load(items)


class FallbackSchema(Schema):
    channel = fields.String(load_default="sms")
    timeline = _Steps(required=True, validate=v.Length(min=1))


class OutcomeSchema(Schema):
    weight = fields.Float(required=True, validate=v.Range(min=0, min_inclusive=False))
    timeline = _Steps(required=True, validate=v.Length(min=1))
    fallback = fields.Nested(FallbackSchema, load_default=None)
    reply = _Replies(load_default=list)


class MatchSchema(Schema):
    provider = _OneOrMany(load_default=None)
    channel = _OneOrMany(load_default=None)
    recipient = _OneOrMany(load_default=None)
    recipient_pattern = fields.String(load_default=None)
    sender = _OneOrMany(load_default=None)
    text = fields.String(load_default=None)
    credential = _OneOrMany(load_default=None)

    @validates("recipient_pattern", "text")
    def _regular_expression(self, value, **kwargs):
        if value is not None:
            _compile(value)


class ErrorSchema(Schema):
    kind = fields.String(required=True, validate=v.OneOf(ERROR_KINDS))


class ScenarioSchema(Schema):
    name = fields.String(required=True, validate=v.Regexp(r"^[a-z0-9][a-z0-9_.-]*$"))
    description = fields.String(load_default="")
    match = fields.Nested(MatchSchema, load_default=None)
    timeline = _Steps(load_default=None, validate=v.Length(min=1))
    outcomes = fields.List(fields.Nested(OutcomeSchema), load_default=None, validate=v.Length(min=1))
    fallback = fields.Nested(FallbackSchema, load_default=None)
    reply = _Replies(load_default=list)
    error = fields.Nested(ErrorSchema, load_default=None)
    latency = _Duration(load_default=0)
    cost = fields.Float(load_default=None, validate=v.Range(min=0))

    @validates_schema
    def _one_fate(self, data, **kwargs):
        given = [key for key in ("timeline", "outcomes", "error") if data.get(key) is not None]
        if len(given) != 1:
            raise ValidationError("give exactly one of timeline, outcomes or error", "timeline")


def _compile(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValidationError(f"not a valid regular expression: {exc}") from exc


@dataclass(frozen=True)
class Match:
    provider: tuple[str, ...] | None = None
    channel: tuple[str, ...] | None = None
    recipient: tuple[str, ...] | None = None
    recipient_pattern: str | None = None
    sender: tuple[str, ...] | None = None
    text: str | None = None
    credential: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # Selection runs on every send: normalise and compile once.
        recipients = frozenset(digits(item) for item in self.recipient) if self.recipient is not None else None
        object.__setattr__(self, "_recipients", recipients)
        pattern = re.compile(self.recipient_pattern) if self.recipient_pattern else None
        object.__setattr__(self, "_recipient_re", pattern)
        object.__setattr__(self, "_text_re", re.compile(self.text) if self.text else None)

    @property
    def numbers(self) -> frozenset[str] | None:
        """The recipients it names, as digits; None when it names none."""
        return self._recipients

    def fits(self, context: MatchContext) -> bool:
        return (
            _in(self.provider, context.provider)
            and _in(self.channel, context.channel)
            and (self._recipients is None or context.recipient_digits in self._recipients)
            and (self._recipient_re is None or self._recipient_re.search(context.recipient_digits) is not None)
            and _in(self.sender, context.sender)
            and (self._text_re is None or self._text_re.search(context.text or "") is not None)
            and _in(self.credential, context.credential)
        )


def _in(allowed: tuple[str, ...] | None, value: str | None) -> bool:
    return allowed is None or value in allowed


def digits(number: str | None) -> str:
    return "".join(char for char in str(number or "") if char.isdigit())


@dataclass(frozen=True)
class MatchContext:
    provider: str
    channel: str
    recipient: str
    sender: str | None = None
    text: str | None = None
    credential: str | None = None

    @functools.cached_property
    def recipient_digits(self) -> str:
        return digits(self.recipient)


@dataclass(frozen=True)
class StepSpec:
    after: str | float
    status: str
    reason: str | None


@dataclass(frozen=True)
class ReplySpec:
    after: str | float
    text: str | None
    media: dict | None


@dataclass(frozen=True)
class Outcome:
    weight: float
    timeline: tuple[StepSpec, ...]
    fallback: tuple[StepSpec, ...]
    fallback_channel: str | None
    replies: tuple[ReplySpec, ...]


@dataclass(frozen=True)
class Resolved:
    """A scenario made concrete for one message: absolute offsets, Faker texts filled in."""

    steps: tuple[lifecycle.Step, ...]
    fallback: tuple[lifecycle.Step, ...]
    fallback_channel: str | None
    replies: tuple[lifecycle.Reply, ...]
    outcome: int


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    source: str
    match: Match | None
    outcomes: tuple[Outcome, ...]
    error: str | None
    latency: float
    cost: float | None

    def resolve(self, ids: Ids, lifetime: float) -> Resolved:
        index = self._pick(ids)
        outcome = self.outcomes[index]

        def concrete(specs: tuple[StepSpec, ...]) -> tuple[lifecycle.Step, ...]:
            return tuple(lifecycle.Step(after_seconds(s.after, lifetime), s.status, s.reason) for s in specs)

        replies = tuple(
            lifecycle.Reply(
                after_seconds(spec.after, lifetime),
                ids.render(spec.text) if spec.text is not None else None,
                _media(spec.media, ids),
            )
            for spec in outcome.replies
        )
        return Resolved(
            concrete(outcome.timeline), concrete(outcome.fallback), outcome.fallback_channel, replies, index
        )

    def _pick(self, ids: Ids) -> int:
        if len(self.outcomes) == 1:
            return 0
        total = sum(outcome.weight for outcome in self.outcomes)
        point = ids.uniform() * total
        for index, outcome in enumerate(self.outcomes):
            point -= outcome.weight
            if point < 0:
                return index
        return len(self.outcomes) - 1


def _media(spec: dict | None, ids: Ids) -> lifecycle.Media | None:
    if spec is None:
        return None
    return lifecycle.Media(ids.render(spec["url"]), ids.render(spec["filename"]), spec["filesize"])


def _outcome(data: dict) -> Outcome:
    fallback = data.get("fallback")
    return Outcome(
        weight=data.get("weight", 1.0),
        timeline=tuple(StepSpec(s["after"], s["status"], s["reason"]) for s in data["timeline"]),
        fallback=tuple(StepSpec(s["after"], s["status"], s["reason"]) for s in fallback["timeline"])
        if fallback
        else (),
        fallback_channel=fallback["channel"] if fallback else None,
        replies=tuple(ReplySpec(r["after"], r["text"], r["media"]) for r in data.get("reply") or ()),
    )


def build(data: dict, source: str) -> Scenario:
    """A Scenario from one validated mapping."""
    if data["outcomes"] is not None:
        outcomes = tuple(_outcome(item) for item in data["outcomes"])
    elif data["timeline"] is not None:
        outcomes = (_outcome({"timeline": data["timeline"], "fallback": data["fallback"], "reply": data["reply"]}),)
    else:
        outcomes = ()
    match = Match(**data["match"]) if data["match"] else None
    return Scenario(
        name=data["name"],
        description=data["description"],
        source=source,
        match=match,
        outcomes=outcomes,
        error=data["error"]["kind"] if data["error"] else None,
        latency=parse_duration(data["latency"]),
        cost=data["cost"],
    )


def _first_error(messages: dict | list | str, prefix: str = "") -> tuple[str, str]:
    """The first (key path, message) in marshmallow's nested error dict."""
    if isinstance(messages, dict):
        key = sorted(messages, key=str)[0]
        if key == "_schema":
            return _first_error(messages[key], prefix)
        part = f"[{key}]" if isinstance(key, int) else (f".{key}" if prefix else str(key))
        return _first_error(messages[key], prefix + part)
    if isinstance(messages, list) and messages:
        return _first_error(messages[0], prefix)
    return prefix, str(messages)


# libyaml reads the shipped scenarios several times faster than the pure-Python parser (most of an app's
# start-up); a text it refuses is read again by the pure-Python parser, whose messages errors quote.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str) -> object:
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def load_text(text: str, source: str) -> list[Scenario]:
    try:
        document = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise ConfigError(source, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if isinstance(document, dict) and "scenarios" in document:
        items, base = document["scenarios"], "scenarios"
        if not isinstance(items, list):
            raise ConfigError(source, "scenarios", "must be a list of scenarios")
    elif isinstance(document, dict):
        items, base = [document], ""
    else:
        raise ConfigError(source, "", "must be a scenario mapping or a mapping with a 'scenarios' list")
    loaded = []
    for index, item in enumerate(items):
        prefix = f"{base}[{index}]" if base else ""
        if not isinstance(item, dict):
            raise ConfigError(source, prefix, "must be a mapping")
        try:
            data = ScenarioSchema().load(item)
        except ValidationError as exc:
            path, message = _first_error(exc.messages)
            raise ConfigError(source, f"{prefix}.{path}" if prefix else path, message) from exc
        loaded.append(build(data, source))
    return loaded


class ScenarioSet:
    """All loaded scenarios, in order; selection is header override, binding, match, default."""

    def __init__(self, scenarios: Iterable[Scenario], source: str = "scenarios") -> None:
        self.scenarios: tuple[Scenario, ...] = tuple(scenarios)
        self.by_name: dict[str, Scenario] = {}
        for scenario in self.scenarios:
            if scenario.name in self.by_name:
                first = self.by_name[scenario.name].source
                raise ConfigError(scenario.source, "name", f"duplicate scenario {scenario.name!r} (first in {first})")
            self.by_name[scenario.name] = scenario
        if DEFAULT_NAME not in self.by_name:
            raise ConfigError(source, "", f"no scenario named {DEFAULT_NAME!r}; it is the fallback")
        # Selection runs on every send: most scenarios name their recipients (magic numbers), so a
        # send is checked only against those naming its number and those naming none, in file order.
        self._by_recipient: dict[str, list[int]] = {}
        self._any_recipient: dict[str | None, list[int]] = {None: []}  # provider (None: unnamed) -> indexes
        for index, scenario in enumerate(self.scenarios):
            if scenario.match is None:
                continue
            if scenario.match.numbers is None:
                for provider in scenario.match.provider or (None,):
                    self._any_recipient.setdefault(provider, []).append(index)
            for number in scenario.match.numbers or ():
                self._by_recipient.setdefault(number, []).append(index)
        # A set is immutable, so the choice for a context can be remembered (sends repeat the same few
        # recipients); the text is part of the question only when some scenario matches on it.
        self._reads_text = any(s.match is not None and s.match.text for s in self.scenarios)
        self._chosen: dict[tuple, tuple[Scenario, str]] = {}

    def get(self, name: str) -> Scenario | None:
        return self.by_name.get(name)

    def select(
        self, context: MatchContext, override: str | None = None, bound: str | None = None
    ) -> tuple[Scenario, str]:
        """The scenario for a message and why it was chosen."""
        if override and override in self.by_name:
            return self.by_name[override], "header override"
        if bound and bound in self.by_name:
            return self.by_name[bound], f"bound to credential {context.credential}"
        question = (
            context.provider,
            context.channel,
            context.recipient_digits,
            context.sender,
            context.credential,
            context.text if self._reads_text else None,
        )
        chosen = self._chosen.get(question)
        if chosen is None:
            if len(self._chosen) >= REMEMBERED_CHOICES:
                self._chosen.clear()
            chosen = self._chosen[question] = self._match(context)
        return chosen

    def _match(self, context: MatchContext) -> tuple[Scenario, str]:
        named = self._by_recipient.get(context.recipient_digits, ())
        unnamed = (*self._any_recipient.get(context.provider, ()), *self._any_recipient[None])
        for index in sorted((*named, *unnamed)):
            scenario = self.scenarios[index]
            if scenario.match.fits(context):
                return scenario, f"match in {Path(scenario.source).name}"
        return self.by_name[DEFAULT_NAME], "default"


def load_directory(directory: str | Path) -> ScenarioSet:
    """Every *.yaml / *.yml file in `directory`, in file-name order."""
    root = Path(directory)
    if not root.is_dir():
        raise ConfigError(str(root), "", "scenario directory does not exist")
    found: list[Scenario] = []
    for path in sorted(root.glob("*.y*ml")):
        found.extend(load_text(path.read_text(encoding="utf-8"), str(path)))
    return ScenarioSet(found, str(root))


# A ScenarioSet never changes, so apps built in one process from the same unchanged files (a test suite
# builds hundreds) share one instead of parsing the directory again.
_REMEMBERED_SETS = 8
_remembered: dict[tuple, ScenarioSet] = {}
_remembered_lock = threading.Lock()


def _load_unchanged(directory: Path, signature: tuple) -> ScenarioSet:
    """`load_directory(directory)`, reused while the files' names, sizes and times are `signature`."""
    key = (str(directory.resolve()), signature)
    with _remembered_lock:
        found = _remembered.get(key)
    if found is None:
        found = load_directory(directory)
        with _remembered_lock:
            if len(_remembered) >= _REMEMBERED_SETS:
                _remembered.clear()
            _remembered[key] = found
    return found


class ScenarioLibrary:
    """The scenario directory, reloaded when its files change.

    A broken edit keeps the last good set in force; the error is logged and kept in `error` until a
    later edit fixes it. `check()` compares file names, sizes and modification times, so it is cheap
    enough to run every second from a watcher thread and on demand from the control API.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._signature = self._scan()
        self.current: ScenarioSet = _load_unchanged(self.directory, self._signature)
        self.error: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def _scan(self) -> tuple:
        try:
            return tuple(
                (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(self.directory.glob("*.y*ml"))
            )
        except OSError:
            return ()

    def check(self) -> bool:
        """Reload if any file changed; True when something changed (even if the new set is broken)."""
        with self._lock:
            signature = self._scan()
            if signature == self._signature:
                return False
            self._signature = signature
            try:
                self.current = _load_unchanged(self.directory, signature)
                self.error = None
                log.info("scenarios reloaded from %s (%d scenarios)", self.directory, len(self.current.scenarios))
            except ConfigError as exc:
                self.error = str(exc)
                log.error("scenario reload failed, keeping the last good set: %s", exc)
            return True

    def watch(self, interval: float = 1.0) -> None:
        """Check for edits every `interval` seconds in a daemon thread."""

        def loop() -> None:
            while not self._stop.wait(interval):
                self.check()

        threading.Thread(target=loop, name="sim-scenario-watch", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    # The ScenarioSet interface, always on the current set.
    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        return self.current.scenarios

    @property
    def by_name(self) -> dict[str, Scenario]:
        return self.current.by_name

    def get(self, name: str) -> Scenario | None:
        return self.current.get(name)

    def select(self, context: MatchContext, override: str | None = None, bound: str | None = None):
        return self.current.select(context, override, bound)
