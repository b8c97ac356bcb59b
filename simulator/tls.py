"""HTTPS on the providers' real hostnames (issue 17), for clients whose base URL cannot change.

A local certificate authority is created on first use and kept in the TLS directory (`--tls-dir`,
default in the user's data directory), so a CA trusted once stays trusted across restarts. Each start
issues a fresh leaf certificate from it for every provider's real host plus localhost and the loopback
addresses. `--tls-cert/--tls-key` serve a certificate of the user's own instead.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import ssl
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import trustme

from simulator.core.errors import ConfigError
from simulator.settings import Settings

CA_DIR = "ca"  # in the TLS directory: ca.pem (what clients trust) and ca-key.pem (never leaves the machine)
CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
CA_ORGANIZATION = "provider-simulator local CA"
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", "*", ""})
CA_DOWNLOAD_PATH = "/_sim/tls/ca.pem"


@dataclass(frozen=True)
class Certificate:
    """The files the server needs: the leaf certificate (with its chain) and its key, and the CA to trust."""

    cert: Path
    key: Path
    ca: Path | None  # None for a certificate brought with --tls-cert: its CA is the user's business


def default_dir() -> Path:
    return platformdirs.user_data_path("provider-simulator") / "tls"


def ca_path(settings: Settings) -> Path | None:
    """The CA certificate a client must trust; None without TLS or with the user's own certificate."""
    if not settings.serves_tls or settings.tls_cert:
        return None
    directory = Path(settings.tls_dir).expanduser() if settings.tls_dir else default_dir()
    return directory / CA_DIR / CA_CERT


def server_names(hosts: Iterable[str], settings: Settings) -> list[str]:
    """What the leaf certificate names: the providers' real hosts, loopback, --host and --allowed-host."""
    names = [*hosts, *LOCAL_NAMES, settings.host, *settings.allowed_hosts]
    return list(dict.fromkeys(name.strip("[]") for name in names if name.strip("[]") not in WILDCARD_HOSTS))


@contextmanager
def certificate(settings: Settings, hosts: Iterable[str]) -> Iterator[Certificate]:
    """The certificate to serve while the block runs (a fresh leaf lives in a private temporary directory)."""
    if settings.tls_cert or settings.tls_key:
        yield own_certificate(settings.tls_cert, settings.tls_key)
        return
    ca_file = ca_path(settings)
    authority = local_ca(ca_file.parent)
    leaf = authority.issue_cert(*server_names(hosts, settings))
    with tempfile.TemporaryDirectory(prefix="provider-simulator-tls-") as scratch:
        cert, key = Path(scratch) / "server.pem", Path(scratch) / "server-key.pem"
        cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        leaf.private_key_pem.write_to_path(str(key))
        yield Certificate(cert, key, ca_file)


def own_certificate(cert: str | None, key: str | None) -> Certificate:
    """--tls-cert/--tls-key, checked now: a wrong path is one line at start, not a failing worker later."""
    if not (cert and key):
        raise ConfigError("--tls-key" if cert else "--tls-cert", "", "give --tls-cert and --tls-key together")
    for flag, path in (("--tls-cert", cert), ("--tls-key", key)):
        if not Path(path).is_file():
            raise ConfigError(flag, "", f"no such file: {path}")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(cert, key)
    except OSError as exc:  # ssl.SSLError included
        raise ConfigError("--tls-cert", "", f"{cert} and {key} are not a PEM certificate and its key: {exc}") from exc
    return Certificate(Path(cert), Path(key), None)


def local_ca(home: Path) -> trustme.CA:
    """The CA in `home` (the TLS directory's ca/), created on first use and reused after that."""
    if not (home / CA_CERT).is_file():
        home.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".ca-", dir=home.parent))
        authority = trustme.CA(organization_name=CA_ORGANIZATION)
        authority.cert_pem.write_to_path(str(staging / CA_CERT))
        authority.private_key_pem.write_to_path(str(staging / CA_KEY))
        os.chmod(staging / CA_KEY, 0o600)
        os.chmod(staging, 0o755)  # ca.pem is public: a PHP or Node process of another user may need to read it
        try:
            staging.rename(home)  # atomic: two simulators starting at once end up with the same CA
        except OSError:
            shutil.rmtree(staging)
    try:
        return trustme.CA.from_pem((home / CA_CERT).read_bytes(), (home / CA_KEY).read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigError(str(home), "", f"cannot read the local CA: {exc}") from exc


def url_host(host: str) -> str:
    """A host as it appears in a URL (IPv6 in brackets)."""
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def instructions(ca: Path | None, address: str, port: int, hosts: Iterable[str]) -> list[tuple[str, str]]:
    """(label, line) pairs: how to route the real hosts to the simulator and make clients trust its CA."""
    hosts = list(hosts)
    lines = [("hosts file", f"{address} {' '.join(hosts)}")]
    if "api.d7networks.com" in hosts:  # the D7 balance: one GET that needs nothing but the demo token
        origin = f"https://api.d7networks.com{'' if port == 443 else f':{port}'}"
        cacert = f" --cacert {ca}" if ca else ""
        lines.append(
            (
                "curl",
                f"curl --resolve api.d7networks.com:{port}:{address}{cacert} {origin}/messages/v1/balance "
                "-H 'Authorization: Bearer sim-d7-demo-token'",
            )
        )
    if ca:
        lines += [
            ("Python requests", f"export REQUESTS_CA_BUNDLE={ca}"),
            ("OpenSSL, Go, Ruby", f"export SSL_CERT_FILE={ca}"),
            ("Node.js", f"export NODE_EXTRA_CA_CERTS={ca}"),
            ("PHP (php.ini)", f"curl.cainfo={ca}  openssl.cafile={ca}"),
        ]
    if port != 443:
        lines.append(("port 443", "clients with a fixed https:// URL connect to 443: start with --port 443"))
    return lines
