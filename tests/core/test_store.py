import threading

from simulator.core.lifecycle import Step
from simulator.core.messages import Message
from simulator.core.store import MemoryStore

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


def test_concurrent_sequences_never_repeat_or_skip():
    store = MemoryStore()
    seen: list[int] = []
    _hammer(lambda index, item: seen.append(store.next_sequence("ns", "ids", 5769)))
    assert sorted(seen) == list(range(5769, 5769 + THREADS * PER_THREAD))


def test_concurrent_messages_and_updates_are_not_lost():
    store = MemoryStore()
    store.add_message("ns", _message("shared"))

    def work(index: int, item: int) -> None:
        store.add_message("ns", _message(f"{index}-{item}"))
        store.update_message("ns", "shared", lambda m: m.evolve(attrs={"n": m.attrs.get("n", 0) + 1}))

    _hammer(work)
    assert len(store.messages("ns")) == THREADS * PER_THREAD + 1
    assert store.get_message("ns", "shared").attrs["n"] == THREADS * PER_THREAD


def test_concurrent_charges_never_overdraw():
    store = MemoryStore()
    charged = []
    _hammer(lambda index, item: charged.append(store.charge("ns", "acct", 1.0, 1000.0)[0]))
    assert charged.count(True) == 1000
    assert store.balance("ns", "acct", 1000.0) == 0.0


def test_journal_is_bounded_by_count_and_age():
    store = MemoryStore()
    for index in range(20):
        store.append_journal("ns", {"time": float(index)}, max_entries=5, max_age=100.0, now=float(index))
    assert [entry["time"] for entry in store.journal("ns")] == [15.0, 16.0, 17.0, 18.0, 19.0]
    store.append_journal("ns", {"time": 200.0}, max_entries=5, max_age=10.0, now=200.0)
    assert [entry["time"] for entry in store.journal("ns")] == [200.0]


def test_reset_of_one_namespace_keeps_the_others():
    store = MemoryStore()
    store.add_message("a", _message("x"))
    store.add_message("b", _message("x"))
    store.reset("a")
    assert store.messages("a") == [] and len(store.messages("b")) == 1
