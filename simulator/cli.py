"""`provider-simulator` / `python run.py`: flags -> Settings -> bound sockets -> create_app() -> a production server."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING

from simulator import tls
from simulator.app import create_app
from simulator.core.errors import ConfigError
from simulator.pipeline import is_loopback
from simulator.server import ListenError, bind, check_tls, serve
from simulator.settings import LOG_LEVELS, SERVERS, Settings, parse_provider_ports, parse_value
from simulator.testing import commands

if TYPE_CHECKING:
    from flask import Flask

PROG = "provider-simulator"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, no usage dump
        self.exit(2, f"{PROG}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Byte-exact simulator of SMS and Viber provider APIs. "
        "Every flag can also be set with a SIM_<NAME> environment variable.",
    )
    parser.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", help="main port (default 8080)")
    parser.add_argument("--scenarios", metavar="DIR", help="scenario directory (default: the shipped scenarios/)")
    parser.add_argument("--seed", metavar="N", help="seed for ids and Faker texts: same seed, same bytes")
    parser.add_argument("--clock", metavar="MODE", help="real | frozen | frozen:<ISO instant> (default real)")
    parser.add_argument("--store", metavar="URL", help="state backend (default memory://)")
    parser.add_argument(
        "--retention", metavar="COUNT|AGE", help="per namespace, evict settled messages beyond 100000 or older than 7d"
    )
    parser.add_argument("--accounts", metavar="FILE", help="YAML file replacing the shipped demo accounts")
    parser.add_argument(
        "--provider-port",
        metavar="P=N",
        action="append",
        help="also serve provider P at its real paths on port N (repeatable)",
    )
    parser.add_argument("--server", choices=SERVERS, help="granian (default) or waitress (pure Python)")
    parser.add_argument("--workers", metavar="N", help="worker processes (needs a shared store)")
    parser.add_argument("--no-throttle", action="store_true", help="switch provider rate limits off")
    parser.add_argument("--log-level", choices=LOG_LEVELS, help="default info")
    parser.add_argument(
        "--admin-token", metavar="TOKEN", help="required in X-Sim-Admin-Token for /_sim/ when --host is not loopback"
    )
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with the local CA's certificate")
    parser.add_argument("--tls-dir", metavar="DIR", help="where the local CA lives (default: in the user's data dir)")
    parser.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this certificate (PEM) instead")
    parser.add_argument("--tls-key", metavar="FILE", help="the private key of --tls-cert (PEM)")
    parser.add_argument("--max-namespaces", metavar="N", help="namespaces that may exist at once (default 1000)")
    parser.add_argument("--max-waits", metavar="N", help="open /_sim/wait calls per process (default 8)")
    parser.add_argument(
        "--allowed-host", metavar="NAME", action="append", help="also serve requests whose Host is NAME (repeatable)"
    )
    parser.add_argument(
        "--webhook-allow", metavar="PREFIX", action="append", help="send webhooks only to URLs starting so (repeatable)"
    )
    return parser


def settings_from(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    """Environment first, flags on top."""
    settings = Settings.from_env(environ)
    for name in (
        "host",
        "port",
        "scenarios",
        "seed",
        "clock",
        "store",
        "retention",
        "accounts",
        "server",
        "workers",
        "log_level",
        "max_namespaces",
        "max_waits",
        "tls_dir",
        "tls_cert",
        "tls_key",
    ):
        raw = getattr(args, name)
        if raw is not None:
            setattr(settings, name, parse_value(name, raw))
    if args.provider_port:
        settings.provider_ports = {**settings.provider_ports, **parse_provider_ports(args.provider_port)}
    if args.no_throttle:
        settings.throttle = False
    if args.admin_token:
        settings.admin_token = args.admin_token
    if args.tls:
        settings.tls = True
    if args.allowed_host:
        settings.allowed_hosts = [*settings.allowed_hosts, *args.allowed_host]
    if args.webhook_allow:
        settings.webhook_allow = [*settings.webhook_allow, *args.webhook_allow]
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in commands.NAMES:  # a companion command (send, messages, wait ...), not serving
        return commands.main(argv)
    args = build_parser().parse_args(argv)
    with ExitStack() as stack:
        try:
            settings = settings_from(args, dict(os.environ))
            logging.basicConfig(
                level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
            )
            check_tls(settings)
            sockets = [bind(settings.host, port) for port in (settings.port, *settings.provider_ports.values())]
            settings.port = sockets[0].getsockname()[1]  # --port 0: the port the system chose
            app = create_app(settings)
            hosts = [host for spec in app.extensions["simulator"].providers for host in spec.hosts]
            certificate = stack.enter_context(tls.certificate(settings, hosts)) if settings.serves_tls else None
        except (ValueError, ConfigError, ListenError) as exc:
            print(f"{PROG}: {exc}", file=sys.stderr)
            return 2
        announce(settings, app, certificate)
        serve(settings, app, sockets, certificate)
    return 0


def announce(settings: Settings, app: Flask, certificate: tls.Certificate | None) -> None:
    """Where everything is: a line per provider, the control API and inbox, and with TLS how to trust it."""
    scheme = "https" if certificate else "http"
    root = f"{scheme}://{tls.url_host(settings.host)}:{settings.port}"
    providers = app.extensions["simulator"].providers
    for spec in providers:
        port = settings.provider_ports.get(spec.name)
        extra = f"  and http://{tls.url_host(settings.host)}:{port}" if port else ""
        print(f"{spec.name:<8} {spec.title:<20} {root}{spec.prefix}{extra}", flush=True)
    print(f"{'control':<8} {'':<20} {root}/_sim/", flush=True)
    print(f"{'inbox':<8} {'':<20} {root}/_sim/inbox/", flush=True)
    if certificate:
        trust = f"{certificate.ca}  (also {root}{tls.CA_DOWNLOAD_PATH})" if certificate.ca else certificate.cert
        print(f"{'tls':<8} {'CA certificate' if certificate.ca else 'certificate':<20} {trust}", flush=True)
        address = settings.host if settings.host not in tls.WILDCARD_HOSTS else "127.0.0.1"
        hosts = [host for spec in providers for host in spec.hosts]
        for label, line in tls.instructions(certificate.ca, address, settings.port, hosts):
            print(f"{'':<8} {label:<20} {line}", flush=True)
    if not is_loopback(settings.host) and not settings.admin_token:
        print(
            f"{PROG}: warning: --host {settings.host} is not loopback and no --admin-token is set: "
            "/_sim/ (control API and inbox) will refuse every request",
            file=sys.stderr,
            flush=True,
        )
