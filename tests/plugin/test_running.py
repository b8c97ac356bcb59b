"""`with simulator.running() as sim:` for unittest and scripts."""

from __future__ import annotations

import pytest
import requests

import simulator
from simulator.testing.client import SimulatorError, WaitTimeout
from tests.plugin import fake_provider

TOKEN = {"Authorization": "Bearer fake-demo-token"}


def test_running_serves_sends_and_advances_without_pytest_fixtures():
    with simulator.running(providers=(fake_provider.SPEC,), seed=3) as sim:
        response = requests.post(sim.base_url("fake") + "/send", json={"to": "380501234567"}, headers=TOKEN)
        message_id = response.json()["id"]
        sim.advance("3s")
        assert sim.wait(id=message_id, status="delivered", timeout=1)["status"] == "delivered"
        assert sim.latest()["id"] == message_id
        assert sim.force(message_id, "read")["status"] == "read"
        assert sim.reply(message_id, text="ok")["status"] == "replied"
        assert "sim_up 1" in sim.metrics()


def test_running_handler_error_is_raised_when_block_ends():
    with pytest.raises(RuntimeError, match="boom"), simulator.running(providers=(fake_provider.SPEC,)) as sim:
        assert requests.get(sim.base_url("fake") + "/boom").status_code == 500


def test_running_client_errors_carry_our_error_code():
    with simulator.running(providers=(fake_provider.SPEC,)) as sim:
        with pytest.raises(WaitTimeout) as timeout:
            sim.wait(status="delivered", timeout=0.05)
        assert timeout.value.code == "timeout"
        with pytest.raises(SimulatorError) as refused:
            sim.advance("-1s")
        assert (refused.value.status, refused.value.code) == (400, "invalid_clock_request")


def test_running_namespace_client_sees_only_its_namespace():
    with simulator.running(providers=(fake_provider.SPEC,), namespace="mine") as sim:
        assert sim.base_url("fake").endswith("/_ns/mine/fake")
        requests.post(sim.base_url("fake") + "/send", json={"to": "1"}, headers=TOKEN)
        other = simulator.testing.client.SimulatorClient(sim.url)
        assert len(sim.messages()) == 1 and other.messages() == []
        other.session.close()


def test_running_block_end_stops_server_and_request_threads_even_after_control_error():
    with simulator.running(providers=(fake_provider.SPEC,)) as sim:
        requests.post(sim.base_url("fake") + "/send", json={"to": "1"}, headers=TOKEN)
        with pytest.raises(SimulatorError):
            sim.advance("-1s")
    assert not sim.server.alive()  # nothing left to wait for: the block ends as soon as the sockets close
