"""GET/PUT /_sim/scenarios: the loaded scenarios, and which credential follows which one."""

from __future__ import annotations

import dataclasses

from flask import Response, jsonify
from marshmallow import Schema, fields

from simulator.control.accounts import resolve
from simulator.control.blueprint import control, json_body, load, operator
from simulator.control.errors import ControlError
from simulator.control.journal import note
from simulator.core.scenarios import Scenario


class BindingsSchema(Schema):
    # credential ("<provider>:<account or credential value>") -> scenario name, or null to unbind
    bindings = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), required=True)


def scenario_json(scenario: Scenario) -> dict:
    match = dataclasses.asdict(scenario.match) if scenario.match else None
    return {
        "name": scenario.name,
        "description": scenario.description,
        "source": scenario.source,
        "match": {key: list(value) if isinstance(value, tuple) else value for key, value in (match or {}).items()},
        "error": scenario.error,
        "outcomes": len(scenario.outcomes),
        "cost": scenario.cost,
    }


@control.get("/scenarios")
def get_scenarios() -> Response:
    """The scenarios in force; `error` names the file and key of a broken edit (the last good set stays)."""
    door = operator()
    door.scenarios.check()  # an edit made since the watcher last looked is reported now, not a second later
    return jsonify(
        {
            "namespace": door.namespace,
            "scenarios": [scenario_json(s) for s in door.scenarios.scenarios],
            "error": door.scenarios.error,
            "bindings": dict(door.scenario_bindings),
        }
    )


@control.put("/scenarios")
def bind_scenarios() -> Response:
    """Bind scenarios to credentials in this namespace: every message they send follows it."""
    data = load(BindingsSchema(), json_body())
    door = operator()
    changes = {}
    for key, name in data["bindings"].items():
        if name is not None and door.scenarios.get(name) is None:
            raise ControlError(400, "unknown_scenario", f"no scenario named {name!r}")
        changes[resolve(key).key] = name
    for account_key, name in changes.items():
        if name is None:
            door.scenario_bindings.pop(account_key, None)
        else:
            door.scenario_bindings[account_key] = name
    note("control", action="bind_scenario", bindings=changes)
    return get_scenarios()
