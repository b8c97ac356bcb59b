import os
from pathlib import Path

import pytest

from simulator.core.errors import ConfigError
from simulator.core.ids import Ids
from simulator.core.scenarios import MatchContext, ScenarioLibrary, ScenarioSet, load_directory, load_text

DEFAULT = "name: default\ntimeline: [{after: 0s, status: pending}]\n"


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        ("name: x\ntimeline: [{after: 0s, status: bogus}]", "timeline[0].status", "Must be one of"),
        ("name: x\ntimeline: [{after: soon, status: pending}]", "timeline[0].after", "not a duration"),
        ("name: x\ntimeline: [{after: 0s, status: pending}, {after: 1s, status: read}]", "timeline", "pending -> read"),
        ("name: x\ntimeline: [{after: 0s, status: pending, reason: why}]", "timeline[0].reason", "Must be one of"),
        ("name: X Y\ntimeline: [{after: 0s, status: pending}]", "name", "String does not match"),
        ("timeline: [{after: 0s, status: pending}]", "name", "Missing data"),
        ("name: x", "timeline", "exactly one of timeline, outcomes or error"),
        ("name: x\nerror: {kind: meteor}", "error.kind", "Must be one of"),
        (
            "name: x\nmatch: {recipient_pattern: '('}\ntimeline: [{after: 0s, status: pending}]",
            "match.recipient_pattern",
            "not a valid regular expression",
        ),
        ("name: x\nreply: {after: 1s}\ntimeline: [{after: 0s, status: pending}]", "reply", "needs text, media"),
        (
            "name: x\nreply: {after: 1s, text: '{faker.nope}'}\ntimeline: [{after: 0s, status: pending}]",
            "reply",
            "unknown Faker field",
        ),
        (
            "scenarios:\n  - name: ok\n    timeline: [{after: 0s, status: pending}]\n  - name: bad\n    cost: -1\n"
            "    timeline: [{after: 0s, status: pending}]",
            "scenarios[1].cost",
            "greater than or equal",
        ),
        ("name: x\ntimeline: [", "line", "not valid YAML"),
        ("- just\n- a list", "", "must be a scenario mapping"),
    ],
    ids=[
        "status",
        "after",
        "transition",
        "reason",
        "name-format",
        "name-missing",
        "no-fate",
        "error-kind",
        "regex",
        "empty-reply",
        "faker-field",
        "list-index",
        "yaml-syntax",
        "top-level",
    ],
)
def test_load_broken_scenario_names_file_and_key_path(text, path, message):
    with pytest.raises(ConfigError) as caught:
        load_text(text, "broken.yaml")
    assert caught.value.source == "broken.yaml"
    assert caught.value.path.startswith(path)
    assert message in str(caught.value)


def test_load_directory_reads_files_in_name_order(tmp_path: Path):
    (tmp_path / "b.yaml").write_text("name: b\nmatch: {channel: viber}\ntimeline: [{after: 0s, status: pending}]")
    (tmp_path / "a.yaml").write_text(DEFAULT)
    assert [s.name for s in load_directory(tmp_path).scenarios] == ["default", "b"]


def test_load_directory_without_default_is_refused(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("name: a\ntimeline: [{after: 0s, status: pending}]")
    with pytest.raises(ConfigError, match="no scenario named 'default'"):
        load_directory(tmp_path)


def test_duplicate_names_are_refused():
    with pytest.raises(ConfigError, match="duplicate scenario"):
        ScenarioSet(load_text(DEFAULT, "a.yaml") + load_text(DEFAULT, "b.yaml"))


def _set() -> ScenarioSet:
    return ScenarioSet(
        load_text(DEFAULT, "d.yaml")
        + load_text(
            "scenarios:\n"
            "  - name: exact\n    match: {recipient: '+380990000003', channel: viber}\n"
            "    timeline: [{after: 0s, status: pending}]\n"
            "  - name: pattern\n    match: {recipient_pattern: '9$', provider: [d7, routee]}\n"
            "    timeline: [{after: 0s, status: pending}]\n"
            "  - name: text\n    match: {text: '(?i)otp', credential: demo}\n"
            "    timeline: [{after: 0s, status: pending}]\n",
            "m.yaml",
        )
    )


@pytest.mark.parametrize(
    ("context", "override", "bound", "expected", "why"),
    [
        (MatchContext("smsclub", "viber", "380990000003"), None, None, "exact", "match in m.yaml"),
        (MatchContext("smsclub", "sms", "380990000003"), None, None, "default", "default"),
        (MatchContext("d7", "sms", "+971500000109"), None, None, "pattern", "match in m.yaml"),
        (MatchContext("smsclub", "sms", "380990000009"), None, None, "default", "default"),
        (MatchContext("d7", "sms", "1", text="Your OTP", credential="demo"), None, None, "text", "match in m.yaml"),
        (MatchContext("d7", "sms", "9"), "exact", None, "exact", "header override"),
        (MatchContext("d7", "sms", "9", credential="demo"), None, "text", "text", "bound to credential demo"),
        (MatchContext("d7", "sms", "9"), "exact", "text", "exact", "header override"),
        (MatchContext("d7", "sms", "9"), "missing", None, "pattern", "match in m.yaml"),
    ],
    ids=[
        "exact",
        "channel-differs",
        "pattern",
        "provider-differs",
        "text",
        "override",
        "bound",
        "override-wins",
        "unknown-override",
    ],
)
def test_select_follows_override_binding_match_default(context, override, bound, expected, why):
    scenario, reason = _set().select(context, override, bound)
    assert (scenario.name, reason) == (expected, why)


SPLIT = """
name: split
outcomes:
  - {weight: 9, timeline: [{after: 0s, status: pending}, {after: 1s, status: delivered}]}
  - {weight: 1, timeline: [{after: 0s, status: pending}, {after: 1s, status: undelivered}]}
"""


def test_outcome_split_is_reproducible_under_a_seed_and_near_its_weights():
    [scenario] = load_text(SPLIT, "s.yaml")
    first = [scenario.resolve(Ids(11), 60).outcome for _ in range(1)]
    ids_a, ids_b = Ids(11), Ids(11)
    picks_a = [scenario.resolve(ids_a, 60).outcome for _ in range(2000)]
    picks_b = [scenario.resolve(ids_b, 60).outcome for _ in range(2000)]
    assert picks_a == picks_b
    assert first[0] == picks_a[0]
    assert 0.86 < picks_a.count(0) / 2000 < 0.94


def test_resolve_lifetime_steps_and_faker_replies():
    [scenario] = load_text(
        "name: x\ntimeline: [{after: 0s, status: pending}, {after: 1s, status: sent},"
        " {after: lifetime, status: expired, reason: ttl_expired}]\n"
        "fallback: {timeline: [{after: lifetime+1s, status: pending}, {after: lifetime+3s, status: delivered}]}\n"
        "reply: [{after: 5s, text: '{faker.word}', media: {url: 'https://x/{faker.word}', filename: a.pdf,"
        " filesize: 10}}]",
        "x.yaml",
    )
    resolved = scenario.resolve(Ids(1), 120)
    assert [s.after for s in resolved.steps] == [0, 1, 120]
    assert [s.after for s in resolved.fallback] == [121, 123]
    assert resolved.fallback_channel == "sms"
    reply = resolved.replies[0]
    assert reply.text and reply.media.url.startswith("https://x/") and reply.media.filesize == 10
    assert scenario.resolve(Ids(1), 120).replies == resolved.replies


def test_shipped_scenarios_load():
    shipped = load_directory(Path(__file__).resolve().parents[2] / "scenarios")
    assert shipped.get("default") is not None


def _write(path: Path, text: str) -> None:
    path.write_text(text)
    stat = path.stat()  # make the edit visible even within one mtime tick
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_library_reloads_edited_file_without_restart(tmp_path: Path):
    _write(tmp_path / "default.yaml", DEFAULT)
    library = ScenarioLibrary(tmp_path)
    assert library.check() is False
    _write(tmp_path / "extra.yaml", "name: extra\ntimeline: [{after: 0s, status: pending}]")
    assert library.check() is True
    assert library.get("extra") is not None and library.error is None


def test_library_keeps_last_good_set_on_broken_edit_and_recovers(tmp_path: Path):
    _write(tmp_path / "default.yaml", DEFAULT)
    library = ScenarioLibrary(tmp_path)
    _write(tmp_path / "default.yaml", "name: default\ntimeline: [{after: 0s, status: bogus}]")
    assert library.check() is True
    assert library.get("default").outcomes[0].timeline[0].status == "pending"
    assert "default.yaml: timeline[0].status" in library.error
    _write(tmp_path / "default.yaml", "name: default\ntimeline: [{after: 0s, status: sent}]")
    library.check()
    assert library.error is None
    assert library.get("default").outcomes[0].timeline[0].status == "sent"


def test_select_remembers_a_choice_per_whole_question_within_its_bound(monkeypatch):
    scenarios = _set()
    texted = MatchContext("d7", "sms", "1", text="Your OTP", credential="demo")
    assert scenarios.select(texted)[0].name == "text"
    assert scenarios.select(MatchContext("d7", "sms", "1", text="hello", credential="demo"))[0].name == "default"
    assert scenarios.select(MatchContext("d7", "sms", "1", text="Your OTP", credential="other"))[0].name == "default"
    assert scenarios.select(texted)[0].name == "text"
    monkeypatch.setattr("simulator.core.scenarios.REMEMBERED_CHOICES", 3)
    for number in range(10):
        assert scenarios.select(MatchContext("d7", "sms", f"{number}9"))[0].name == "pattern"
    assert len(scenarios._chosen) <= 3
