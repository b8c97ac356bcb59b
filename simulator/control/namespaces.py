"""GET/PUT /_sim/namespaces: the namespaces in use, and credentials bound to one.

A binding sends every request made with that credential to the namespace, for clients that can
neither add X-Sim-Namespace nor change their base URL to /_ns/<name>/.
"""

from __future__ import annotations

from flask import Response, jsonify
from marshmallow import Schema, fields, validate

from simulator.control.accounts import resolve
from simulator.control.blueprint import NAMESPACE_PATTERN, control, engine, json_body, load


class BindingsSchema(Schema):
    # credential ("<provider>:<account or credential value>") -> namespace, or null to unbind
    bindings = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True, validate=validate.Regexp(NAMESPACE_PATTERN)),
        required=True,
    )


@control.get("/namespaces")
def get_namespaces() -> Response:
    sim = engine()
    names = sorted(set(sim.namespace_names()) | set(sim.store.namespaces()))
    return jsonify(
        {
            "namespaces": [{"name": name, "messages": len(sim.store.messages(name))} for name in names],
            "bindings": dict(sim.namespace_bindings),
        }
    )


@control.put("/namespaces")
def bind_namespaces() -> Response:
    data = load(BindingsSchema(), json_body())
    bindings = engine().namespace_bindings
    changes = {resolve(key).key: name for key, name in data["bindings"].items()}
    for account_key, name in changes.items():
        if name is None:
            bindings.pop(account_key, None)
        else:
            bindings[account_key] = name
    return get_namespaces()
