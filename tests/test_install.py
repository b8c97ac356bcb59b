"""A built wheel, installed in a fresh virtual environment, works away from the checkout (issue 16).

The wheel is built offline from a copy of the sources (the checkout stays clean), installed without
dependencies into a new venv that borrows this environment's installed packages through a .pth file,
then `provider-simulator` is started from another directory and a user's test file runs against it,
once through the pytest plugin's own in-process server and once against the started one (--sim-url).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import _free_port, _wait_for_line, _wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("setup.py", "setup.cfg", "pyproject.toml", "README.md", "simulator", "scenarios")

USER_TEST = """
import sys

import requests

import simulator as package


def test_installed_package_serves_the_shipped_scenarios_and_accounts(simulator, sim_clock):
    assert package.__file__.startswith(sys.prefix)  # the wheel, not the checkout
    sources = {item["source"] for item in simulator.scenarios()["scenarios"]}
    assert sources and all(source.startswith(sys.prefix) for source in sources), sources
    response = requests.post(
        simulator.base_url("d7") + "/messages/v1/send",
        json={
            "messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "Hi", "msg_type": "text"}],
            "message_globals": {"originator": "SignOTP"},
        },
        headers={"Authorization": "Bearer sim-d7-demo-token"},
    )
    assert response.status_code == 200, response.text
    sim_clock.advance("3s")
    message = simulator.latest(provider="d7")
    assert (message["status"], message["scenario"]["name"]) == ("delivered", "magic-delivered")
"""


def _run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel built from this checkout; returns its bin directory."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    _run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", work / "dist", source)
    (wheel,) = (work / "dist").glob("provider_simulator-*.whl")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(*pip, "--python", python, "install", "--no-deps", "--no-index", wheel)
    # The dependencies (and pytest) come from this environment: its site directories go after the venv's own.
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    borrowed = [path for path in sys.path if path.endswith(("site-packages", "dist-packages"))]
    Path(site, "borrowed-dependencies.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    return venv / "bin"


def _clean_env() -> dict[str, str]:
    """No checkout on the path and plugins loading from entry points, as in a user's shell."""
    drop = {"PYTHONPATH", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER", "SIM_URL"}
    return {key: value for key, value in os.environ.items() if key not in drop and not key.startswith("SIM_")}


def test_installed_wheel_plugin_test_passes_in_process(installed, tmp_path):
    (tmp_path / "test_user.py").write_text(USER_TEST, encoding="utf-8")
    result = subprocess.run(
        [installed / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_console_script_started_elsewhere_serves_a_plugin_test(installed, tmp_path):
    (tmp_path / "test_user.py").write_text(USER_TEST, encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [installed / "provider-simulator", "--port", str(port), "--clock", "frozen"],
        cwd=tmp_path,
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_line(server, "Started worker-1", timeout=60)
        _wait_until_serving(server, port)
        result = subprocess.run(
            [installed / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
            cwd=tmp_path,
            env={**_clean_env(), "SIM_URL": f"http://127.0.0.1:{port}"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
