import json
import threading
from pathlib import Path

import pytest

from simulator.core import heap
from simulator.core.accounts import Account, Accounts
from simulator.core.clock import parse_instant
from simulator.core.doors import Draft
from simulator.core.engine import COLLECT_AFTER_RESET_OF, Engine, ProviderHooks
from simulator.core.errors import IllegalTransition, InsufficientBalance, NotFound, ScenarioError
from simulator.core.lifecycle import Event
from simulator.core.scenarios import ScenarioSet, load_text
from simulator.core.store import MemoryStore
from simulator.core.webhooks import Delivery, RetryPolicy
from tests.core.drive import Drive
from tests.receiver import Receiver

SCENARIOS = """
scenarios:
  - name: default
    timeline: [{after: 0s, status: pending}, {after: 1s, status: sent}, {after: 3s, status: delivered}]
  - name: broke
    match: {recipient: "100"}
    error: {kind: no_money}
  - name: expensive
    match: {recipient: "200"}
    cost: 600
    timeline: [{after: 0s, status: pending}]
  - name: replied
    match: {recipient: "300"}
    timeline: [{after: 0s, status: pending}, {after: 2s, status: delivered}]
    reply: {after: 10s, text: "{faker.word}"}
"""
ACCOUNT = Account("fake", "demo", {"token": "t"}, balance=1000.0)


def _engine(hooks=None, seed=1) -> Engine:
    engine = Engine(
        MemoryStore(),
        ScenarioSet(load_text(SCENARIOS, "s.yaml")),
        Accounts({"fake": [ACCOUNT]}),
        hooks=hooks,
        seed=seed,
        clock_mode=lambda c: c.freeze(parse_instant("2026-01-05T07:00:00Z")),
    )
    return engine


def _submit(services, recipient="380990000001", message_id="1", **extra):
    return services.submit(
        [
            Draft(
                id=message_id,
                channel="viber",
                recipient=recipient,
                cost=extra.pop("cost", 1.0),
                **extra,
            )
        ]
    )


def test_submitted_message_moves_through_default_timeline_as_clock_advances():
    services = Drive(_engine())
    _submit(services)
    seen = []
    for step in (0, 1, 2):
        seen.append(services.find("fake:1").status)
        services.clock.advance([1, 2, 0][step])
    assert seen == ["pending", "sent", "delivered"]


def test_scheduled_start_keeps_message_scheduled_until_due():
    services = Drive(_engine())
    _submit(services, start_at=services.now() + 60)
    assert services.find("fake:1").status == "scheduled"
    services.clock.advance(61)
    assert services.find("fake:1").status == "sent"


def test_scenario_error_refuses_send_and_charges_nothing():
    services = Drive(_engine())
    with pytest.raises(ScenarioError) as caught:
        _submit(services, recipient="100")
    assert caught.value.kind == "no_money"
    assert services.balance() == 1000.0 and services.views() == []


def test_batch_beyond_balance_is_refused_whole():
    services = Drive(_engine())
    batch = [Draft(str(i), "viber", "200") for i in range(2)]
    with pytest.raises(InsufficientBalance):
        services.submit(batch)
    assert services.views() == [] and services.balance() == 1000.0


def test_scenario_reply_arrives_on_time_and_marks_replied():
    services = Drive(_engine())
    _submit(services, recipient="300")
    services.clock.advance(9)
    assert services.find("fake:1").replies == ()
    services.clock.advance(1)
    view = services.find("fake:1")
    assert view.status == "replied" and view.replies[0].text


def test_injected_reply_and_forced_status_are_recorded():
    services = Drive(_engine())
    _submit(services)
    services.clock.advance(3)
    assert services.reply("fake:1", "thanks").status == "replied"
    with pytest.raises(IllegalTransition):
        services.force("fake:1", "pending")
    with pytest.raises(NotFound):
        services.reply("fake:404", "x")
    statuses = [entry["status"] for entry in services.journal("transition")]
    assert statuses == ["pending", "sent", "delivered", "replied"]


def test_forced_transition_cancels_later_scheduled_events():
    services = Drive(_engine())
    _submit(services)
    services.force("fake:1", "undelivered", "not_registered")
    services.clock.advance(10)
    assert services.find("fake:1").status == "undelivered"
    assert [e["status"] for e in services.journal("transition")] == ["pending", "undelivered"]


def test_a_broken_scheduled_job_does_not_keep_the_others_of_its_batch_from_running(caplog):
    engine = _engine()
    services = Drive(engine)
    for number in range(3):
        _submit(services, message_id=str(number))
    due = services.now() + 0.5  # before the messages' own events, in the same batch
    engine.store.schedule("default", due, {"kind": "event", "message": "fake:0"})  # no event: broken
    engine.store.schedule("default", due, {"kind": "mystery"})
    services.clock.advance(5)
    transitions = [(e["message"], e["status"]) for e in services.journal("transition")]
    assert transitions == [
        *[(f"fake:{n}", "pending") for n in range(3)],
        *[(f"fake:{n}", "sent") for n in range(3)],
        *[(f"fake:{n}", "delivered") for n in range(3)],
    ]
    assert engine.store.pending_jobs("default") == 0
    failed = [record for record in caplog.records if record.getMessage().startswith("scheduled job failed")]
    assert [(record.getMessage(), record.exc_info[0]) for record in failed] == [
        ("scheduled job failed: event", KeyError),  # logged with its traceback
        ("scheduled job failed: mystery", ValueError),
    ]


def test_namespaces_have_their_own_messages_and_clock():
    engine = _engine()
    first, second = Drive(engine, "a"), Drive(engine, "b")
    _submit(first)
    first.clock.advance(5)
    assert second.views() == [] and second.now() == first.now() - 5
    engine.reset("a")
    assert first.views() == []


def _callbacks(url: str):
    def build(view, event: Event):
        body = json.dumps({"id": view.message.id, "status": event.status}).encode()
        return [Delivery(url, body, {"Content-Type": "application/json"})]

    return build


def test_callbacks_fire_when_clock_passes_each_step():
    receiver = Receiver()
    url = receiver.start()
    try:
        services = Drive(_engine({"fake": ProviderHooks(_callbacks(url))}))
        _submit(services)
        services.engine.sender.wait_idle()
        assert [json.loads(r.body)["status"] for r in receiver.received] == ["pending"]
        services.clock.advance(5)
        services.engine.sender.wait_idle()
        assert [json.loads(r.body)["status"] for r in receiver.received] == ["pending", "sent", "delivered"]
    finally:
        receiver.stop()


def test_failed_callback_is_retried_on_the_simulated_clock():
    receiver = Receiver(statuses=[500, 503])
    url = receiver.start()
    try:
        hooks = {"fake": ProviderHooks(_callbacks(url), RetryPolicy(backoff=(5, 25)))}
        services = Drive(_engine(hooks))
        _submit(services, recipient="200")  # one event: pending
        services.engine.sender.wait_idle()
        services.clock.advance(5)
        services.engine.sender.wait_idle()
        services.clock.advance(25)
        services.engine.sender.wait_idle()
        assert len(receiver.received) == 3
        attempts = services.journal("webhook")
        assert [(a["attempt"], a["status"]) for a in attempts] == [(1, 500), (2, 503), (3, 200)]
    finally:
        receiver.stop()


def test_hanging_receiver_does_not_slow_submit():
    receiver = Receiver(hang=threading.Event())
    url = receiver.start()
    try:
        services = Drive(_engine({"fake": ProviderHooks(_callbacks(url), RetryPolicy(timeout=30))}))
        import time

        started = time.perf_counter()
        for index in range(20):
            _submit(services, message_id=str(index))
        elapsed = time.perf_counter() - started
        receiver.wait_for(1)
        assert elapsed < 2.0, f"20 sends took {elapsed:.2f}s with a hanging receiver"
    finally:
        receiver.stop()


def test_same_seed_gives_same_scenario_texts():
    def run() -> str:
        services = Drive(_engine(seed=99))
        _submit(services, recipient="300")
        services.clock.advance(10)
        return services.find("fake:1").replies[0].text

    assert run() == run()


def test_core_imports_neither_flask_nor_providers():
    core = Path(__file__).resolve().parents[2] / "simulator" / "core"
    for path in core.rglob("*.py"):
        text = path.read_text()
        for forbidden in ("import flask", "from flask", "simulator.providers", "werkzeug"):
            assert forbidden not in text, f"{path.name} mentions {forbidden}"


def test_scenario_latency_holds_up_the_answer_through_the_pause_hook():
    paused = []
    engine = Engine(
        MemoryStore(),
        ScenarioSet(load_text(SCENARIOS + LATENCY, "s.yaml")),
        Accounts({"fake": [ACCOUNT]}),
        pause=paused.append,
    )
    services = Drive(engine)
    _submit(services)
    with pytest.raises(ScenarioError):
        _submit(services, recipient="400", message_id="2")
    assert paused == [2.5]


LATENCY = """
  - name: slow-timeout
    match: {recipient: "400"}
    latency: 2500ms
    error: {kind: unavailable}
"""


def test_reset_collects_garbage_only_when_it_drops_many_namespaces(monkeypatch):
    """A full collection walks every object of the process (~100 ms in a test run): not for the reset before
    each test, only for one that drops a flood of namespaces, whose clocks and schedulers form cycles."""
    collections = []
    monkeypatch.setattr(heap.gc, "collect", lambda: collections.append(1))
    engine = _engine()
    engine.namespace("default")
    engine.reset()
    assert collections == []
    for number in range(COLLECT_AFTER_RESET_OF):
        engine.namespace(f"flood-{number}")
    engine.reset()
    assert collections == [1]
    engine.close()
