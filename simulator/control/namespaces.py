"""GET/PUT /_sim/namespaces: the namespaces in use, and credentials bound to one.

A binding sends every request made with that credential to the namespace, for clients that can
neither add X-Sim-Namespace nor change their base URL to /_ns/<name>/.
"""

from __future__ import annotations

from flask import Response, jsonify
from marshmallow import Schema, fields, validate

from simulator.control.accounts import resolve
from simulator.control.blueprint import control, json_body, load, operator
from simulator.core.doors import NAMESPACE_PATTERN


class BindingsSchema(Schema):
    # credential ("<provider>:<account or credential value>") -> namespace, or null to unbind
    bindings = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True, validate=validate.Regexp(NAMESPACE_PATTERN)),
        required=True,
    )


@control.get("/namespaces")
def get_namespaces() -> Response:
    door = operator()
    return jsonify(
        {
            "namespaces": [{"name": name, "messages": door.message_count(name)} for name in door.namespaces()],
            "bindings": dict(door.namespace_bindings),
        }
    )


@control.put("/namespaces")
def bind_namespaces() -> Response:
    data = load(BindingsSchema(), json_body())
    bindings = operator().namespace_bindings
    changes = {resolve(key).key: name for key, name in data["bindings"].items()}
    for account_key, name in changes.items():
        if name is None:
            bindings.pop(account_key, None)
        else:
            bindings[account_key] = name
    return get_namespaces()
