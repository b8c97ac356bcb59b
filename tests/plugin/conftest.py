"""Plugin tests run user-style test files with pytester."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Plugin auto-loading is off in these runs (PYTEST_DISABLE_PLUGIN_AUTOLOAD): each run stays fast and
# independent of whatever else is installed, and the plugin loads the checkout way, by module name.
# test_plugin_entry_point_loads_itself_without_dash_p covers the installed way.
PLUGIN = ("-p", "simulator.testing.pytest_plugin")
XDIST = ("-p", "xdist.plugin")

# The user's conftest: serve the test-only fake provider (sim_providers is an overridable fixture).
USER_CONFTEST = """
import pytest

from tests.plugin import fake_provider


@pytest.fixture(scope="session")
def sim_providers():
    return (fake_provider.SPEC,)
"""


@pytest.fixture
def user_suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A fresh directory holding a user's conftest, with this checkout importable."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("SIM_URL", raising=False)
    pytester.makeconftest(USER_CONFTEST)
    return pytester
