"""bench/inprocess.py measures the requests it names, each answered as intended (not an error measured)."""

from bench import inprocess
from bench.run import simulator_env


def test_the_in_process_bench_times_each_request_answered_as_intended(monkeypatch):
    for name, value in simulator_env().items():
        monkeypatch.setenv(name, value)
    found = inprocess.measure(rounds=1, requests=20)
    assert set(found["us_per_request"]) == {"peer", "d7_report", "d7_unknown", "smsclub_send"}
    assert all(value > 0 for value in found["us_per_request"].values())
    assert set(found["ratios"]) == {"d7_report", "d7_unknown", "smsclub_send"}


def test_a_request_answered_otherwise_stops_the_bench():
    import pytest

    def teapot(environ, start_response):
        start_response("418 I'M A TEAPOT", [])
        return [b""]

    with pytest.raises(SystemExit, match="418"):
        inprocess.microseconds(teapot, lambda: inprocess.environ("GET", "/"), inprocess.OK, rounds=1, requests=1)
