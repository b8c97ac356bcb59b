"""OpenAPI documents of the providers, generated from their marshmallow schemas (apispec), so they cannot drift.

Each provider declares its operations in its own `openapi.py` (`API`): method, real path, summary, the
marshmallow schema of its body or query, its security scheme, and how its own custom fields read as
OpenAPI properties. `document()` turns that into OpenAPI 3.0, served at /_sim/openapi/<provider>.json; a
test checks that the operations are exactly the provider's routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields

OPENAPI_VERSION = "3.0.3"
_PATH_PARAMETER = re.compile(r"{(\w+)}")


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
    # The provider's own marshmallow field classes as OpenAPI properties ({} for ones apispec knows)
    properties: Callable[[fields.Field], dict] = lambda field: {}
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
    plugin.converter.add_attribute_function(lambda converter, field, **kwargs: api.properties(field))
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
