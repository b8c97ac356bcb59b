"""Two engines sharing one Redis behave as one simulator: each engine stands for a worker process.

Each engine gets its own RedisStore (its own connections), its own in-process namespaces, clock
objects and scheduler threads, exactly as two processes would; only Redis is shared.
"""

import json
import threading
from collections.abc import Iterator

import pytest

from simulator.app import create_app
from simulator.core.accounts import Accounts
from simulator.core.clock import parse_instant
from simulator.core.doors import Draft
from simulator.core.engine import Engine, ProviderHooks
from simulator.core.errors import Throttled
from simulator.core.scenarios import ScenarioSet, load_text
from simulator.core.store import open_store
from simulator.core.store.redis import RedisStore
from simulator.core.throttle import Limit
from simulator.core.webhooks import RetryPolicy
from tests.conftest import make_settings
from tests.core.drive import Drive
from tests.core.test_engine import ACCOUNT, SCENARIOS, _callbacks, _submit
from tests.receiver import Receiver

FROZEN = "2026-01-05T07:00:00Z"
QUICK = """
scenarios:
  - name: default
    timeline: [{after: 0s, status: pending}, {after: 100ms, status: sent}, {after: 300ms, status: delivered}]
"""


@pytest.fixture
def make_engine(redis_store: RedisStore, redis_url: str) -> Iterator:
    """Build engines ("workers") on the test's Redis database; all are closed afterwards."""
    engines: list[Engine] = []

    def make(hooks=None, seed=1, frozen: str | None = FROZEN, scenarios: str = SCENARIOS) -> Engine:
        engine = Engine(
            RedisStore(redis_url),
            ScenarioSet(load_text(scenarios, "s.yaml")),
            Accounts({"fake": [ACCOUNT]}),
            hooks=hooks,
            seed=seed,
            clock_mode=(lambda c: c.freeze(parse_instant(frozen))) if frozen else (lambda c: None),
        )
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.start()
    yield receiver
    receiver.stop()


def _statuses(received) -> list[str]:
    return [json.loads(request.body)["status"] for request in received]


def test_clock_advanced_in_one_worker_is_seen_by_the_other(make_engine):
    first, second = Drive(make_engine()), Drive(make_engine())
    assert first.now() == second.now() == parse_instant(FROZEN).timestamp()
    first.clock.advance(90)
    assert second.now() == parse_instant(FROZEN).timestamp() + 90
    second.clock.unfreeze()
    assert not first.clock.frozen


def test_message_submitted_in_one_worker_moves_when_the_other_advances_the_clock(make_engine):
    first, second = Drive(make_engine()), Drive(make_engine())
    _submit(first)
    second.clock.advance(5)
    assert first.find("fake:1").status == "delivered"
    assert [entry["status"] for entry in first.journal("transition")] == ["pending", "sent", "delivered"]
    assert first.space.scheduler.pending() == second.space.scheduler.pending() == 0


def test_callbacks_fire_exactly_once_in_order_whichever_worker_advances(make_engine, receiver):
    url = f"http://127.0.0.1:{receiver.server.server_port}"
    hooks = {"fake": ProviderHooks(_callbacks(url))}
    workers = [Drive(make_engine(hooks)) for _ in range(3)]
    _submit(workers[0])

    def settle() -> None:  # a post from one worker is out before another worker's later one starts
        for worker in workers:
            worker.engine.sender.wait_idle()

    for worker in workers:  # every worker tries; the due-set hands each event to one of them
        worker.clock.advance(1)
        settle()
    for worker in workers:
        worker.clock.advance(2)
        settle()
    assert _statuses(receiver.wait_for(3)) == ["pending", "sent", "delivered"]
    for worker in workers:
        assert worker.engine.sender.wait_idle()
    assert _statuses(receiver.received) == ["pending", "sent", "delivered"]


def test_webhook_retry_scheduled_by_one_worker_is_sent_by_the_other(make_engine):
    receiver = Receiver(statuses=[500])
    url = receiver.start()
    try:
        hooks = {"fake": ProviderHooks(_callbacks(url), RetryPolicy(backoff=(5,)))}
        first, second = Drive(make_engine(hooks)), Drive(make_engine(hooks))
        _submit(first, recipient="200")  # one event: pending, answered 500
        assert first.engine.sender.wait_idle()
        assert first.space.scheduler.pending() == 1
        second.clock.advance(5)
        assert second.engine.sender.wait_idle()
        attempts = first.journal("webhook")
        assert [(a["attempt"], a["status"]) for a in attempts] == [(1, 500), (2, 200)]
        assert len(receiver.received) == 2
    finally:
        receiver.stop()


def test_events_due_on_a_running_clock_fire_once_across_workers(make_engine, receiver):
    url = f"http://127.0.0.1:{receiver.server.server_port}"
    hooks = {"fake": ProviderHooks(_callbacks(url))}
    first, second = [Drive(make_engine(hooks, frozen=None, scenarios=QUICK)) for _ in range(2)]
    second.views()  # the second worker knows the namespace, so its scheduler thread polls it too
    _submit(first)  # pending now, sent after 100 ms, delivered after 300 ms of real time
    assert _statuses(receiver.wait_for(3, timeout=10)) == ["pending", "sent", "delivered"]
    for worker in (first, second):
        assert worker.engine.sender.wait_idle()
    assert _statuses(receiver.received) == ["pending", "sent", "delivered"]
    assert [entry["status"] for entry in second.journal("transition")] == ["pending", "sent", "delivered"]


def test_throttle_counts_requests_through_every_worker(make_engine):
    first, second = Drive(make_engine()), Drive(make_engine())
    limit = Limit(requests=3, window=1.0)
    first.throttle("fake:demo", limit)
    second.throttle("fake:demo", limit)
    first.throttle("fake:demo", limit)
    with pytest.raises(Throttled):
        second.throttle("fake:demo", limit)
    second.clock.advance(1)
    first.throttle("fake:demo", limit)


def test_sequences_and_seeded_ids_never_repeat_across_workers(make_engine):
    workers = [Drive(make_engine(seed=7)) for _ in range(2)]
    numbers: list[int] = []
    ids: list[str] = []

    def work(worker) -> None:
        for _ in range(200):
            numbers.append(worker.next_id("id", 1000))
            ids.append(worker.ids.uuid4())

    threads = [threading.Thread(target=work, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1000, 1400))
    assert len(set(ids)) == 400


def test_same_seed_gives_same_ids_on_a_shared_store(make_engine):
    def run() -> list[str]:
        worker = Drive(make_engine(seed=3))
        worker.engine.reset()
        return [worker.ids.uuid4(), worker.ids.digits(6), worker.ids.fake("word")]

    assert run() == run()


def test_reset_in_one_worker_clears_the_namespace_for_the_other(make_engine):
    first, second = Drive(make_engine()), Drive(make_engine())
    _submit(first, recipient="300")  # a reply is scheduled after 10 s
    first.put_record("chat", "1", {"id": 1})
    first.space.bindings[ACCOUNT.key] = "expensive"
    second.clock.advance(3)
    first.engine.reset("default")
    assert second.views() == [] and second.records("chat") == []
    assert second.space.scheduler.pending() == 0 and dict(second.space.bindings) == {}
    assert second.now() == parse_instant(FROZEN).timestamp()
    assert second.journal() == []


def test_scenario_binding_made_in_one_worker_applies_in_the_other(make_engine):
    first, second = Drive(make_engine()), Drive(make_engine())
    first.space.bindings[ACCOUNT.key] = "expensive"
    [message] = second.submit([Draft("9", "sms", "380990000001")])
    assert message.scenario == "expensive" and first.balance() == 400.0


def test_namespaces_are_kept_apart_on_a_shared_store(make_engine):
    first, second = make_engine(), make_engine()
    _submit(Drive(first, "a"))
    Drive(second, "a").clock.advance(5)
    assert Drive(first, "b").views() == [] and Drive(first, "b").now() == parse_instant(FROZEN).timestamp()
    assert Drive(second, "a").find("fake:1").status == "delivered"


def test_redis_url_opens_a_shared_store(redis_url):
    store = open_store(redis_url)
    assert isinstance(store, RedisStore) and store.shared_across_processes


def test_unreachable_redis_is_refused_with_a_clear_message():
    from tests.test_cli import _free_port

    with pytest.raises(ValueError, match=r"cannot reach Redis at redis://127\.0\.0\.1:\d+/0"):
        open_store(f"redis://127.0.0.1:{_free_port()}/0")


def test_app_with_several_workers_accepts_a_redis_store(redis_url, redis_store):
    app = create_app(make_settings(store=redis_url, workers=2))
    engine = app.extensions["simulator"].engine
    try:
        response = app.test_client().post("/_sim/clock", json={"advance": "5s"})
        assert response.status_code == 200
        assert engine.namespace().clock.timestamp() == response.get_json()["timestamp"]
    finally:
        engine.close()
