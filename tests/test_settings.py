"""Settings that hold lists (repeatable flags): from flags, from SIM_* variables, and back."""

from __future__ import annotations

from simulator.cli import build_parser, settings_from
from simulator.settings import Settings


def test_list_flags_add_to_the_environment_and_survive_the_round_trip():
    args = build_parser().parse_args(
        ["--allowed-host", "a.test", "--allowed-host", "b.test", "--webhook-allow", "http://127.0.0.1:9000/"]
    )
    settings = settings_from(args, {"SIM_ALLOWED_HOSTS": "c.test, d.test"})
    assert settings.allowed_hosts == ["c.test", "d.test", "a.test", "b.test"]
    assert settings.webhook_allow == ["http://127.0.0.1:9000/"]
    again = Settings.from_env(settings.to_env())
    assert (again.allowed_hosts, again.webhook_allow) == (settings.allowed_hosts, settings.webhook_allow)
