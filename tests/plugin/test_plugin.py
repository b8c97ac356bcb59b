"""The pytest plugin, exercised the way users use it: a test file run by pytest in a subprocess."""

from __future__ import annotations

import os

import simulator
from tests.plugin import fake_provider
from tests.plugin.conftest import PLUGIN, XDIST

USER_TESTS = """
import requests

TOKEN = {"Authorization": "Bearer fake-demo-token"}


def send(simulator, text="code 1234"):
    base = simulator.base_url("fake")
    response = requests.post(f"{base}/send", json={"to": "380501234567", "text": text}, headers=TOKEN)
    assert response.status_code == 201
    return base, response.json()["id"]


def test_send_after_clock_advance_is_delivered(simulator, sim_clock):
    base, message_id = send(simulator)
    assert requests.get(f"{base}/status/{message_id}").json()["status"] == "pending"
    sim_clock.advance("5s")
    assert requests.get(f"{base}/status/{message_id}").json()["status"] == "delivered"
    assert simulator.message(f"fake:{message_id}")["status"] == "delivered"
    assert simulator.verify(method="POST", path="/fake/send") == 1
    assert [e["status"] for e in simulator.journal("transition")] == ["delivered", "sent", "pending"]


def test_wait_returns_message_once_delivered(simulator, sim_clock):
    send(simulator, text="wait for me")
    sim_clock.advance("3s")
    assert simulator.wait(to="380501234567", status="delivered", timeout="5s")["text"] == "wait for me"


def test_each_test_starts_with_an_empty_namespace(simulator):
    assert simulator.messages() == []
    assert simulator.requests() == []
"""


def test_plugin_user_suite_send_advance_assert_passes(user_suite):
    user_suite.makepyfile(test_user=USER_TESTS)
    result = user_suite.runpytest(*PLUGIN)
    result.assert_outcomes(passed=3)


def test_plugin_server_error_fails_the_test_with_its_traceback(user_suite):
    user_suite.makepyfile(
        test_boom="""
        import requests

        def test_boom(simulator):
            response = requests.get(simulator.base_url("fake") + "/boom")
            assert response.status_code == 500

        def test_next_test_is_not_blamed(simulator):
            assert simulator.health()["status"] == "ok"
        """
    )
    result = user_suite.runpytest(*PLUGIN)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*RuntimeError: boom from the fake provider*", "*FAILED test_boom.py::test_boom*"])


def test_plugin_seed_option_makes_each_test_see_the_same_ids(user_suite):
    user_suite.makepyfile(
        test_ids="""
        import requests

        SEEN = []

        def send(simulator):
            response = requests.post(
                simulator.base_url("fake") + "/send",
                json={"to": "1"},
                headers={"Authorization": "Bearer fake-demo-token"},
            )
            SEEN.append(response.json()["id"])

        def test_first(simulator):
            send(simulator)

        def test_second_after_reset_gets_the_same_id(simulator):
            send(simulator)
            assert SEEN[0] == SEEN[1]
        """
    )
    user_suite.runpytest(*PLUGIN, "--sim-seed", "5").assert_outcomes(passed=2)
    user_suite.runpytest(*PLUGIN).assert_outcomes(passed=1, failed=1)  # unseeded: ids differ


def test_plugin_scenarios_option_and_sim_scenario_bind_for_one_test(user_suite):
    scenarios = user_suite.mkdir("scenarios")
    (scenarios / "all.yaml").write_text(
        """
scenarios:
  - name: default
    timeline: [{after: 0s, status: pending}, {after: 1s, status: delivered}]
  - name: lost
    timeline: [{after: 0s, status: pending}, {after: 1s, status: undelivered, reason: not_reachable}]
""",
        encoding="utf-8",
    )
    user_suite.makepyfile(
        test_scenarios="""
        import requests

        def send(simulator):
            base = simulator.base_url("fake")
            headers = {"Authorization": "Bearer fake-demo-token"}
            return requests.post(base + "/send", json={"to": "1"}, headers=headers).json()["id"]

        def test_bound_scenario(simulator, sim_clock, sim_scenario):
            sim_scenario("lost")
            message_id = send(simulator)
            sim_clock.advance("1s")
            assert simulator.message(message_id)["reason"] == "not_reachable"

        def test_binding_is_gone_next_test(simulator, sim_clock):
            message_id = send(simulator)
            sim_clock.advance("1s")
            assert simulator.message(message_id)["status"] == "delivered"
        """
    )
    result = user_suite.runpytest(*PLUGIN, "--sim-scenarios", str(scenarios))
    result.assert_outcomes(passed=2)


def test_plugin_two_xdist_workers_share_one_simulator_in_own_namespaces(user_suite):
    user_suite.makepyfile(test_user=USER_TESTS)
    with simulator.running(providers=(fake_provider.SPEC,)) as shared:
        result = user_suite.runpytest_subprocess(
            *PLUGIN, *XDIST, "-p", "no:cacheprovider", "-n", "2", "--dist", "each", "--sim-url", shared.url
        )
        result.assert_outcomes(passed=6)
        spaces = {item["name"]: item["messages"] for item in shared.call("GET", "/namespaces")["namespaces"]}
    assert {"gw0", "gw1"} <= set(spaces)  # each worker worked (and reset) in its own namespace
    assert spaces.get("default", 0) == 0


def test_plugin_help_lists_options(user_suite):
    result = user_suite.runpytest(*PLUGIN, "--help")
    result.stdout.fnmatch_lines(["*--sim-seed*", "*--sim-scenarios*", "*--sim-url*", "*--sim-namespace*"])


def test_plugin_entry_point_loads_itself_without_dash_p(user_suite, monkeypatch):
    """Installed (pip install -e '.[test]' in CI), pytest loads the plugin from its pytest11 entry point."""
    dist = user_suite.mkdir("site") / "provider_simulator-0.0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: provider-simulator\nVersion: 0.0.0\n")
    (dist / "entry_points.txt").write_text("[pytest11]\nprovider_simulator = simulator.testing.pytest_plugin\n")
    monkeypatch.setenv("PYTHONPATH", f"{dist.parent}:{os.environ['PYTHONPATH']}")
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    user_suite.makepyfile(test_user=USER_TESTS)
    result = user_suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_plugin_tls_option_serves_https_an_unmodified_client_trusts_with_sim_ca(user_suite, tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)  # a run without xdist: the client's `default` namespace
    user_suite.makepyfile(
        test_tls="""
        import socket
        from urllib.parse import urlsplit

        import requests

        def test_client_with_fixed_https_host_reaches_the_simulator(simulator, sim_ca, monkeypatch):
            real = socket.getaddrinfo
            monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: real(
                "127.0.0.1" if host == "api.fake.test" else host, *a, **k))  # a hosts-file line
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sim_ca))
            port = urlsplit(simulator.url).port
            token = {"Authorization": "Bearer fake-demo-token"}
            response = requests.post(f"https://api.fake.test:{port}/send", json={"to": "1"}, headers=token)
            assert response.status_code == 201
            assert simulator.url.startswith("https://") and simulator.latest()["recipient"] == "1"
        """
    )
    result = user_suite.runpytest(*PLUGIN, "--sim-tls", "--sim-tls-dir", str(tmp_path / "tls"))
    result.assert_outcomes(passed=1)


def test_plugin_sim_ca_without_tls_errors_naming_the_option(user_suite):
    user_suite.makepyfile(test_ca="def test_needs_ca(sim_ca):\n    pass\n")
    result = user_suite.runpytest(*PLUGIN)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*run pytest with --sim-tls*"])
