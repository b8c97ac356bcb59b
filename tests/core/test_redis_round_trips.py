"""What a Redis read costs in round trips, the figure its latency is made of (one is ~90 µs on loopback,
the rest of a D7 report ~0.2 ms): counted on a real Redis, so a change that adds one shows up here."""

from __future__ import annotations

import pytest
from redis.connection import Connection

from simulator.core.store.base import MessageQuery
from simulator.core.store.redis import RedisStore
from tests.core.test_store_index import T0, message


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts what the store sends to Redis: a command, a pipeline or a script is one round trip."""
    sent = [0]
    send = Connection.send_packed_command

    def counted(self, command, check_health=True):
        sent[0] += 1
        return send(self, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counted)
    return sent


def _filled(store: RedisStore) -> None:
    for number in range(20):
        store.add_message("default", message(f"m{number}", group="request-1" if number < 3 else f"other-{number}"))
    store.query("default", MessageQuery(), T0 + 0.5)  # the first read after the writes: nothing left due later
    store.query("default", MessageQuery(provider="p", group="other-5"), T0 + 0.5)  # Redis has the page script now


def test_every_match_in_a_group_costs_two_round_trips(redis_store: RedisStore, round_trips: list[int]):
    _filled(redis_store)
    round_trips[0] = 0
    page = redis_store.query("default", MessageQuery(provider="p", group="request-1"), T0 + 0.5)
    assert [found.id for found in page.messages] == ["m2", "m1", "m0"]
    # The catch-up check with the sizes of the indexes; the group's keys with their index entries and messages.
    assert round_trips[0] == 2


def test_a_limited_page_reads_only_the_messages_it_returns(redis_store: RedisStore, round_trips: list[int]):
    _filled(redis_store)
    round_trips[0] = 0
    page = redis_store.query("default", MessageQuery(provider="p", status="pending"), T0 + 0.5, limit=2)
    assert [found.id for found in page.messages] == ["m19", "m18"]
    assert page.total == 20
    # The check with the sizes; a page of keys with their index entries, no messages; the total from the
    # counters; the two messages.
    assert round_trips[0] == 4


def test_a_text_search_reads_each_message_once(redis_store: RedisStore, round_trips: list[int]):
    _filled(redis_store)
    redis_store.add_message("default", message("needle", text="find the needle here", created_at=T0 + 0.1))
    round_trips[0] = 0
    page = redis_store.query("default", MessageQuery(contains="needle"), T0 + 0.5)
    assert [found.id for found in page.messages] == ["needle"]
    assert page.total == 1
    # The check with the sizes; the keys with their index entries and messages, searched and kept.
    assert round_trips[0] == 2


def test_counts_cost_one_round_trip_when_nothing_fell_due(redis_store: RedisStore, round_trips: list[int]):
    _filled(redis_store)
    round_trips[0] = 0
    assert redis_store.message_counts("default", T0 + 0.5) == {("p", "pending"): 20}
    assert round_trips[0] == 1


def test_a_read_after_statuses_fell_due_brings_them_up_to_date_first(redis_store: RedisStore):
    _filled(redis_store)
    page = redis_store.query("default", MessageQuery(status="sent"), T0 + 1.5)
    assert page.total == 20  # the sizes were read again after the catch-up moved every message to "sent"
