"""OpenAPI documents of the providers, generated from their marshmallow schemas (apispec), so they cannot drift.

Each provider declares its operations in its own `openapi.py` (`API`): method, real path, summary, the
marshmallow schema of its body or query and its security scheme. `document()` turns that into OpenAPI 3.0,
served at /_sim/openapi/<provider>.json; a test checks that the operations are exactly the provider's routes.

apispec knows marshmallow's own field classes; a provider's own field class says what a client should send
in its `openapi` attribute (a class attribute, or set in `__init__` when it depends on the arguments),
built from the kinds below, so the mapping is written once here and each difference is data on its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields

OPENAPI_VERSION = "3.0.3"
_PATH_PARAMETER = re.compile(r"{(\w+)}")

# The property kinds the providers' own fields declare as `openapi`
STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE_TIME = {"type": "string", "format": "date-time"}


def string(
    *, min_length: int | None = None, max_length: int | None = None, pattern: str | None = None, enum: Iterable = ()
) -> dict:
    """A string property with the constraints given (None or empty: unconstrained)."""
    constraints = {"minLength": min_length, "maxLength": max_length, "pattern": pattern, "enum": list(enum) or None}
    return {**STRING, **{key: value for key, value in constraints.items() if value is not None}}


def number(minimum: float, maximum: float) -> dict:
    return {"type": "number", "minimum": minimum, "maximum": maximum}


def array(items: dict, *, min_items: int | None = None, max_items: int | None = None, unique: bool = False) -> dict:
    constraints = {"minItems": min_items, "maxItems": max_items, "uniqueItems": unique or None}
    return {"type": "array", "items": items, **{key: value for key, value in constraints.items() if value is not None}}


def one_of(*kinds: dict) -> dict:
    """A value of any of these kinds (e.g. an id a client sends as a number or a string)."""
    return {"oneOf": list(kinds)}


def field_property(field: fields.Field) -> dict:
    """The OpenAPI property a provider's own field declares ({} for marshmallow's own: apispec knows them)."""
    return dict(getattr(field, "openapi", {}))


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the provider's real path, OpenAPI style: /report/v1/viber-log/{request_id}
    summary: str
    body: type[Schema] | dict | None = None  # a marshmallow schema, or a JSON schema built from components
    media_type: str = "application/json"
    query: type[Schema] | None = None
    parameters: tuple[dict, ...] = ()  # query parameters no schema reads (e.g. a page number)
    security: str | None = None  # a name in Api.security_schemes
    success: str = "the provider's answer"


@dataclass(frozen=True)
class Api:
    operations: tuple[Operation, ...]
    errors: str  # how the provider's errors look, for the readers of the document
    security_schemes: dict[str, dict] = field(default_factory=dict)
    components: dict[str, type[Schema]] = field(default_factory=dict)  # schemas a dict `body` refers to


def document(name: str, title: str, version: str, api: Api) -> dict:
    """The provider's OpenAPI 3.0 document; its paths are relative to the server URL /<name>."""
    plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
    spec = APISpec(
        title=f"{title} (provider-simulator)",
        version=version,
        openapi_version=OPENAPI_VERSION,
        plugins=[plugin],
        servers=[{"url": f"/{name}", "description": "under the simulator's prefix, or at the provider's real host"}],
        info={"description": f"Generated from the simulator's request schemas. Errors: {api.errors}"},
    )
    plugin.converter.add_attribute_function(lambda converter, field, **kwargs: field_property(field))
    for scheme_name, scheme in api.security_schemes.items():
        spec.components.security_scheme(scheme_name, scheme)
    for component_name, schema in api.components.items():
        spec.components.schema(component_name, schema=schema)
    paths: dict[str, dict] = {}
    for operation in api.operations:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _operation(operation: Operation) -> dict:
    parameters: list[dict] = [
        {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAMETER.findall(operation.path)
    ]
    if operation.query is not None:
        parameters.append({"in": "query", "schema": operation.query})
    parameters.extend(operation.parameters)
    result: dict = {
        "summary": operation.summary,
        "responses": {
            "200": {"description": operation.success},
            "default": {"description": "an error, in the provider's own envelope (see the description above)"},
        },
    }
    if parameters:
        result["parameters"] = parameters
    if operation.body is not None:
        result["requestBody"] = {"required": True, "content": {operation.media_type: {"schema": operation.body}}}
    if operation.security is not None:
        result["security"] = [{operation.security: []}]
    return result


def schema_name(schema: type[Schema] | Schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__.removesuffix("Schema").lstrip("_") or cls.__name__
