"""pytest plugin for users' test suites: a live simulator per session, reset before each test.

Installed, it loads itself (entry point `provider_simulator`); from a checkout use
`-p simulator.testing.pytest_plugin`. Fixtures (all overridable in a conftest):

- `simulator`: a `Simulator` control client of a live server, reset before each test; its
  `base_urls` map provider names to base URLs in this test run's namespace. Errors the server
  raised while answering fail the test that caused them.
- `sim_clock`: freeze, set and advance simulated time.
- `sim_scenario`: `sim_scenario("name")` makes messages follow a scenario for one test.
- `sim_ca`: with `--sim-tls`, the CA certificate file an HTTPS client must trust.
- `sim_settings`, `sim_providers`, `sim_namespace`: what the session server is built from.

Options: `--sim-seed N`, `--sim-scenarios DIR`, `--sim-url URL` (use a running simulator; each
pytest-xdist worker then works in its own namespace), `--sim-namespace NAME`, `--sim-tls` (serve
HTTPS on the providers' real hostnames, signed by the local CA in `--sim-tls-dir DIR`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from simulator.settings import SHIPPED_SCENARIOS, Settings
from simulator.testing.client import SimClock
from simulator.testing.embedded import Simulator, running
from simulator.tls import ca_path

if TYPE_CHECKING:
    from simulator.providers.base import ProviderSpec

DEFAULT_NAMESPACE = "default"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("provider-simulator", "provider simulator")
    group.addoption("--sim-seed", type=int, default=None, help="seed for simulator ids and texts")
    group.addoption("--sim-scenarios", metavar="DIR", default=None, help="scenario directory for the simulator")
    group.addoption(
        "--sim-url",
        metavar="URL",
        default=os.environ.get("SIM_URL"),
        help="use the simulator running at URL instead of starting one (default: $SIM_URL)",
    )
    group.addoption(
        "--sim-namespace",
        metavar="NAME",
        default=None,
        help="namespace for this run (xdist workers append their id); default 'default' or the worker id",
    )
    group.addoption("--sim-tls", action="store_true", default=False, help="serve HTTPS (the local CA signs it)")
    group.addoption(
        "--sim-tls-dir",
        metavar="DIR",
        default=os.environ.get("SIM_TLS_DIR"),
        help="where the local CA lives (default: $SIM_TLS_DIR, else the user's data dir, as for the command line)",
    )


@pytest.fixture(scope="session")
def sim_settings(pytestconfig: pytest.Config) -> Settings:
    """Settings of the session's in-process simulator: a free loopback port and a frozen clock."""
    return Settings(
        port=0,
        clock="frozen",
        seed=pytestconfig.getoption("sim_seed"),
        scenarios=pytestconfig.getoption("sim_scenarios") or str(SHIPPED_SCENARIOS),
        tls=pytestconfig.getoption("sim_tls"),
        tls_dir=pytestconfig.getoption("sim_tls_dir"),
    )


@pytest.fixture(scope="session")
def sim_providers() -> tuple[ProviderSpec, ...] | None:
    """The providers to serve; None means every registered provider."""
    return None


@pytest.fixture(scope="session")
def sim_namespace(pytestconfig: pytest.Config) -> str:
    """This run's namespace: --sim-namespace, with the xdist worker id, so parallel workers never meet."""
    base = pytestconfig.getoption("sim_namespace")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        return f"{base}-{worker}" if base else worker
    return base or DEFAULT_NAMESPACE


@pytest.fixture(scope="session")
def simulator_session(
    pytestconfig: pytest.Config,
    sim_settings: Settings,
    sim_providers: tuple[ProviderSpec, ...] | None,
    sim_namespace: str,
) -> Iterator[Simulator]:
    url = pytestconfig.getoption("sim_url")
    if url:
        # An HTTPS simulator on this machine signs with the local CA in the same directory as ours would.
        ca = ca_path(Settings(tls=True, tls_dir=sim_settings.tls_dir)) if url.startswith("https:") else None
        yield Simulator(url, sim_namespace, os.environ.get("SIM_ADMIN_TOKEN"), ca=ca if ca and ca.is_file() else None)
        return
    with running(sim_settings, sim_providers, sim_namespace) as sim:
        yield sim


@pytest.fixture(scope="session")
def sim_ca(simulator_session: Simulator) -> Path:
    """The CA certificate file an HTTPS client must trust (REQUESTS_CA_BUNDLE, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS)."""
    if simulator_session.ca is None:
        pytest.fail("sim_ca: the simulator serves no HTTPS signed by its local CA; run pytest with --sim-tls")
    return simulator_session.ca


@pytest.fixture
def simulator(simulator_session: Simulator) -> Iterator[Simulator]:
    """The session's simulator, its namespace reset for this test."""
    simulator_session.check()  # an error from outside any test is not this test's fault: drop it
    simulator_session.reset()
    yield simulator_session
    simulator_session.check()


@pytest.fixture
def sim_clock(simulator: Simulator) -> SimClock:
    return SimClock(simulator)


@pytest.fixture
def sim_scenario(simulator: Simulator) -> Callable[..., None]:
    """`sim_scenario(name, credential=None)`: bind a scenario for this test (every account when no credential)."""

    def bind(name: str, credential: str | None = None) -> None:
        if credential is not None:
            simulator.bind_scenario(credential, name)
            return
        for provider, accounts in simulator.accounts().items():
            for account in accounts:
                simulator.bind_scenario(f"{provider}:{account['name']}", name)

    return bind


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Fail the test itself, not its teardown, when the server raised while answering it."""
    result = yield
    sim = getattr(item, "funcargs", {}).get("simulator")
    if isinstance(sim, Simulator):
        sim.check()
    return result
