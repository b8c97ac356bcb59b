"""The shared reading of marshmallow's errors, on errors a real schema produced."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError, fields, validates_schema

from simulator.providers.validation import first_error, first_per_field, problems


class _Inner(Schema):
    gender = fields.String(required=True)


class _Request(Schema):
    phone = fields.String(required=True)
    ids = fields.List(fields.Integer())
    voice = fields.Nested(_Inner)
    text = fields.String()

    @validates_schema
    def _whole(self, data: dict, **kwargs) -> None:
        raise ValidationError("the request as a whole")


def _messages(data: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        _Request().load(data)
    return caught.value.messages


def test_problems_of_nested_fields_keep_declaration_order_and_paths():
    messages = _messages({"text": 5, "voice": {}, "ids": [1, "x"]})
    assert list(problems(messages)) == [
        (("phone",), "Missing data for required field."),
        (("ids", 1), "Not a valid integer."),
        (("voice", "gender"), "Missing data for required field."),
        (("text",), "Not a valid string."),
    ]


def test_problems_of_schema_validator_add_nothing_to_the_path():
    assert list(problems(_messages({"phone": "380"}))) == [((), "the request as a whole")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"text": 5}, (("phone",), "Missing data for required field.")),
        ({"phone": "380", "voice": {}, "text": 5}, (("voice", "gender"), "Missing data for required field.")),
        ({"phone": "380"}, ((), "the request as a whole")),
    ],
    ids=["top_level_field", "nested_field", "schema_validator"],
)
def test_first_error_of_failed_load_is_first_failing_field(data, expected):
    assert first_error(_messages(data)) == expected


def test_first_error_of_no_messages_is_empty():
    assert first_error({}) == ((), "")


def test_first_per_field_given_order_ranks_named_fields_first_and_keeps_the_rest_as_found():
    messages = {"b": ["b1", "b2"], "a": {"x": ["a1"]}, "c": ["c1"]}
    assert list(first_per_field(messages, ("c",)).items()) == [("c", "c1"), ("b", "b1"), ("a", "a1")]
