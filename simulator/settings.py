"""Settings: one dataclass, filled from CLI flags or SIM_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from simulator.core.retention import Retention


def _shipped_scenarios() -> Path:
    """The top-level scenarios/ of a checkout; an installed wheel carries a copy as simulator/scenarios."""
    installed = Path(__file__).resolve().parent / "scenarios"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "scenarios"


SHIPPED_SCENARIOS = _shipped_scenarios()
SERVERS = ("granian", "waitress")
LOG_LEVELS = ("debug", "info", "warning", "error")
LIST_FIELDS = ("allowed_hosts", "webhook_allow")  # repeatable flags; SIM_<NAME> holds them comma-separated


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    scenarios: str = str(SHIPPED_SCENARIOS)
    seed: int | None = None
    clock: str = "real"  # real | frozen | frozen:<ISO instant>
    store: str = "memory://"
    provider_ports: dict[str, int] = field(default_factory=dict)
    accounts: str | None = None  # YAML file replacing the shipped demo accounts
    log_level: str = "info"
    server: str = "granian"
    workers: int = 1
    throttle: bool = True
    journal_max_entries: int = 10_000
    journal_max_age: float = 86_400.0
    admin_token: str | None = None
    watch_scenarios: bool = True  # reload scenario files when they change
    max_namespaces: int = 1000  # each costs a little memory; more are refused with a clear error
    retention: str = "off"  # per namespace: off, a message count (100000) or an age (7d)
    max_waits: int = 8  # open GET /_sim/wait calls per process (each holds a server thread); more get a 429
    allowed_hosts: list[str] = field(default_factory=list)  # Host names served besides loopback and --host
    webhook_allow: list[str] = field(default_factory=list)  # webhook URL prefixes allowed (empty: any http/https)
    tls: bool = False  # serve HTTPS (see simulator/tls.py)
    tls_dir: str | None = None  # where the local CA lives; None: the user's data directory
    tls_cert: str | None = None  # a certificate of the user's own (PEM, with its chain) instead of the local CA's
    tls_key: str | None = None

    @property
    def serves_tls(self) -> bool:
        """--tls, or a certificate of the user's own (which implies it)."""
        return self.tls or bool(self.tls_cert or self.tls_key)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from SIM_<FIELD> variables; SIM_PROVIDER_PORTS reads "d7=9001,routee=9002"."""
        environ = os.environ if environ is None else environ
        values: dict = {}
        for item in fields(cls):
            raw = environ.get(f"SIM_{item.name.upper()}")
            if raw is None:
                continue
            values[item.name] = parse_value(item.name, raw)
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """The SIM_* variables that reproduce these settings in another process."""
        env = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            if item.name == "provider_ports":
                value = ",".join(f"{name}={port}" for name, port in value.items())
            elif item.name in LIST_FIELDS:
                value = ",".join(value)
            elif isinstance(value, bool):
                value = "1" if value else "0"
            env[f"SIM_{item.name.upper()}"] = str(value)
        return env


def parse_provider_ports(raw: str | list[str]) -> dict[str, int]:
    items = raw.split(",") if isinstance(raw, str) else raw
    ports = {}
    for item in (part.strip() for part in items):
        if not item:
            continue
        name, sep, port = item.partition("=")
        if not sep or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"provider port must look like NAME=PORT, got {item!r}")
        ports[name.strip()] = int(port)
    return ports


# Whole-number settings and their smallest and largest allowed values.
RANGES = {
    "port": (0, 65535),
    "workers": (1, 256),
    "journal_max_entries": (0, 10**9),
    "max_namespaces": (1, 10**6),
    "max_waits": (0, 10**6),
}


def parse_value(name: str, raw: str):
    if name in RANGES:
        low, high = RANGES[name]
        if not raw.strip().isdigit():
            raise ValueError(f"{name} must be a whole number, got {raw!r}")
        if not low <= int(raw) <= high:
            raise ValueError(f"{name} must be between {low} and {high}, got {raw!r}")
        return int(raw)
    if name == "seed":
        try:
            return int(raw)
        except ValueError as exc:
            raise ValueError(f"seed must be an integer, got {raw!r}") from exc
    if name == "journal_max_age":
        return float(raw)
    if name in ("throttle", "watch_scenarios", "tls"):
        return raw.strip().lower() not in ("0", "false", "no", "off")
    if name == "provider_ports":
        return parse_provider_ports(raw)
    if name == "retention":
        Retention.parse(raw)  # refuse a bad value here, with its reason
        return raw.strip()
    if name in LIST_FIELDS:
        return [item.strip() for item in raw.split(",") if item.strip()]
    if name == "server" and raw not in SERVERS:
        raise ValueError(f"server must be one of {', '.join(SERVERS)}, got {raw!r}")
    if name == "log_level" and raw.lower() not in LOG_LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return raw.lower() if name == "log_level" else raw
