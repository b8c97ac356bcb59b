"""Discovery, health, reset, seed, clock, metrics and the OpenAPI document."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from openapi_spec_validator import validate

from simulator.app import create_app
from tests.conftest import advance, make_settings
from tests.control.conftest import DEMO_TOKEN, PROVIDERS, error_code, send
from tests.receiver import Receiver

JOURNAL_METRICS = ("sim_journal_entries", "sim_requests", "sim_webhook_attempts")


def test_discovery_with_namespace_gives_namespaced_base_urls(client):
    plain = {p["name"]: p["base_urls"][0] for p in client.get("/_sim/").json["providers"]}
    spaced = {p["name"]: p["base_urls"][0] for p in client.get("/_sim/?namespace=gw0").json["providers"]}
    assert plain["fake"] == "http://localhost/fake"
    assert spaced["fake"] == "http://localhost/_ns/gw0/fake"


def test_root_redirects_a_person_to_the_inbox(client):
    response = client.get("/")
    assert (response.status_code, response.location) == (302, "/_sim/inbox/")


def test_discovery_lists_what_each_demo_account_may_send_from(client):
    senders = {p["name"]: p["demo_senders"] for p in client.get("/_sim/").json["providers"]}
    assert senders["smsclub"] == ["Tesst", "ваше альфа имя", "Shop Zakaz", "VashZakaz", "test"]
    assert senders["jsonphp"] == ["SMSTest", "ViberTest", "AlphaRCS"]
    assert senders["routee"] == ["5a7b1f0e2e4b0a1b2c3d4e5f", "sim-sender"]  # senderInfoTrackingId values
    assert senders["d7"] is None  # any originator


def test_health_reports_ok(client):
    body = client.get("/_sim/health").json
    assert body["status"] == "ok"
    assert body["scenarios"] == 4


def test_reset_one_namespace_leaves_others(client):
    send(client, namespace="a")
    send(client, namespace="b")
    assert client.post("/_sim/reset?namespace=a").json == {"reset": "a"}
    assert client.get("/_sim/messages?namespace=a").json["total"] == 0
    assert client.get("/_sim/messages?namespace=b").json["total"] == 1


def test_reset_without_namespace_forgets_everything(client):
    send(client, namespace="a")
    send(client)
    assert client.post("/_sim/reset").json == {"reset": "all"}
    assert client.get("/_sim/messages?namespace=a").json["total"] == 0
    assert client.get("/_sim/messages").json["total"] == 0


@pytest.mark.parametrize(
    ("url", "kwargs"),
    [
        ("/_sim/reset", {"json": {"namespace": 5}}),
        ("/_sim/reset", {"json": {"everything": True}}),
        ("/_sim/reset?namespace=../x", {}),
        ("/_sim/reset", {"data": "nope", "content_type": "application/json"}),
    ],
    ids=["number-namespace", "unknown-key", "bad-namespace-name", "not-json"],
)
def test_reset_bad_input_answers_400(client, url, kwargs):
    assert client.post(url, **kwargs).status_code == 400


def test_seed_same_seed_gives_same_ids(client):
    client.post("/_sim/seed", json={"seed": 7})
    first = send(client)
    client.post("/_sim/reset")
    client.post("/_sim/seed", json={"seed": 7})
    assert send(client) == first


def test_seed_one_namespace_leaves_other_ids_alone(client):
    client.post("/_sim/seed?namespace=a", json={"seed": 3})
    client.post("/_sim/seed?namespace=b", json={"seed": 4})
    assert send(client, namespace="a") != send(client, namespace="b")


@pytest.mark.parametrize("body", [{}, {"seed": "7"}, {"seed": 1.5}], ids=["missing", "string", "float"])
def test_seed_bad_body_answers_400(client, body):
    response = client.post("/_sim/seed", json=body)
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


def test_clock_advance_moves_one_namespace_only(client):
    before = client.get("/_sim/clock?namespace=b").json["timestamp"]
    after = client.post("/_sim/clock?namespace=a", json={"advance": "90s"}).json
    assert after["timestamp"] == before + 90
    assert client.get("/_sim/clock?namespace=b").json["timestamp"] == before


def test_clock_freeze_at_instant_and_set(client):
    frozen = client.post("/_sim/clock", json={"freeze": "2030-01-01T00:00:00Z"}).json
    assert (frozen["now"], frozen["frozen"]) == ("2030-01-01T00:00:00.000Z", True)
    moved = client.post("/_sim/clock", json={"set": "2030-01-02T00:00:00+02:00"}).json
    assert moved["now"] == "2030-01-01T22:00:00.000Z"


@pytest.mark.parametrize(
    "body",
    [{}, {"advance": "-5s"}, {"advance": "soon"}, {"set": "tomorrow"}, {"jump": 1}, {"advance": True}],
    ids=["empty", "negative", "words", "bad-instant", "unknown", "boolean"],
)
def test_clock_bad_body_answers_400(client, body):
    response = client.post("/_sim/clock", json=body)
    assert response.status_code == 400
    assert error_code(response) == "invalid_clock_request"


def test_metrics_prometheus_text_counts_messages_and_requests(client, engine):
    send(client)
    advance(engine, 5)
    response = client.get("/_sim/metrics")
    assert response.content_type.startswith("text/plain; version=0.0.4")
    text = response.get_data(as_text=True)
    assert 'sim_messages{namespace="default",provider="fake",status="delivered"} 1' in text
    assert 'sim_requests{namespace="default",provider="fake",code="201"} 1' in text
    sample = re.compile(r'^[a-z_]+(\{([a-z_]+="[^"]*",?)+\})? -?\d+(\.\d+)?$')
    for line in text.splitlines():
        assert line.startswith("# HELP ") or line.startswith("# TYPE ") or sample.match(line), line


def _journal_metrics(text: str) -> set[str]:
    return {line for line in text.splitlines() if line.startswith(JOURNAL_METRICS)}


def _scanned(entries: list[dict]) -> set[str]:
    """The journal's metric lines as counting the entries one by one gives them."""
    found: Counter[str] = Counter()
    for entry in entries:
        found[f'sim_journal_entries{{namespace="default",kind="{entry["kind"]}"}}'] += 1
        if entry["kind"] == "request":
            found[f'sim_requests{{namespace="default",provider="{entry["provider"]}",code="{entry["status"]}"}}'] += 1
        elif entry["kind"] == "webhook":
            outcome = "ok" if entry["status"] is not None and 200 <= entry["status"] < 300 else "failed"
            found[f'sim_webhook_attempts{{namespace="default",outcome="{outcome}"}}'] += 1
    return {f"{line} {count}" for line, count in found.items()}


def _counted_and_scanned(client, engine) -> tuple[set[str], list[dict]]:
    """The journal's metric lines and the journal's entries, read once no webhook is in flight (attempts
    are journalled from the sender's threads; on the frozen clock nothing else journals meanwhile)."""
    assert engine.sender.wait_idle()
    counted = _journal_metrics(client.get("/_sim/metrics").get_data(as_text=True))
    return counted, client.get("/_sim/journal?limit=1000").json["entries"]


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_metrics_journal_counts_equal_a_scan_of_the_journal(request, scenario_dir, backend):
    store = "memory://"
    if backend == "redis":
        request.getfixturevalue("redis_store")  # an empty database, emptied again afterwards
        store = request.getfixturevalue("redis_url")
    settings = make_settings(scenarios=str(scenario_dir), store=store, journal_max_entries=12, journal_max_age=300.0)
    app = create_app(settings, PROVIDERS)
    engine = app.extensions["simulator"].engine
    request.addfinalizer(engine.close)
    receiver = Receiver()
    request.addfinalizer(receiver.stop)
    client = app.test_client()

    send(client, callback=receiver.start() + "/hook")  # answered 200: ok
    send(client, callback="http://127.0.0.1:9/closed")  # refused: failed, retried 5 s later

    def both_outcomes_journalled() -> bool:
        return {200, None} <= {entry.get("status") for entry in engine.operator_door().journal("webhook")}

    assert engine.journal.wait_for(both_outcomes_journalled, timeout=10)
    counted, entries = _counted_and_scanned(client, engine)
    assert counted == _scanned(entries) and 'sim_webhook_attempts{namespace="default",outcome="ok"} 1' in counted

    for number in range(6):  # more than the journal keeps: trimmed by count
        send(client, to=f"38050123456{number}")
        advance(engine, 5)
    client.get("/fake/status/missing", headers={"Authorization": f"Bearer {DEMO_TOKEN}"})  # a 404 request
    counted, entries = _counted_and_scanned(client, engine)
    assert len(entries) == 12 and counted == _scanned(entries)

    advance(engine, 400)  # every entry is now too old: the next one trims them by age
    send(client)
    counted, entries = _counted_and_scanned(client, engine)
    assert len(entries) < 12 and counted == _scanned(entries)


def test_openapi_document_is_valid_and_covers_every_route(client, app):
    document = client.get("/_sim/openapi.json").json
    validate(document)
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    served = {
        (re.sub(r"<(\w+)>", "{id}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/_sim") and not rule.rule.startswith("/_sim/inbox")  # the UI's own page API
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served


def test_unknown_control_path_answers_404_in_our_format(client):
    response = client.get("/_sim/nothing")
    assert response.status_code == 404
    assert error_code(response) == "not_found"
