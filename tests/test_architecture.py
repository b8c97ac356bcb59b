"""The layering DESIGN.md promises, checked on the source: who may reach what."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SIMULATOR = Path(__file__).resolve().parents[1] / "simulator"
OUTSIDE_CORE = sorted(path for path in SIMULATOR.rglob("*.py") if SIMULATOR / "core" not in path.parents)
# What only core may touch: the engine's namespaces, store, scheduler, journal and sender. Outside core
# the engine is only asked for doors (the app factory builds it, the pipeline asks it for doors).
ENGINE_INTERNALS = re.compile(
    r"\.(_?space|_engine|scheduler|namespace_names)\b|engine\.sender\b|(?<!settings)\.store\b|\.namespace\(|"
    r"\.journal\.|\.engine\.(?!provider_door|operator_door|bound_namespace|close|sync)|(?<![-.\w])Namespace\b|"
    r"simulator\.core\.store|import .*\bNamespace\b"
)


def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _code_lines(path: Path) -> list[str]:
    """Lines of code, without comments and docstring prose (they may name what they explain)."""
    return [line.strip() for line in _source(path).splitlines() if line.strip() and not line.strip().startswith("#")]


@pytest.mark.parametrize("path", OUTSIDE_CORE, ids=lambda p: str(p.relative_to(SIMULATOR)))
def test_module_outside_core_reaches_no_engine_internal(path):
    found = [line for line in _code_lines(path) if ENGINE_INTERNALS.search(line)]
    if path == SIMULATOR / "app.py":  # the app factory builds the engine from its parts
        found = [line for line in found if "open_store" not in line]
    assert found == []


@pytest.mark.parametrize(
    "path",
    sorted((SIMULATOR / "control").rglob("*.py")) + sorted((SIMULATOR / "inbox").rglob("*.py")),
    ids=lambda p: str(p.relative_to(SIMULATOR)),
)
def test_control_and_inbox_import_no_provider_internals(path):
    imports = re.findall(r"^\s*(?:from|import) (simulator\.providers[\w.]*)", _source(path), re.MULTILINE)
    assert [name for name in imports if name != "simulator.providers"] == []


def test_outside_core_only_the_app_factory_imports_the_engine():
    """Providers, the pipeline, control and inbox reach core through its doors (simulator.core.doors, which
    also carries the namespace names' rules); only the app factory builds an Engine."""
    importers = sorted(
        str(path.relative_to(SIMULATOR))
        for path in OUTSIDE_CORE
        if re.search(r"^\s*(?:from simulator\.core\.engine import|import simulator\.core\.engine)", _source(path), re.M)
    )
    assert importers == ["app.py"]


def test_namespace_is_chosen_only_by_the_pipeline():
    readers = sorted(
        str(path.relative_to(SIMULATOR))
        for path in SIMULATOR.rglob("*.py")
        if re.search(r"headers\.get\(NAMESPACE_HEADER\)|\.bound_namespace\(", _source(path))
    )
    assert readers == ["pipeline.py"]


def test_client_side_code_reaches_the_server_only_through_the_app_factory():
    for path in (SIMULATOR / "testing").rglob("*.py"):
        imports = re.findall(r"^\s*(?:from|import) (simulator\.[\w.]+)", _source(path), re.MULTILINE)
        server_side = [name for name in imports if not name.startswith(("simulator.testing", "simulator.settings"))]
        # Pure helpers both sides share (core.clock: the one duration syntax; core.replay: how a journalled
        # request is replayed; core.scenarios and core.errors: `provider-simulator lint` checks scenario files
        # offline with the server's own loader); providers: the registry; providers.base: a type hint only.
        allowed = {
            "simulator.app",
            "simulator.server",
            "simulator.tls",  # the certificate an in-process server serves, made like the command line makes it
            "simulator.core.clock",
            "simulator.core.replay",
            "simulator.core.scenarios",
            "simulator.core.errors",
            "simulator.providers",
            "simulator.providers.base",
        }
        assert set(server_side) <= allowed, path


def test_core_imports_neither_flask_nor_providers():
    for path in (SIMULATOR / "core").rglob("*.py"):
        assert not re.search(r"^\s*(from|import) (flask|werkzeug|simulator\.providers)", _source(path), re.MULTILINE), (
            path
        )
