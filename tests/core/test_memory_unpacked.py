"""The memory store keeps the messages clients read unpacked: never stale, and bounded."""

from dataclasses import replace

from simulator.core.lifecycle import Step
from simulator.core.store import MemoryStore
from simulator.core.store import memory as memory_module
from simulator.core.store.base import MessageQuery
from tests.core.test_store import _message


def test_a_kept_message_is_never_served_after_its_record_changed():
    store = MemoryStore()
    store.add_message("ns", replace(_message("p:1"), steps=(Step(0.0, "pending"), Step(5.0, "delivered"))))
    first = store.get_message("ns", "p:1")
    assert store.get_message("ns", "p:1") is first  # kept: the same object for the same record
    store.update_message("ns", "p:1", lambda message: replace(message, text="changed"))
    assert store.get_message("ns", "p:1").text == "changed"
    assert store.query("ns", MessageQuery(), now=1.0).messages[0].text == "changed"
    store.record_status("ns", "p:1", now=6.0)  # a new record for its new status: the message is the same
    assert store.get_message("ns", "p:1").text == "changed"
    assert store.query("ns", MessageQuery(status="delivered"), now=6.0).total == 1
    store.reset("ns")
    store.add_message("ns", replace(_message("p:1"), text="another"))
    assert store.get_message("ns", "p:1").text == "another"


def test_the_kept_messages_are_bounded(monkeypatch):
    monkeypatch.setattr(memory_module, "UNPACKED_KEPT", 10)
    store = MemoryStore()
    for number in range(50):
        store.add_message("ns", _message(f"p:{number}"))
    assert len(store._unpacked) == 0  # writes keep nothing: only what clients read is kept
    assert [message.key for message in store.query("ns", MessageQuery(), now=1.0, oldest_first=True).messages] == [
        f"p:{number}" for number in range(50)
    ]
    assert len(store._unpacked) == 10
