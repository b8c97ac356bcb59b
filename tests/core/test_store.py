"""The store contract, run against every backend: the embedded memory store and a real Redis."""

import threading

import pytest
import redis

from simulator.core.lifecycle import Media, Reply, Step
from simulator.core.messages import Message
from simulator.core.store import MemoryStore, Store
from simulator.core.store.redis import LAYOUT, LAYOUT_VERSION, RedisStore

THREADS = 64
PER_THREAD = 50


def _message(key: str) -> Message:
    return Message(
        key=key,
        provider="p",
        id=key,
        channel="sms",
        account="a",
        recipient="1",
        sender=None,
        text=None,
        created_at=0.0,
        steps=(Step(0, "pending"),),
        scenario="default",
        matched_by="default",
    )


@pytest.fixture(params=["memory", "redis"])
def store(request) -> Store:
    if request.param == "memory":
        return MemoryStore()
    return request.getfixturevalue("redis_store")


def _hammer(work) -> None:
    start = threading.Barrier(THREADS)

    def run(index: int) -> None:
        start.wait()
        for item in range(PER_THREAD):
            work(index, item)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_concurrent_sequences_never_repeat_or_skip(store):
    seen: list[int] = []
    _hammer(lambda index, item: seen.append(store.next_sequence("ns", "ids", 5769)))
    assert sorted(seen) == list(range(5769, 5769 + THREADS * PER_THREAD))


def test_concurrent_messages_and_updates_are_not_lost(store):
    store.add_message("ns", _message("shared"))

    def work(index: int, item: int) -> None:
        store.add_message("ns", _message(f"{index}-{item}"))
        store.update_message("ns", "shared", lambda m: m.evolve(attrs={"n": m.attrs.get("n", 0) + 1}))

    _hammer(work)
    assert len(store.messages("ns")) == THREADS * PER_THREAD + 1
    assert store.get_message("ns", "shared").attrs["n"] == THREADS * PER_THREAD


def test_concurrent_charges_never_overdraw(store):
    charged = []
    _hammer(lambda index, item: charged.append(store.charge("ns", "acct", 1.0, 1000.0)[0]))
    assert charged.count(True) == 1000
    assert store.balance("ns", "acct", 1000.0) == 0.0


def test_journal_is_bounded_by_count_and_age(store):
    for index in range(20):
        store.append_journal(
            "ns", [{"kind": "clock", "time": float(index)}], max_entries=5, max_age=100.0, now=float(index)
        )
    assert [entry["time"] for entry in store.journal("ns")] == [15.0, 16.0, 17.0, 18.0, 19.0]
    store.append_journal("ns", [{"kind": "clock", "time": 200.0}], max_entries=5, max_age=10.0, now=200.0)
    assert [entry["time"] for entry in store.journal("ns")] == [200.0]
    store.append_journal(
        "ns", [{"kind": "clock", "time": 201.0, "n": n} for n in range(7)], max_entries=5, max_age=10.0, now=201.0
    )
    assert [entry.get("n") for entry in store.journal("ns")] == [2, 3, 4, 5, 6]  # in order, newest kept
    store.append_journal("ns", [], max_entries=5, max_age=10.0, now=201.0)
    assert len(store.journal("ns")) == 5


def test_a_request_entry_is_read_masked_counted_and_aged_like_any_entry(store):
    """A provider request is journaled raw (RequestEntry) and masked when read: every backend returns the same
    dict, counts it under its provider and status, and ages it out by its time."""
    from simulator.core.journal import RequestEntry, tally

    entry = RequestEntry(
        "d7",
        "POST",
        "/d7/messages/v1/send",
        "token=abcdefgh",
        {"Authorization": "Bearer sim-d7-secret-token", "Host": "127.0.0.1"},
        b'{"password":"hunter22"}',
        401,
        b'{"detail":"bad token sim-d7-secret-token"}',
        "application/json",
        4.5,
        ("sim-d7-secret-token",),
    )
    entry.time = 5.0
    store.append_journal("ns", [entry], max_entries=5, max_age=100.0, now=5.0)
    assert store.journal("ns") == [
        {
            "kind": "request",
            "time": 5.0,
            "provider": "d7",
            "method": "POST",
            "path": "/d7/messages/v1/send",
            "query": "token=****efgh",
            "headers": {"Authorization": "Bearer ***************oken", "Host": "127.0.0.1"},
            "body": '{"password":"****er22"}',
            "status": 401,
            "response": '{"detail":"bad token ***************oken"}',
            "response_type": "application/json",
            "started": 4.5,
        }
    ]
    assert store.journal("ns")[0] is store.journal("ns")[0] or isinstance(store, RedisStore)  # masked once
    assert (entry.body, entry.response, entry.secrets) == (b"", b"", ())  # the raw parts are let go
    assert store.journal_counts("ns") == {tally(store.journal("ns")[0]): 1}
    store.append_journal("ns", [{"kind": "clock", "time": 200.0}], max_entries=5, max_age=10.0, now=200.0)
    assert [item["kind"] for item in store.journal("ns")] == ["clock"]


def test_reset_of_one_namespace_keeps_the_others(store):
    store.add_message("a", _message("x"))
    store.add_message("b", _message("x"))
    store.reset("a")
    assert store.messages("a") == [] and len(store.messages("b")) == 1


def test_message_round_trip_keeps_every_field(store):
    message = _message("p:1").evolve(
        sender="Shop",
        text="Привіт 👋",
        steps=(Step(0, "pending"), Step(1.5, "sent"), Step(2.25, "undelivered", "expired")),
        fallback=(Step(2.25, "pending"), Step(3, "delivered")),
        fallback_channel="sms",
        replies=(Reply(9.5, "yes"), Reply(10, None, Media("https://x/a.jpg", "a.jpg", 2048))),
        group="batch-1",
        cost=0.0123,
        attrs={"nested": {"list": [1, 2.5, None]}, "flag": True},
    )
    store.add_message("ns", message)
    assert store.get_message("ns", "p:1") == message
    assert store.messages("ns") == [message]


def test_messages_keep_insertion_order_and_rewrite_in_place(store):
    for key in ("b", "a", "c"):
        store.add_message("ns", _message(key))
    store.add_message("ns", _message("a").evolve(text="again"))
    assert [m.key for m in store.messages("ns")] == ["b", "a", "c"]
    assert store.get_message("ns", "a").text == "again"


def test_update_of_missing_message_changes_nothing(store):
    assert store.update_message("ns", "nope", lambda m: m.evolve(text="x")) is None
    assert store.get_message("ns", "nope") is None and store.messages("ns") == []


def test_records_keep_insertion_order_and_rewrite_in_place(store):
    store.put_record("ns", "p:chat", "2", {"id": 2})
    store.put_record("ns", "p:chat", "1", {"id": 1, "text": "ї"})
    store.put_record("ns", "p:chat", "2", {"id": 2, "v": 2})
    assert store.records("ns", "p:chat") == [{"id": 2, "v": 2}, {"id": 1, "text": "ї"}]
    assert store.get_record("ns", "p:chat", "1") == {"id": 1, "text": "ї"}
    assert store.get_record("ns", "p:chat", "3") is None and store.records("ns", "p:other") == []


def test_refused_charge_keeps_balance_and_set_balance_overrides(store):
    assert store.balance("ns", "acct", 5.0) == 5.0
    assert store.charge("ns", "acct", 0.3, 5.0) == (True, 4.7)
    assert store.charge("ns", "acct", 10.0, 5.0) == (False, 4.7)
    store.set_balance("ns", "acct", 100)
    assert store.balance("ns", "acct", 5.0) == 100.0


def test_sliding_window_refuses_past_limit_and_frees_after_window(store):
    assert store.hit_window("ns", "k", 100.0, 10.0, 2) == (True, 10.0)
    assert store.hit_window("ns", "k", 104.0, 10.0, 2) == (True, 6.0)
    assert store.hit_window("ns", "k", 105.0, 10.0, 2) == (False, 5.0)
    assert store.hit_window("ns", "k", 110.0, 10.0, 2) == (True, 4.0)  # the hit at 100 left at exactly 110


def test_concurrent_window_hits_allow_exactly_the_limit(store):
    allowed = []
    _hammer(lambda index, item: allowed.append(store.hit_window("ns", "k", 1.0, 60.0, 100)[0]))
    assert allowed.count(True) == 100


def test_values_start_absent_and_change_atomically(store):
    assert store.get_value("ns", "counter") is None
    _hammer(lambda index, item: store.update_value("ns", "counter", lambda value: (value or 0) + 1))
    assert store.get_value("ns", "counter") == THREADS * PER_THREAD
    store.update_value("ns", "clock", lambda value: {"offset": 1.5, "frozen_at": None})
    assert store.get_value("ns", "clock") == {"offset": 1.5, "frozen_at": None}


def test_due_jobs_come_out_in_due_order_then_scheduling_order(store):
    store.schedule("ns", 20.0, {"id": "late"})
    store.schedule("ns", 10.0, {"id": "first"})
    store.schedule("ns", 10.0, {"id": "second"})
    assert store.pending_jobs("ns") == 3 and store.next_due("ns") == 10.0
    assert store.claim_due("ns", 9.99, 10) == []
    assert store.claim_due("ns", 15.0, 10) == [{"id": "first"}, {"id": "second"}]
    assert store.claim_due("ns", 15.0, 10) == []
    assert store.claim_due("ns", 20.0, 10) == [{"id": "late"}]
    assert store.pending_jobs("ns") == 0 and store.next_due("ns") is None


def test_a_claim_takes_at_most_its_limit_earliest_first_and_leaves_the_rest_due(store):
    for number in range(10):
        store.schedule("ns", float(10 - number), {"n": number})  # scheduled latest first
    store.schedule("ns", 1.0, {"n": "tie"})  # same due time as n=9, scheduled after it
    assert store.claim_due("ns", 5.0, 3) == [{"n": 9}, {"n": "tie"}, {"n": 8}]
    assert store.pending_jobs("ns") == 8 and store.next_due("ns") == 3.0
    assert store.claim_due("ns", 5.0, 3) == [{"n": 7}, {"n": 6}, {"n": 5}]
    assert store.claim_due("ns", 5.0, 3) == []  # the rest is not due yet
    assert [job["n"] for job in store.claim_due("ns", 100.0, 100)] == [4, 3, 2, 1, 0]


def test_concurrent_claims_hand_each_job_to_exactly_one_caller(store):
    for number in range(THREADS * PER_THREAD):
        store.schedule("ns", float(number % 7), {"n": number})
    claimed = []
    _hammer(lambda index, item: claimed.extend(store.claim_due("ns", 100.0, 3)))
    claimed += store.claim_due("ns", 100.0, THREADS * PER_THREAD)  # a third of the claims found none
    assert sorted(job["n"] for job in claimed) == list(range(THREADS * PER_THREAD))
    assert store.pending_jobs("ns") == 0


def test_exclusive_lock_refuses_a_second_holder_until_released(store):
    with store.exclusive("ns", "scheduler", wait=1) as held:
        outcome = []
        other = threading.Thread(target=lambda: outcome.append(_try_exclusive(store)))
        other.start()
        other.join()
        assert held and outcome == [False]
    assert _try_exclusive(store)


def _try_exclusive(store) -> bool:
    with store.exclusive("ns", "scheduler", wait=0) as held:
        return held


@pytest.mark.parametrize("name", ["a*", "a:b", "a[b]", "a?"], ids=["star", "colon", "brackets", "question"])
def test_reset_of_a_namespace_with_special_characters_spares_lookalikes(store, name):
    for namespace in (name, "a", "ab", "a:bc"):
        store.add_message(namespace, _message("x"))
        store.put_record(namespace, "k", "1", {})
    store.reset(name)
    assert store.messages(name) == [] and store.records(name, "k") == []
    for other in {"a", "ab", "a:bc"} - {name}:
        assert len(store.messages(other)) == 1 and len(store.records(other, "k")) == 1


def test_reset_of_everything_forgets_every_namespace(store):
    store.add_message("a", _message("x"))
    store.update_value("b", "clock", lambda value: {"offset": 1.0, "frozen_at": None})
    store.schedule("c", 1.0, {"n": 1})
    assert {"a", "b", "c"} <= set(store.namespaces())
    store.reset()
    assert store.messages("a") == [] and store.get_value("b", "clock") is None and store.pending_jobs("c") == 0


def test_asking_for_due_jobs_of_a_reset_namespace_does_not_bring_it_back(store):
    store.schedule("gone", 1.0, {"n": 1})
    store.reset("gone")
    assert store.next_due("gone") is None
    assert store.claim_due("gone", 2.0, 10) == []
    assert store.pending_jobs("gone") == 0
    assert "gone" not in store.namespaces()


WRITES_THAT_MAKE_A_NAMESPACE = {
    "add_message": lambda store, name: store.add_message(name, _message("x")),
    "put_record": lambda store, name: store.put_record(name, "k", "1", {}),
    "next_sequence": lambda store, name: store.next_sequence(name, "ids", 1),
    "charge": lambda store, name: store.charge(name, "acct", 1.0, 10.0),
    "set_balance": lambda store, name: store.set_balance(name, "acct", 5.0),
    "hit_window": lambda store, name: store.hit_window(name, "k", 1.0, 1.0, 5),
    "append_journal": lambda store, name: store.append_journal(name, [{"kind": "clock", "time": 1.0}], 10, 60.0, 1.0),
    "update_value": lambda store, name: store.update_value(name, "clock", lambda value: {"offset": 1.0}),
    "schedule": lambda store, name: store.schedule(name, 1.0, {"n": 1}),
}


@pytest.mark.parametrize("write", sorted(WRITES_THAT_MAKE_A_NAMESPACE))
def test_a_namespace_is_listed_from_its_first_write_until_its_reset(store, write):
    name = f"ns:{write}/é"  # quoted in Redis keys: the listing gives the name back as written
    assert name not in store.namespaces()
    WRITES_THAT_MAKE_A_NAMESPACE[write](store, name)
    assert name in store.namespaces()
    store.reset(name)
    assert name not in store.namespaces()
    WRITES_THAT_MAKE_A_NAMESPACE[write](store, name)
    store.reset()
    assert store.namespaces() == []


def test_redis_lists_namespaces_without_scanning_every_key(redis_store, monkeypatch):
    for number in range(3):
        redis_store.add_message(f"n{number}", _message("x"))

    def no_scan(*args, **kwargs):
        raise AssertionError("listing namespaces scanned the keys")

    monkeypatch.setattr(redis_store._client, "scan_iter", no_scan)
    assert redis_store.namespaces() == ["n0", "n1", "n2"]


def test_redis_lists_the_namespaces_of_a_database_written_before_the_registry(redis_store):
    redis_store.add_message("old", _message("x"))
    redis_store._client.delete("sim-namespaces")  # as a database written by an earlier version holds it
    assert redis_store.namespaces() == ["old"]
    assert redis_store._client.smembers("sim-namespaces") == {"old"}


def test_redis_reset_of_a_namespace_finds_the_record_and_window_keys_an_older_simulator_wrote(redis_store, redis_url):
    client = redis_store._client
    for name in ("x", "y"):
        WRITES_THAT_MAKE_A_NAMESPACE["put_record"](redis_store, name)
        WRITES_THAT_MAKE_A_NAMESPACE["hit_window"](redis_store, name)
    keys_of_y = set(client.scan_iter(match="sim:y:*")) - {"sim:y:named"}
    client.delete("sim:x:named", "sim:y:named", LAYOUT)  # as a database an older simulator wrote holds them
    client.set("sim:odd", "1")  # a key of no namespace's layout is left alone
    RedisStore(redis_url).reset("x")  # opening the database lists them
    assert list(client.scan_iter(match="sim:x:*")) == []
    assert set(client.scan_iter(match="sim:y:*")) - {"sim:y:named"} == keys_of_y
    assert client.smembers("sim:y:named") == keys_of_y - {"sim:y:hits", "sim:y:named"}
    assert client.get(LAYOUT) == LAYOUT_VERSION


def test_redis_opens_a_database_in_the_current_layout_without_scanning(redis_store, redis_url, monkeypatch):
    redis_store.add_message("x", _message("x"))

    def no_scan(*args, **kwargs):
        raise AssertionError("opening an up-to-date database scanned its keys")

    monkeypatch.setattr(redis.Redis, "scan_iter", no_scan)
    RedisStore(redis_url)


def test_redis_reset_of_a_namespace_leaves_none_of_its_keys_and_scans_nothing(redis_store, monkeypatch):
    grouped = _message("g").evolve(group="batch-1", recipient="380501234567")
    for number in range(2_500):  # more than one HSCAN page of messages and one batch of deletes
        redis_store.add_message("x", _message(f"a{number}").evolve(recipient=f"38050{number:07d}"))
    for name in ("x", "y"):
        redis_store.add_message(name, grouped)
        redis_store.record_status(name, "g", 5.0)
        for write in WRITES_THAT_MAKE_A_NAMESPACE.values():
            write(redis_store, name)
        redis_store.put_record(name, "tokens", "t", {"account": "a"})
    keys_of_y = set(redis_store._client.scan_iter(match="sim:y:*"))

    def no_scan(*args, **kwargs):
        raise AssertionError("resetting one namespace scanned the keys")

    monkeypatch.setattr(redis_store._client, "scan_iter", no_scan)
    redis_store.reset("x")
    monkeypatch.undo()
    assert list(redis_store._client.scan_iter(match="sim:x:*")) == []
    assert set(redis_store._client.scan_iter(match="sim:y:*")) == keys_of_y
