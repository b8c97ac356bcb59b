"""HTTPS on the providers' real hostnames (issue 17), over real TLS on loopback.

The command line serves with granian's own TLS; in-process servers (running(), the pytest plugin) with
werkzeug's, because waitress has none. Every certificate is checked by the client: a CA the client does
not trust is refused, so verification is really on.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import trustme
from direct7 import Client

import simulator
from simulator import tls
from tests.test_cli import ROOT, _run, _wait_for_line, _wait_until_serving
from tests.test_readme import matches, section

D7_HOST = "api.d7networks.com"
TOKEN = {"Authorization": "Bearer sim-d7-demo-token"}
BALANCE = "/messages/v1/balance"


@dataclass
class TlsServer:
    port: int
    ca: Path
    output: str

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    """`run.py --tls` as a user starts it: granian serving HTTPS with a certificate of a fresh local CA."""
    directory = tmp_path_factory.mktemp("tls")
    process = subprocess.Popen(
        [sys.executable, "run.py", "--tls", "--tls-dir", str(directory), "--port", "0", "--clock", "frozen"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = _wait_for_line(process, "Started worker-1", timeout=60)
        port = int(re.search(r"https://127\.0\.0\.1:(\d+)/d7", output).group(1))
        _wait_until_serving(process, port)
        yield TlsServer(port, directory / "ca" / "ca.pem", output)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def server(tls_server: TlsServer) -> TlsServer:
    """The module's HTTPS server, reset: every test starts from the demo balance."""
    requests.post(f"{tls_server.url}/_sim/reset", verify=tls_server.ca, timeout=10).raise_for_status()
    return tls_server


@pytest.fixture(scope="module")
def http_balance() -> bytes:
    """What the same balance request answers over plain HTTP."""
    with simulator.running() as sim:
        return requests.get(sim.base_url("d7") + BALANCE, headers=TOKEN, timeout=10).content


@pytest.fixture
def resolve_real_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a hosts-file line does: the providers' real hostnames resolve to loopback (in this process)."""
    hosts = {host for spec in simulator.providers.REGISTRY for host in spec.hosts}
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        return real("127.0.0.1" if host in hosts else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", *args], capture_output=True, timeout=30)


def test_tls_start_prints_ca_path_and_trust_and_routing_lines(server):
    ca, port = server.ca, server.port
    for line in (
        f"CA certificate       {ca}  (also https://127.0.0.1:{port}/_sim/tls/ca.pem)",
        "127.0.0.1 im.smsclub.mobi api.d7networks.com alphasms.ua auth.routee.net connect.routee.net",
        f"curl --resolve {D7_HOST}:{port}:127.0.0.1 --cacert {ca} https://{D7_HOST}:{port}{BALANCE}",
        f"export REQUESTS_CA_BUNDLE={ca}",
        f"export SSL_CERT_FILE={ca}",
        f"export NODE_EXTRA_CA_CERTS={ca}",
        f"curl.cainfo={ca}  openssl.cafile={ca}",
    ):
        assert line in server.output


def test_requests_with_the_ca_bundle_gets_the_same_bytes_as_over_http(server, http_balance):
    response = requests.get(f"{server.url}/d7{BALANCE}", headers=TOKEN, verify=server.ca, timeout=10)
    assert (response.status_code, response.content) == (200, http_balance)


def test_curl_resolve_real_hostname_gets_the_same_bytes_as_over_http(server, http_balance):
    port = server.port
    result = _curl(
        "--resolve",
        f"{D7_HOST}:{port}:127.0.0.1",
        "--cacert",
        str(server.ca),
        "-H",
        "Authorization: Bearer sim-d7-demo-token",
        f"https://{D7_HOST}:{port}{BALANCE}",
    )
    assert (result.returncode, result.stdout) == (0, http_balance), result.stderr


def test_client_with_another_ca_refuses_the_certificate(server, tmp_path):
    stranger = tmp_path / "stranger.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger))
    with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
        requests.get(f"{server.url}/d7{BALANCE}", headers=TOKEN, verify=stranger, timeout=10)
    result = _curl(
        "--resolve",
        f"{D7_HOST}:{server.port}:127.0.0.1",
        "--cacert",
        str(stranger),
        f"https://{D7_HOST}:{server.port}{BALANCE}",
    )
    assert result.returncode == 60  # curl: peer certificate cannot be authenticated with known CA certificates


def test_direct7_sdk_at_real_hostname_sends_and_reads_a_report(server, resolve_real_hosts, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca))  # how a user makes requests trust the CA
    client = Client(api_token="sim-d7-demo-token")
    client.host(f"https://{D7_HOST}:{server.port}")  # the SDK's own base URL, only the port changed
    try:
        sent = client.sms.send_messages({"recipients": ["+971500000001"], "content": "Hi"}, originator="SignOTP")
        advanced = requests.post(f"{server.url}/_sim/clock", json={"advance": "3s"}, verify=server.ca, timeout=10)
        assert advanced.status_code == 200
        report = client.sms.get_status(request_id=sent["request_id"])
    finally:
        client.session.close()
    assert [row["status"] for row in report["messages"]] == ["delivered"]


def test_discovery_lists_https_urls_and_the_ca(server):
    found = requests.get(f"{server.url}/_sim/", verify=server.ca, timeout=10).json()
    d7 = next(item for item in found["providers"] if item["name"] == "d7")
    assert d7["base_urls"] == [f"{server.url}/d7"]
    assert d7["real_host_urls"] == [f"https://{D7_HOST}:{server.port}"]
    assert found["tls"] == {"ca_file": str(server.ca), "ca_url": f"{server.url}/_sim/tls/ca.pem"}
    download = requests.get(found["tls"]["ca_url"], verify=server.ca, timeout=10)
    assert download.content == server.ca.read_bytes()


def test_readme_unmodified_clients_curl_line_runs_as_documented(server):
    text = section("Unmodified clients")
    command, answer = re.search(r"^(curl --resolve .*)\n# (\{.*\})$", text, re.M).groups()
    command = command.replace(":8443", f":{server.port}").replace(README_CA, str(server.ca))
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)
    assert matches(answer, result.stdout), result.stdout + result.stderr


README_CA = "~/.local/share/provider-simulator/tls/ca/ca.pem"


def test_restart_reuses_the_ca_so_a_trusted_ca_stays_trusted(tmp_path):
    trusted = tmp_path / "trusted.pem"
    with simulator.running(tls=True, tls_dir=str(tmp_path / "tls")) as first:
        trusted.write_bytes(first.ca.read_bytes())  # what a user added to their trust store
    with simulator.running(tls=True, tls_dir=str(tmp_path / "tls")) as second:
        response = requests.get(second.base_url("d7") + BALANCE, headers=TOKEN, verify=trusted, timeout=10)
    assert response.status_code == 200 and second.ca.read_bytes() == trusted.read_bytes()


def test_own_certificate_is_served_and_no_local_ca_is_offered(tmp_path):
    authority = trustme.CA()
    leaf = authority.issue_cert("localhost", "127.0.0.1")
    cert, key, ca = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    authority.cert_pem.write_to_path(str(ca))
    with simulator.running(tls_cert=str(cert), tls_key=str(key)) as sim:
        assert sim.ca is None
        sim.session.verify = str(ca)
        assert sim.call("GET", "/")["tls"] == {"ca_file": None, "ca_url": None}
        assert requests.get(f"{sim.url}/_sim/tls/ca.pem", verify=ca, timeout=10).status_code == 404
        assert requests.get(sim.base_url("d7") + BALANCE, headers=TOKEN, verify=ca, timeout=10).status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--tls-cert", "/nowhere/cert.pem", "--tls-key", "/nowhere/key.pem"],
            "--tls-cert: no such file: /nowhere/cert.pem",
        ),
        (["--tls-cert", "/nowhere/cert.pem"], "--tls-key: give --tls-cert and --tls-key together"),
        (
            ["--tls", "--server", "waitress"],
            "--tls: waitress has no TLS; serve HTTPS with --server granian (the default)",
        ),
    ],
    ids=["missing-cert", "cert-without-key", "waitress"],
)
def test_bad_tls_flag_exits_2_with_one_line(args, message):
    result = _run(*args)
    assert (result.returncode, result.stderr) == (2, f"provider-simulator: {message}\n")


def test_local_ca_created_once_in_its_directory(tmp_path):
    first = tls.local_ca(tmp_path / "ca")
    again = tls.local_ca(tmp_path / "ca")
    assert first.cert_pem.bytes() == again.cert_pem.bytes()
    assert (tmp_path / "ca" / "ca-key.pem").stat().st_mode & 0o077 == 0  # the key is the owner's alone
