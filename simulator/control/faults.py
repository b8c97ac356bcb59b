"""GET/PUT /_sim/faults: seeded latency and error injection per provider and endpoint.

The rules live in the namespace (core/faults.py); the request pipeline applies them to provider
requests before their route runs, so an injected error is rendered in the provider's own envelope.
"""

from __future__ import annotations

import re

from flask import Response, jsonify
from marshmallow import Schema, ValidationError, fields, validates, validates_schema
from marshmallow import validate as v

from simulator.control.blueprint import control, json_body, load, operator, state
from simulator.control.fields import Duration
from simulator.control.journal import note
from simulator.core.faults import FAULT_ERRORS, Fault


class FaultSchema(Schema):
    provider = fields.String(load_default=None)
    method = fields.String(load_default=None)
    path = fields.String(load_default=None)
    probability = fields.Float(load_default=1.0, validate=v.Range(min=0, max=1))
    latency = Duration(120, load_default=0.0)
    jitter = Duration(120, load_default=0.0)
    error = fields.String(load_default=None, allow_none=True, validate=v.OneOf(FAULT_ERRORS))
    times = fields.Integer(load_default=None, allow_none=True, validate=v.Range(min=1))

    @validates("path")
    def _pattern(self, value, **kwargs):
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValidationError(f"not a valid regular expression: {exc}") from exc

    @validates("provider")
    def _provider(self, value, **kwargs):
        names = [spec.name for spec in state().providers]
        if value is not None and value not in names:
            raise ValidationError(f"unknown provider; use one of {', '.join(names)}")

    @validates_schema
    def _does_something(self, data, **kwargs):
        if not data.get("error") and not data.get("latency") and not data.get("jitter"):
            raise ValidationError("give error, latency or jitter", "error")


class FaultsSchema(Schema):
    faults = fields.List(fields.Nested(FaultSchema), required=True)


def _faults_response() -> Response:
    door = operator()
    return jsonify({"namespace": door.namespace, "faults": [rule.__dict__ for rule in door.faults]})


@control.get("/faults")
def get_faults() -> Response:
    return _faults_response()


@control.put("/faults")
def put_faults() -> Response:
    data = load(FaultsSchema(), json_body())
    operator().set_faults([Fault(**rule) for rule in data["faults"]])
    note("control", action="faults", faults=json_body()["faults"])
    return _faults_response()
