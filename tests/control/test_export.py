"""GET /_sim/export: a run driven by hand over HTTP becomes a passing pytest file, a valid HAR, a curl
script that reproduces the bytes, and golden cases the golden runner accepts."""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask import Flask
from jsonschema import Draft6Validator
from referencing import Registry, Resource

import tests.test_golden as golden_runner
from simulator.app import create_app
from simulator.server import ThreadedServer, serve_in_thread
from simulator.settings import Settings
from tests.conftest import make_settings

HAR_SCHEMA = Path(__file__).resolve().parents[1] / "har_schema"
D7 = {"Authorization": "Bearer sim-d7-demo-token"}
SMSCLUB = {"Authorization": "Bearer sim-smsclub-demo-token"}
ROUTEE_BASIC = ("5756a411e4b06a33d50517c7", "vb6QpjCIOG")
PLUGIN = ("-p", "simulator.testing.pytest_plugin")


@pytest.fixture
def settings() -> Settings:
    return make_settings()  # the shipped scenarios and accounts, seed 1, a frozen clock


@pytest.fixture
def app(settings: Settings) -> Flask:
    return create_app(settings)


@pytest.fixture
def server(app: Flask) -> Iterator[ThreadedServer]:
    server = serve_in_thread(app)
    yield server
    server.close()
    if server.errors:
        raise server.errors[0]


def _clock(url: str, **change) -> None:
    requests.post(f"{url}/_sim/clock", json=change, timeout=10).raise_for_status()


def drive_demo(url: str) -> list[requests.Response]:
    """A person trying things by hand: sends to magic numbers of three providers, clock moves, status
    checks, an injected reply; returns the provider answers in order."""
    answers = []
    send = {
        "messages": [{"channel": "viber", "recipients": ["+971500000002"], "content": "code 1", "label": "PROMOTION"}],
        "message_globals": {"originator": "INFO2WAY"},
    }
    answers.append(requests.post(f"{url}/d7/viber/v1/send", json=send, headers=D7, timeout=10))
    request_id = answers[-1].json()["request_id"]
    _clock(url, advance="3s")
    answers.append(requests.get(f"{url}/d7/report/v1/viber-log/{request_id}", headers=D7, timeout=10))
    body = {
        "auth": "sim-jsonphp-demo-key",
        "data": [{"type": "sms", "id": 7, "phone": 380990000001, "sms_signature": "SMSTest", "sms_message": "hello"}],
    }
    answers.append(requests.post(f"{url}/jsonphp/api/json.php", json=body, timeout=10))
    token = requests.post(
        f"{url}/routee/oauth/token", data={"grant_type": "client_credentials"}, auth=ROUTEE_BASIC, timeout=10
    )
    answers.append(token)
    routee = {"Authorization": f"Bearer {token.json()['access_token']}"}
    viber = {"senderInfoTrackingId": "5a7b1f0e2e4b0a1b2c3d4e5f", "to": "+306900000001", "body": {"text": "hi"}}
    answers.append(requests.post(f"{url}/routee/viber", json=viber, headers=routee, timeout=10))
    tracking = answers[-1].json()["trackingId"]
    message = requests.get(f"{url}/_sim/messages/latest", params={"provider": "d7"}, timeout=10).json()["key"]
    requests.post(f"{url}/_sim/messages/{message}/reply", json={"text": "yes"}, timeout=10).raise_for_status()
    _clock(url, advance="1m")
    answers.append(requests.get(f"{url}/d7/report/v1/viber-log/{request_id}", headers=D7, timeout=10))
    answers.append(requests.get(f"{url}/routee/viber/tracking/{tracking}", headers=routee, timeout=10))
    answers.append(requests.post(f"{url}/smsclub/vibers/send", json={"phones": ["380990000001"]}, headers=SMSCLUB))
    return answers


def _export(url: str, **params) -> requests.Response:
    return requests.get(f"{url}/_sim/export", params=params, timeout=30)


def _replay_suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, source: str) -> pytest.Pytester:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("SIM_URL", raising=False)
    pytester.makepyfile(test_recorded=source)
    return pytester


def test_export_pytest_of_a_driven_run_replays_and_passes(server, pytester, monkeypatch):
    drive_demo(server.url)
    exported = _export(server.url, format="pytest")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"] == 'attachment; filename="test_the_whole_run.py"'
    assert "exact=True" in exported.text and "run.reply(" in exported.text and "sim-d7-demo-token" not in exported.text
    suite = _replay_suite(pytester, monkeypatch, exported.text)
    suite.runpytest(*PLUGIN).assert_outcomes(passed=1)


def test_export_pytest_replay_with_another_scenario_bound_fails(server, pytester, monkeypatch):
    drive_demo(server.url)
    suite = _replay_suite(pytester, monkeypatch, _export(server.url, format="pytest").text)
    suite.makeconftest(
        """
        import pytest

        @pytest.fixture(autouse=True)
        def other_fate(sim_scenario):
            sim_scenario("magic-failed")
        """
    )
    result = suite.runpytest(*PLUGIN)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*GET /d7/report/v1/viber-log/*expected 200*"])


def test_export_pytest_of_one_message_replays_with_ids_normalised(server, pytester, monkeypatch):
    drive_demo(server.url)  # the message's ids depend on the sends before it: the replay gets others
    key = requests.get(f"{server.url}/_sim/messages/latest", params={"provider": "routee"}, timeout=10).json()["key"]
    exported = _export(server.url, format="pytest", message=key)
    assert "exact=False" in exported.text
    assert exported.text.count("run.request(") == 3  # the token it used, the send and the tracking check
    suite = _replay_suite(pytester, monkeypatch, exported.text)
    suite.runpytest(*PLUGIN).assert_outcomes(passed=1)


def _har_validator() -> Draft6Validator:
    schemas = {path.name: json.loads(path.read_text()) for path in HAR_SCHEMA.glob("*.json")}
    registry = Registry().with_resources((name, Resource.from_contents(schema)) for name, schema in schemas.items())
    return Draft6Validator(schemas["har.json"], registry=registry, format_checker=Draft6Validator.FORMAT_CHECKER)


def test_export_har_validates_against_har_1_2_schema(server):
    answers = drive_demo(server.url)
    exported = _export(server.url, format="har")
    document = exported.json()
    errors = sorted(_har_validator().iter_errors(document), key=str)
    assert errors == []
    entries = document["log"]["entries"]
    assert document["log"]["version"] == "1.2" and len(entries) == len(answers)
    assert [entry["response"]["status"] for entry in entries] == [answer.status_code for answer in answers]
    assert entries[0]["request"]["url"] == f"{server.url}/d7/viber/v1/send"


def test_har_schema_rejects_an_entry_without_response():
    broken = {"log": {"version": "1.2", "creator": {"name": "x", "version": "1"}, "entries": [{"request": {}}]}}
    assert list(_har_validator().iter_errors(broken))


def test_export_curl_run_in_a_shell_against_a_fresh_simulator_gives_same_bytes(server, tmp_path):
    answers = drive_demo(server.url)
    script = _export(server.url, format="curl").text
    assert "sim-d7-demo-token" not in script and "vb6QpjCIOG" not in script and "sim-jsonphp-demo-key" not in script
    token = answers[3].json()["access_token"]
    (tmp_path / "replay.sh").write_text(script)
    fresh = serve_in_thread(create_app(make_settings()))
    try:
        environment = {
            **os.environ,
            "SIM_URL": fresh.url,
            "D7_DEMO_API_TOKEN": "sim-d7-demo-token",
            "JSONPHP_DEMO_AUTH": "sim-jsonphp-demo-key",
            "ROUTEE_DEMO_APPLICATION_ID": ROUTEE_BASIC[0],
            "ROUTEE_DEMO_APPLICATION_SECRET": ROUTEE_BASIC[1],
            "SMSCLUB_DEMO_TOKEN": "sim-smsclub-demo-token",
            "SECRET_1": token,  # the token the simulator issued: same seed, same token
        }
        result = subprocess.run(
            ["sh", str(tmp_path / "replay.sh")], env=environment, capture_output=True, timeout=60, check=False
        )
    finally:
        fresh.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"".join(answer.content + b"\n" for answer in answers)


def test_export_curl_without_its_secrets_stops_before_sending(server, tmp_path):
    drive_demo(server.url)
    (tmp_path / "replay.sh").write_text(_export(server.url, format="curl").text)
    result = subprocess.run(
        ["sh", str(tmp_path / "replay.sh")],
        env={"PATH": os.environ["PATH"], "SIM_URL": "http://127.0.0.1:9"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0 and "D7_DEMO_API_TOKEN" in result.stderr and result.stdout == ""


def test_export_golden_cases_pass_the_golden_runner(server, tmp_path, monkeypatch):
    requests.post(
        f"{server.url}/d7/viber/v1/send",
        json={
            "messages": [{"channel": "viber", "recipients": ["+971500000002"], "content": "x", "label": "PROMOTION"}],
            "message_globals": {"originator": "INFO2WAY"},
        },
        headers=D7,
        timeout=10,
    )
    token = requests.post(
        f"{server.url}/routee/oauth/token", data={"grant_type": "client_credentials"}, auth=ROUTEE_BASIC, timeout=10
    )
    _clock(server.url, advance="3s")
    requests.get(
        f"{server.url}/routee/viber/tracking/nope", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
    )
    exported = _export(server.url, format="golden")
    assert exported.status_code == 200, exported.text
    zipfile.ZipFile(io.BytesIO(exported.content)).extractall(tmp_path)
    cases = sorted(tmp_path.glob("*/*/*.yaml"))
    assert [case.relative_to(tmp_path).as_posix().rsplit("_", 1)[0] for case in cases] == [
        "d7/viber_v1_send/200_recorded",
        "routee/oauth_token/200_recorded",
        "routee/viber_tracking_nope/404_recorded",
    ]
    assert "provenance: recorded" in cases[0].read_text()
    monkeypatch.setattr(golden_runner, "GOLDEN", tmp_path)
    for case in cases:
        golden_runner.test_golden_case_matches_bytes(case)


def test_export_golden_with_an_operator_action_is_refused(server):
    drive_demo(server.url)
    answer = _export(server.url, format="golden")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "not_expressible"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "invalid_request"),
        ({"format": "zip"}, 400, "invalid_request"),
        ({"format": "curl", "message": "d7:x", "entry": "1"}, 400, "invalid_request"),
        ({"format": "curl", "entry": "999"}, 404, "not_found"),
        ({"format": "curl", "message": "nope"}, 404, "not_found"),
    ],
    ids=["no-format", "unknown-format", "message-and-entry", "unknown-entry", "unknown-message"],
)
def test_export_bad_query_answers_control_error(server, params, status, code):
    drive_demo(server.url)
    answer = _export(server.url, **params)
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code


def test_export_entry_of_a_transition_is_not_replayable(server):
    drive_demo(server.url)
    index = requests.get(f"{server.url}/_sim/journal", params={"kind": "transition"}, timeout=10).json()["entries"][0]
    answer = _export(server.url, format="curl", entry=index["index"])
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "not_replayable"


def test_export_one_request_entry_as_curl_has_just_that_request(server):
    drive_demo(server.url)
    entry = requests.get(f"{server.url}/_sim/requests", params={"provider": "jsonphp"}, timeout=10).json()["requests"][
        0
    ]
    script = _export(server.url, format="curl", entry=entry["index"]).text
    assert script.count("curl -sS -w") == 1
    assert """--data-raw '{"auth": "'"${JSONPHP_DEMO_AUTH}"'", "data": [""" in script


def test_export_of_an_empty_namespace_answers_404(server):
    answer = _export(server.url, format="pytest")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "nothing_to_export"


def test_journal_records_clock_moves_and_operator_actions(server):
    drive_demo(server.url)
    entries = requests.get(f"{server.url}/_sim/journal", timeout=10).json()["entries"]
    clocks = [entry["change"] for entry in entries if entry["kind"] == "clock"]
    actions = [entry["action"] for entry in entries if entry["kind"] == "control"]
    assert clocks == [{"advance": "1m"}, {"advance": "3s"}]
    assert actions == ["reply"]
    assert [entry["index"] for entry in entries] == list(range(len(entries) - 1, -1, -1))
