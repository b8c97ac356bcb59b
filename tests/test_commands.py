"""`provider-simulator <command>` as a user runs it: a real process talking to a real server."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from simulator.app import create_app
from simulator.server import ThreadedServer, serve_in_thread
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[1]
DELIVERED = "+971500000001"  # magic-delivered: sent after 1 s, delivered after 3 s


def run(*args: str, url: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    command = [sys.executable, "run.py", *args, *(["--url", url] if url else [])]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def server() -> Iterator[ThreadedServer]:
    server = serve_in_thread(create_app(make_settings()))
    yield server
    server.close()
    if server.errors:
        raise server.errors[0]


@pytest.fixture
def stopped_url() -> str:
    server = serve_in_thread(create_app(make_settings()))
    server.close()
    return server.url


def send_d7(url: str, to: str = DELIVERED) -> None:
    result = run("send", "d7", "--to", to, "--text", "code 42", url=url)
    assert result.returncode == 0, result.stderr


def test_send_d7_demo_credentials_prints_the_provider_answer(server):
    result = run("send", "d7", "--to", DELIVERED, "--text", "code 42", url=server.url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('d7 answered 200\n{"request_id":')
    [message] = requests.get(f"{server.url}/_sim/messages", timeout=10).json()["messages"]
    assert (message["provider"], message["recipient"], message["text"]) == ("d7", DELIVERED, "code 42")


@pytest.mark.parametrize(
    ("provider", "channel", "to"),
    [
        ("smsclub", "sms", "380990000001"),
        ("smsclub", "viber", "380990000001"),
        ("d7", "viber", DELIVERED),
        ("jsonphp", "sms", "380990000001"),
        ("jsonphp", "viber", "380990000001"),
        ("routee", "viber", "+306900000001"),
    ],
    ids=["smsclub-sms", "smsclub-viber", "d7-viber", "jsonphp-sms", "jsonphp-viber", "routee-viber-oauth"],
)
def test_send_each_provider_json_output_creates_the_message(server, provider, channel, to):
    result = run("send", provider, "--channel", channel, "--to", to, "--json", url=server.url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["status"] == 200
    [message] = requests.get(f"{server.url}/_sim/messages", timeout=10).json()["messages"]
    assert (message["provider"], message["channel"]) == (provider, channel)


def test_send_refused_by_the_provider_exits_1_with_its_answer(server):
    result = run("send", "d7", "--to", "+971500000020", url=server.url)  # magic-no-money
    assert result.returncode == 1
    assert result.stdout.startswith("d7 answered 402")


def test_send_unknown_provider_is_one_line(server):
    assert one_line_error(run("send", "nope", "--to", "1", url=server.url)) == (
        "provider-simulator send: unknown provider 'nope' (send knows: d7, jsonphp, routee, smsclub)"
    )


def test_messages_table_lists_status_and_filters(server):
    send_d7(server.url)
    send_d7(server.url, "+971500000007")  # magic-rejected
    requests.post(f"{server.url}/_sim/clock", json={"advance": "5s"}, timeout=10)
    result = run("messages", "--status", "delivered", url=server.url)
    assert result.returncode == 0, result.stderr
    header, row, total = result.stdout.strip().splitlines()
    assert header.split() == ["key", "channel", "recipient", "status", "scenario", "created_at", "text"]
    assert row.split()[2:5] == [DELIVERED, "delivered", "magic-delivered"]
    assert total == "(1 of 1 in namespace 'default')"


def test_messages_json_is_the_control_api_answer(server):
    send_d7(server.url)
    result = run("messages", "--json", url=server.url)
    assert json.loads(result.stdout)["total"] == 1


def test_wait_for_an_existing_message_shows_what_it_waits_for(server):
    send_d7(server.url)
    result = run("wait", "--to", DELIVERED, "--status", "pending", url=server.url)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"waiting for to={DELIVERED} status=pending: 30s left")
    assert DELIVERED in result.stdout


def test_wait_returns_when_a_clock_advance_delivers(server):
    send_d7(server.url)
    command = [sys.executable, "run.py", "wait", "--to", DELIVERED, "--status", "delivered", "--url", server.url]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as waiting:
        assert waiting.stderr.readline().startswith(f"waiting for to={DELIVERED} status=delivered: ")
        requests.post(f"{server.url}/_sim/clock", json={"advance": "5s"}, timeout=10).raise_for_status()
        out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "delivered" in out


def test_wait_timeout_exits_1_naming_what_it_waited_for(server):
    result = run("wait", "--to", "+380000", "--timeout", "1s", url=server.url)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "provider-simulator wait: timed out after 1s waiting for to=+380000"
    )


def test_advance_moves_the_clock_and_prints_it(server):
    result = run("advance", "90s", url=server.url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-01-05T07:01:30.000Z (frozen) in namespace 'default'"


def test_freeze_at_an_instant_then_off(server):
    assert run("freeze", "2026-02-01T00:00:00Z", url=server.url).stdout.startswith("2026-02-01T00:00:00.000Z (frozen)")
    result = run("freeze", "--off", "--json", url=server.url)
    assert json.loads(result.stdout)["frozen"] is False


def test_reply_injects_an_inbound_reply(server):
    send_d7(server.url)
    key = requests.get(f"{server.url}/_sim/messages/latest", timeout=10).json()["key"]
    result = run("reply", key, "--text", "yes please", url=server.url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("1 replies")
    assert requests.get(f"{server.url}/_sim/messages/{key}", timeout=10).json()["replies"][0]["text"] == "yes please"


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("pytest", "test_the_whole_run.py"), ("curl", "sim-the_whole_run.sh"), ("har", "sim-the_whole_run.har")],
    ids=["pytest", "curl", "har"],
)
def test_export_writes_the_suggested_file(server, tmp_path, fmt, name):
    send_d7(server.url)
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "export", fmt, "--url", server.url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {name} (")
    assert (tmp_path / name).read_text(encoding="utf-8") == requests.get(
        f"{server.url}/_sim/export", params={"format": fmt}, timeout=10
    ).text


def test_export_golden_to_a_named_file_is_a_zip(server, tmp_path):
    send_d7(server.url)
    target = tmp_path / "cases.zip"
    assert run("export", "golden", "-o", str(target), url=server.url).returncode == 0
    assert zipfile.ZipFile(target).namelist()[0].startswith("d7/messages_v1_send/200_recorded_")


def test_export_unknown_entry_is_one_line(server):
    send_d7(server.url)
    assert one_line_error(run("export", "curl", "--entry", "999", url=server.url)) == (
        "provider-simulator export: not_found: no journal entry 999 in namespace 'default'"
    )


NETWORK_COMMANDS = [
    ("send", "d7", "--to", DELIVERED),
    ("messages",),
    ("wait", "--timeout", "1s"),
    ("advance", "5s"),
    ("freeze",),
    ("reply", "d7:x", "--text", "hi"),
    ("export", "curl", "-o", "-"),
]
COMMAND_IDS = [command[0] for command in NETWORK_COMMANDS]


@pytest.mark.parametrize("command", NETWORK_COMMANDS, ids=COMMAND_IDS)
def test_command_with_bad_url_is_one_line(command):
    assert one_line_error(run(*command, url="nonsense")) == (
        f"provider-simulator {command[0]}: bad --url 'nonsense': use http://host:port"
    )


@pytest.mark.parametrize("command", NETWORK_COMMANDS, ids=COMMAND_IDS)
def test_command_against_a_stopped_simulator_is_one_line(command, stopped_url):
    assert one_line_error(run(*command, url=stopped_url)) == (
        f"provider-simulator {command[0]}: cannot reach a simulator at {stopped_url}: is it running?"
    )


def test_command_against_something_else_is_one_line(server):
    assert one_line_error(run("messages", url=f"{server.url}/d7")) == (
        f"provider-simulator messages: {server.url}/d7 did not answer like a provider simulator (HTTP 404)"
    )


def test_lint_shipped_scenarios_is_ok():
    result = run("lint", str(ROOT / "scenarios"))
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("ok: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: bad\ntimeline:\n  - {after: 0s, status: pending}\n  - {after: x, status: sent}\n",
            "{file}:4: timeline[1].after: not a duration: 'x' (use e.g. 90s, 1.5m, 250ms, 2h)",
        ),
        (
            "scenarios:\n  - name: ok\n    timeline: [{after: 0s, status: pending}]\n  - name: two\n    timelin: []\n",
            "{file}:5: scenarios[1].timelin: Unknown field.",
        ),
        ("name: x\ntimeline: [\n", "{file}:3: not valid YAML: expected the node content, but found '<stream end>'"),
    ],
    ids=["bad-duration", "unknown-key-in-list", "yaml-syntax"],
)
def test_lint_broken_file_names_file_line_and_key_path(tmp_path, text, expected):
    broken = tmp_path / "broken.yaml"
    broken.write_text(text)
    result = run("lint", str(broken))
    assert result.returncode == 1
    assert result.stdout.strip() == expected.format(file=broken)


def test_lint_directory_with_a_duplicate_name_points_at_it(tmp_path):
    (tmp_path / "a.yaml").write_text("name: default\ntimeline: [{after: 0s, status: pending}]\n")
    (tmp_path / "b.yaml").write_text("\nname: default\ntimeline: [{after: 0s, status: sent}]\n")
    result = run("lint", str(tmp_path), "--json")
    assert result.returncode == 1
    [problem] = json.loads(result.stdout)
    assert (problem["file"], problem["line"], problem["path"]) == (str(tmp_path / "b.yaml"), 2, "name")
    assert problem["message"].startswith("duplicate scenario 'default'")


def test_lint_missing_file_is_reported_not_raised(tmp_path):
    result = run("lint", str(tmp_path / "none.yaml"))
    assert result.returncode == 1
    assert result.stdout.strip() == f"{tmp_path / 'none.yaml'}: cannot read: No such file or directory"


def test_serving_flags_still_serve_when_no_command_is_given():
    result = run("--port", "abc")
    assert result.returncode == 2 and "port must be a whole number" in result.stderr
