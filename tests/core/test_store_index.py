"""The store's indexes and paged queries, run against every backend (memory and a real Redis).

Each answer is compared with what reading every message and asking it its status would give,
so the indexes can only be faster than a scan, never different.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from simulator.core.lifecycle import Reply, Step
from simulator.core.messages import Message
from simulator.core.store import Store
from simulator.core.store.base import MessageQuery, Retention
from simulator.core.store.redis import RedisStore

T0 = 1_000.0
DEFAULT = (Step(0.0, "pending"), Step(1.0, "sent"), Step(3.0, "delivered"))


def message(
    key: str,
    *,
    provider: str = "p",
    channel: str = "sms",
    account: str = "a",
    recipient: str = "380990000001",
    text: str | None = "hello",
    created_at: float = T0,
    steps: tuple[Step, ...] = DEFAULT,
    group: str | None = None,
    replies: tuple[Reply, ...] = (),
) -> Message:
    return Message(
        key=f"{provider}:{key}",
        provider=provider,
        id=key,
        channel=channel,
        account=account,
        recipient=recipient,
        sender="Shop",
        text=text,
        created_at=created_at,
        steps=steps,
        scenario="default",
        matched_by="default",
        group=group,
        replies=replies,
    )


def keys(page) -> list[str]:
    return [message.key for message in page.messages]


def scan(store: Store, where: MessageQuery, now: float) -> list[str]:
    """What a query must answer, newest first, found by reading every message."""
    digits = "".join(char for char in where.recipient or "" if char.isdigit())
    found = []
    for message in reversed(store.messages("ns")):
        view = message.at(now)
        if (
            (where.provider is None or message.provider == where.provider)
            and (where.channel is None or message.channel == where.channel)
            and (where.account is None or message.account == where.account)
            and (where.recipient is None or "".join(c for c in message.recipient if c.isdigit()) == digits)
            and (where.status is None or view.status == where.status)
            and (where.contains is None or where.contains in (message.text or ""))
            and (where.recipient_contains is None or where.recipient_contains in message.recipient)
            and (where.since is None or message.created_at >= where.since)
            and (where.group is None or message.group == where.group)
            and (where.id is None or message.id == where.id)
        ):
            found.append(message.key)
    return found


def scan_counts(store: Store, where: MessageQuery, now: float) -> dict[str | None, int]:
    """What `status_counts` must answer, found by reading every match and asking its status."""
    return dict(Counter(store.get_message("ns", key).at(now).status for key in scan(store, where, now)))


def test_query_without_filters_pages_newest_first_with_the_total(store):
    for number in range(7):
        store.add_message("ns", message(str(number), created_at=T0 + number))
    page = store.query("ns", MessageQuery(), T0 + 10, limit=3, offset=2)
    assert page.total == 7 and keys(page) == ["p:4", "p:3", "p:2"]
    page = store.query("ns", MessageQuery(), T0 + 10, limit=3, offset=2, oldest_first=True)
    assert page.total == 7 and keys(page) == ["p:2", "p:3", "p:4"]
    assert keys(store.query("ns", MessageQuery(), T0 + 10, offset=6)) == ["p:0"]
    assert store.query("ns", MessageQuery(), T0 + 10, limit=5, offset=7).messages == []


def test_query_of_an_empty_or_unknown_namespace_finds_nothing(store):
    assert store.query("nowhere", MessageQuery(status="sent"), T0).total == 0
    store.add_message("ns", message("1"))
    assert store.query("ns", MessageQuery(provider="other"), T0, limit=10).total == 0


def test_messages_created_at_one_instant_list_the_last_stored_first(store):
    for number in range(3):
        store.add_message("ns", message(str(number)))
    assert keys(store.query("ns", MessageQuery(), T0, limit=10)) == ["p:2", "p:1", "p:0"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (MessageQuery(provider="q"), ["q:4", "q:2"]),
        (MessageQuery(channel="viber"), ["q:4", "p:3"]),
        (MessageQuery(account="b"), ["p:5", "p:1"]),
        (MessageQuery(recipient="+380 (99) 000-00-02"), ["p:3"]),
        (MessageQuery(group="g1"), ["p:5", "q:2", "p:1"]),
        (MessageQuery(id="2"), ["q:2"]),
        (MessageQuery(contains="ell"), ["p:5", "q:2", "p:0"]),
        (MessageQuery(since=T0 + 4), ["p:5", "q:4"]),
        (MessageQuery(group="g1", account="b"), ["p:5", "p:1"]),
        (MessageQuery(provider="p", channel="viber", recipient="380990000002"), ["p:3"]),
        (MessageQuery(id="nope"), []),
    ],
    ids=[
        "provider",
        "channel",
        "account",
        "recipient-as-digits",
        "group",
        "bare-id",
        "contains",
        "since",
        "group-and-account",
        "three-fields",
        "unknown-id",
    ],
)
def test_query_by_each_index_finds_exactly_the_matches(store, where, expected):
    rows = [
        dict(key="0", text="hello"),
        dict(key="1", account="b", group="g1", text="bye"),
        dict(key="2", provider="q", group="g1", text="yellow"),
        dict(key="3", channel="viber", recipient="380990000002", text=None),
        dict(key="4", provider="q", channel="viber", text="hi"),
        dict(key="5", account="b", group="g1", text="shell"),
    ]
    for number, row in enumerate(rows):
        store.add_message("ns", message(**row, created_at=T0 + number))
    page = store.query("ns", where, T0 + 10, limit=10)
    assert keys(page) == expected and page.total == len(expected)


def test_a_bare_id_two_providers_share_finds_both(store):
    store.add_message("ns", message("7", provider="p"))
    store.add_message("ns", message("7", provider="q"))
    assert keys(store.query("ns", MessageQuery(id="7"), T0)) == ["q:7", "p:7"]


def test_query_by_status_follows_the_clock_with_no_event_recorded(store):
    store.add_message("ns", message("1"))
    store.add_message("ns", message("2", created_at=T0 + 2))
    assert keys(store.query("ns", MessageQuery(status="pending"), T0 + 2.5)) == ["p:2"]
    assert keys(store.query("ns", MessageQuery(status="sent"), T0 + 2.5)) == ["p:1"]
    assert keys(store.query("ns", MessageQuery(status="delivered"), T0 + 5)) == ["p:2", "p:1"]
    assert store.query("ns", MessageQuery(status="sent"), T0 + 5).total == 0


def test_recorded_status_moves_a_message_between_status_indexes_and_counts(store):
    store.add_message("ns", message("1"))
    store.add_message("ns", message("2", provider="q"))
    assert store.message_counts("ns", T0) == {("p", "pending"): 1, ("q", "pending"): 1}
    recorded = store.record_status("ns", "p:1", T0 + 1)
    assert recorded == store.get_message("ns", "p:1")
    assert store.message_counts("ns", T0 + 1.5) == {("p", "sent"): 1, ("q", "sent"): 1}
    assert store.message_counts("ns", T0 + 9) == {("p", "delivered"): 1, ("q", "delivered"): 1}
    assert store.record_status("ns", "p:nope", T0) is None


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (MessageQuery(), {"pending": 1, "sent": 2, "delivered": 2}),
        (MessageQuery(provider="q"), {"sent": 1, "delivered": 1}),
        (MessageQuery(provider="p", status="delivered"), {"delivered": 1}),
        (MessageQuery(contains="ell"), {"pending": 1, "sent": 2, "delivered": 1}),
        (MessageQuery(provider="q", contains="ell"), {"sent": 1}),
        (MessageQuery(recipient_contains="+380"), {"delivered": 1, "pending": 1}),
        (MessageQuery(group="g1"), {"sent": 1, "delivered": 1}),
        (MessageQuery(id="2"), {"sent": 1}),
        (MessageQuery(provider="nobody"), {}),
    ],
    ids=[
        "everything",
        "provider-from-counters",
        "provider-and-status",
        "text",
        "provider-and-text",
        "recipient-part",
        "group",
        "bare-id",
        "no-match",
    ],
)
def test_status_counts_count_only_the_matches_at_the_instant(store, where, expected):
    rows = [
        dict(key="0", text="hello", recipient="+380990000001", created_at=T0),
        dict(key="1", provider="q", text="bye", group="g1", created_at=T0),
        dict(key="2", provider="q", text="yellow", group="g1", created_at=T0 + 2),
        dict(key="3", text="shell", created_at=T0 + 2),
        dict(key="4", text="well", recipient="+380990000004", created_at=T0 + 3.5),
    ]
    for row in rows:
        store.add_message("ns", message(**row))
    now = T0 + 3.5  # delivered 0 and 1, sent 2 and 3, pending 4
    assert store.status_counts("ns", where, now) == expected == scan_counts(store, where, now)


def test_status_counts_without_a_text_filter_read_only_the_counters(store, monkeypatch):
    store.add_message("ns", message("1"))
    store.add_message("ns", message("2", provider="q", created_at=T0 + 2))

    def no_walk(*args, **kwargs):
        raise AssertionError("counted by reading messages")

    monkeypatch.setattr(store, "_walk" if isinstance(store, RedisStore) else "_matcher", no_walk)
    where = MessageQuery(provider="p", channel="sms", account="a")
    assert store.status_counts("ns", where, T0 + 2) == {"sent": 1}
    assert store.status_counts("ns", MessageQuery(), T0 + 2) == {"sent": 1, "pending": 1}


def test_status_counts_of_an_unknown_namespace_are_empty(store):
    assert store.status_counts("nowhere", MessageQuery(contains="x"), T0) == {}
    assert store.status_counts("nowhere", MessageQuery(), T0) == {}


def test_a_forced_timeline_is_seen_by_the_next_status_query(store):
    store.add_message("ns", message("1"))
    assert store.query("ns", MessageQuery(status="sent"), T0 + 1.5).total == 1
    forced = (Step(0.0, "pending"), Step(1.0, "sent"), Step(1.5, "failed", "system_failure"))
    store.update_message("ns", "p:1", lambda m: m.evolve(steps=forced))
    assert store.query("ns", MessageQuery(status="sent"), T0 + 1.6).total == 0
    assert keys(store.query("ns", MessageQuery(status="failed"), T0 + 1.6)) == ["p:1"]
    assert store.query("ns", MessageQuery(status="delivered"), T0 + 9).total == 0


def test_query_by_status_after_the_clock_goes_back_answers_for_the_earlier_instant(store):
    store.add_message("ns", message("1"))
    assert store.query("ns", MessageQuery(status="delivered"), T0 + 60).total == 1
    assert keys(store.query("ns", MessageQuery(status="sent"), T0 + 1.5)) == ["p:1"]
    assert store.message_counts("ns", T0 + 1.5) == {("p", "sent"): 1}


def test_a_reply_scheduled_in_the_timeline_changes_the_status_at_its_instant(store):
    steps = (*DEFAULT, Step(10.0, "replied"))
    store.add_message("ns", message("1", steps=steps, replies=(Reply(10.0, "yes"),)))
    assert store.query("ns", MessageQuery(status="replied"), T0 + 9).total == 0
    assert keys(store.query("ns", MessageQuery(status="replied"), T0 + 10)) == ["p:1"]


@pytest.mark.parametrize("seed", [1, 2, 3], ids=["seed-1", "seed-2", "seed-3"])
def test_random_queries_answer_what_a_full_scan_answers(store, seed):
    chance = random.Random(seed)
    timelines = [
        DEFAULT,
        (Step(0.0, "pending"), Step(2.0, "failed", "system_failure")),
        (Step(0.0, "scheduled"), Step(5.0, "pending"), Step(6.0, "sent"), Step(30.0, "expired", "ttl_expired")),
        (Step(0.0, "sent"),),
    ]
    for number in range(120):
        store.add_message(
            "ns",
            message(
                str(number),
                provider=chance.choice("pq"),
                channel=chance.choice(["sms", "viber"]),
                account=chance.choice("ab"),
                recipient=chance.choice(["380990000001", "+380990000002", "380990000003"]),
                text=chance.choice(["hello", "bye", None]),
                created_at=T0 + number * 0.5,
                steps=chance.choice(timelines),
                group=chance.choice(["g1", "g2", None]),
            ),
        )
        if chance.random() < 0.2:
            store.record_status("ns", f"p:{chance.randrange(number + 1)}", T0 + number * 0.5)
    for now in sorted(T0 + chance.uniform(0, 100) for _ in range(12)):
        for _ in range(6):
            where = MessageQuery(
                **{
                    name: chance.choice(values)
                    for name, values in {
                        "provider": ["p", "q"],
                        "channel": ["sms", "viber"],
                        "account": ["a", "b"],
                        "recipient": ["380990000002"],
                        "status": ["pending", "sent", "delivered", "failed", "expired", "scheduled"],
                        "contains": ["ell"],
                        "recipient_contains": ["0002", "+380"],
                        "since": [T0 + 30],
                        "group": ["g1", "g2"],
                    }.items()
                    if chance.random() < 0.3
                }
            )
            expected = scan(store, where, now)
            limit, offset = chance.choice([1, 5, 50]), chance.choice([0, 0, 3])
            page = store.query("ns", where, now, limit=limit, offset=offset)
            assert (page.total, keys(page)) == (len(expected), expected[offset : offset + limit]), where
            oldest = store.query("ns", where, now, limit=limit, oldest_first=True)
            assert keys(oldest) == expected[::-1][:limit], where
            assert store.status_counts("ns", where, now) == scan_counts(store, where, now), where


def test_reset_forgets_the_indexes_too(store):
    store.add_message("ns", message("1", group="g"))
    store.reset("ns")
    assert store.query("ns", MessageQuery(group="g"), T0).total == 0
    assert store.message_counts("ns", T0) == {}
    store.add_message("ns", message("1", group="g"))
    assert keys(store.query("ns", MessageQuery(group="g"), T0)) == ["p:1"]


# Retention
ONE_STEP = (Step(0.0, "delivered"),)
FINAL_STEP = (Step(0.0, "failed", "system_failure"),)


def test_retention_by_count_evicts_settled_messages_final_ones_first(make_store):
    store = make_store(Retention(count=3))
    store.add_message("ns", message("1", steps=ONE_STEP))
    store.add_message("ns", message("2", steps=FINAL_STEP))
    store.add_message("ns", message("3", steps=ONE_STEP))
    store.add_message("ns", message("4", steps=FINAL_STEP))
    assert [m.key for m in store.messages("ns")] == ["p:1", "p:3", "p:4"]
    store.add_message("ns", message("5", steps=ONE_STEP))
    assert [m.key for m in store.messages("ns")] == ["p:1", "p:3", "p:5"]
    assert store.evictions("ns") == 2


def test_retention_by_count_takes_the_oldest_final_message_first(make_store):
    store = make_store(Retention(count=2))
    for number, steps in enumerate([ONE_STEP, FINAL_STEP, FINAL_STEP]):
        store.add_message("ns", message(str(number), steps=steps))
    assert [m.key for m in store.messages("ns")] == ["p:0", "p:2"]
    store.add_message("ns", message("3", steps=ONE_STEP))
    assert [m.key for m in store.messages("ns")] == ["p:0", "p:3"]  # no final one left: the oldest goes
    assert store.evictions("ns") == 2


def test_retention_never_evicts_a_message_with_a_transition_ahead(make_store):
    store = make_store(Retention(count=1))
    store.add_message("ns", message("1"))  # pending, then sent and delivered later
    store.add_message("ns", message("2"))
    assert [m.key for m in store.messages("ns")] == ["p:1", "p:2"] and store.evictions("ns") == 0
    store.record_status("ns", "p:1", T0 + 3)  # its last transition fired: nothing left to happen
    assert [m.key for m in store.messages("ns")] == ["p:2"] and store.evictions("ns") == 1


def test_retention_never_evicts_a_message_a_scheduled_job_names(make_store):
    store = make_store(Retention(count=2))
    store.schedule("ns", T0 + 60, {"kind": "webhook", "message": "p:1"})
    for number in (1, 2, 3):
        store.add_message("ns", message(str(number), steps=FINAL_STEP))
    assert [m.key for m in store.messages("ns")] == ["p:1", "p:3"]  # p:1 waits for its retry
    assert store.claim_due("ns", T0 + 60, 10) == [{"kind": "webhook", "message": "p:1"}]
    store.add_message("ns", message("4", steps=FINAL_STEP))
    assert [m.key for m in store.messages("ns")] == ["p:3", "p:4"] and store.evictions("ns") == 2


def test_recording_statuses_together_is_recording_each(store):
    store.add_message("ns", message("1"))
    store.add_message("ns", message("2", steps=FINAL_STEP))
    recorded = store.record_statuses("ns", ["p:1", "p:nope", "p:2", "p:1"], T0 + 1)
    assert [m.key if m else None for m in recorded] == ["p:1", None, "p:2", "p:1"]
    assert store.message_counts("ns", T0 + 1) == {("p", "sent"): 1, ("p", "failed"): 1}
    assert store.record_statuses("ns", [], T0 + 1) == []


def test_a_batch_claim_unpins_each_message_once_per_job_it_takes(make_store):
    store = make_store(Retention(count=2))
    for _ in range(2):
        store.schedule("ns", T0 + 60, {"kind": "webhook", "message": "p:1"})
    store.schedule("ns", T0 + 60, {"kind": "webhook", "message": "p:2"})
    store.schedule("ns", T0 + 90, {"kind": "webhook", "message": "p:1"})
    for number in (1, 2, 3):
        store.add_message("ns", message(str(number), steps=FINAL_STEP))
    assert [m.key for m in store.messages("ns")] == ["p:1", "p:2"]  # pinned: p:3 went instead
    assert len(store.claim_due("ns", T0 + 60, 10)) == 3  # p:2 unpinned; p:1 still waits for its last job
    store.add_message("ns", message("4", steps=FINAL_STEP))
    assert [m.key for m in store.messages("ns")] == ["p:1", "p:4"]
    assert store.claim_due("ns", T0 + 90, 10) == [{"kind": "webhook", "message": "p:1"}]
    store.add_message("ns", message("5", steps=FINAL_STEP))
    assert [m.key for m in store.messages("ns")] == ["p:4", "p:5"] and store.evictions("ns") == 3


def test_retention_by_age_evicts_settled_messages_older_than_the_age(make_store):
    store = make_store(Retention(age=60.0))
    store.add_message("ns", message("old", steps=FINAL_STEP, created_at=T0))
    store.add_message("ns", message("slow", created_at=T0))  # settles at T0 + 3
    store.add_message("ns", message("new", steps=ONE_STEP, created_at=T0 + 61))
    assert [m.key for m in store.messages("ns")] == ["p:slow", "p:new"]
    store.record_status("ns", "p:slow", T0 + 70)
    assert [m.key for m in store.messages("ns")] == ["p:new"] and store.evictions("ns") == 2


def test_an_evicted_message_leaves_every_index_and_count(make_store):
    store = make_store(Retention(count=1))
    store.add_message("ns", message("1", steps=FINAL_STEP, group="g", account="b"))
    store.add_message("ns", message("2", steps=FINAL_STEP))
    assert store.get_message("ns", "p:1") is None
    for where in (MessageQuery(group="g"), MessageQuery(account="b"), MessageQuery(id="1")):
        assert store.query("ns", where, T0, limit=10).total == 0
    for where in (MessageQuery(status="failed"), MessageQuery()):
        assert keys(store.query("ns", where, T0, limit=10)) == ["p:2"]
    assert store.message_counts("ns", T0) == {("p", "failed"): 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", Retention()), ("off", Retention()), ("5000", Retention(count=5000)), ("7d", Retention(age=604_800.0))],
    ids=["empty", "off", "count", "age"],
)
def test_retention_parses_a_count_or_an_age(text, expected):
    assert Retention.parse(text) == expected


@pytest.mark.parametrize("text", ["0", "-5", "soon", "0s"], ids=["zero", "negative", "word", "zero-age"])
def test_retention_refuses_what_is_neither_a_count_nor_an_age(text):
    with pytest.raises(ValueError, match="retention"):
        Retention.parse(text)


def test_a_message_rewritten_under_another_group_moves_index(store):
    store.add_message("ns", message("1", group="old"))
    store.add_message("ns", message("1", group="new", recipient="380990000009"))
    assert store.query("ns", MessageQuery(group="old"), T0).total == 0
    assert keys(store.query("ns", MessageQuery(group="new"), T0)) == ["p:1"]
    assert keys(store.query("ns", MessageQuery(recipient="380990000009"), T0)) == ["p:1"]
    assert store.query("ns", MessageQuery(recipient="380990000001"), T0).total == 0


def test_thousands_of_transitions_and_evictions_keep_answers_exact(make_store):
    store = make_store(Retention(count=1500))
    failing = (Step(0.0, "pending"), Step(2.0, "failed", "system_failure"))
    for number in range(3000):
        created = T0 + number
        store.add_message("ns", message(str(number), created_at=created, steps=failing if number % 3 else DEFAULT))
        store.record_status("ns", f"p:{number - 5}", created)  # transitions fire a little late
    now = T0 + 3010
    assert store.evictions("ns") == 1500  # settled messages beyond 1500 left, oldest first
    for where in (MessageQuery(), MessageQuery(status="failed"), MessageQuery(status="delivered")):
        expected = scan(store, where, now)
        page = store.query("ns", where, now, limit=20, offset=10)
        assert (page.total, keys(page)) == (len(expected), expected[10:30])
    counts = store.message_counts("ns", now)
    assert sum(counts.values()) == 1500 and set(counts) == {("p", "failed"), ("p", "delivered")}
