"""Replaying journalled requests: masked secrets found again, ids the seed does not fix normalised."""

from __future__ import annotations

import base64

import pytest

from simulator.core.journal import mask, masked_body
from simulator.core.replay import IdMap, Replayer, Secrets, stand_in

ACCOUNTS = [("d7", "demo", {"api_token": "sim-d7-demo-token"}), ("routee", "demo", {"id": "app", "secret": "s3cret"})]


@pytest.mark.parametrize(
    ("secret", "expected"),
    [
        ("Bearer sim-d7-demo-token", "Bearer sim-d7-demo-token"),
        ("sim-d7-demo-token", "sim-d7-demo-token"),
        ("Basic " + base64.b64encode(b"app:s3cret").decode(), "Basic " + base64.b64encode(b"app:s3cret").decode()),
    ],
    ids=["bearer", "bare", "basic-pair"],
)
def test_unmask_account_secret_gives_it_back(secret, expected):
    assert Secrets(ACCOUNTS).unmask(mask(secret)) == expected


def test_unmask_unknown_secret_gives_a_stand_in_with_the_same_mask():
    masked = mask("Bearer wrong-token-1234")
    assert Secrets(ACCOUNTS).unmask(masked) == "Bearer xxxxxxxxxxxx1234"
    assert mask(stand_in(masked)) == masked


def test_unmask_issued_token_uses_the_token_a_replay_got_in_its_place():
    secrets = Secrets()
    secrets.learn(masked_body('{"access_token":"recorded-token-aaaa"}'), '{"access_token":"replayed-token-bbbb"}')
    assert secrets.unmask(mask("Bearer recorded-token-aaaa")) == "Bearer replayed-token-bbbb"


def test_unmask_body_finds_a_credential_in_json():
    body = masked_body('{"auth":"sim-d7-demo-token","data":[]}')
    assert Secrets(ACCOUNTS).unmask_body(body) == '{"auth":"sim-d7-demo-token","data":[]}'


def test_ids_matching_maps_recorded_ids_and_carries_them_into_later_requests():
    ids = IdMap()
    assert ids.matches('{"id":"5769","at":"2026-01-05 09:00:00"}', '{"id":"8123","at":"2026-01-05 09:00:07"}')
    assert ids.carry("/status/5769?x=5769") == "/status/8123?x=8123"


@pytest.mark.parametrize(
    ("recorded", "actual"),
    [
        ('{"status":"delivered","id":"5769"}', '{"status":"undelivered","id":"5769"}'),
        ('{"a":"5769","b":"5770"}', '{"a":"8123","b":"8123"}'),
        ('{"a":"5769","b":"5769"}', '{"a":"8123","b":"8124"}'),
        ('{"price":1.05}', '{"price":1.06}'),
    ],
    ids=["status-changed", "two-ids-became-one", "one-id-became-two", "decimal"],
)
def test_ids_matching_refuses_what_is_not_an_id_or_time(recorded, actual):
    assert not IdMap().matches(recorded, actual)


def test_check_exact_compares_masked_bytes():
    replayer = Replayer(ACCOUNTS, exact=True)
    assert replayer.check(200, '{"token":"****bbbb"}', 200, b'{"token":"xxxxbbbb"}') is None
    assert "expected 200" in replayer.check(200, '{"id":"5769"}', 200, b'{"id":"8123"}')


def test_prepare_drops_transport_headers_and_unmasks_secrets():
    sent = Replayer(ACCOUNTS, exact=True).prepare(
        "GET", "/d7/x", "", {"Host": "a", "Content-Length": "0", "Authorization": mask("Bearer sim-d7-demo-token")}, ""
    )
    assert sent.headers == {"Authorization": "Bearer sim-d7-demo-token"}
