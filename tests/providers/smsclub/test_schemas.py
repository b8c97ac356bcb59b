"""SMS Club's request schemas: Yii2's labels and messages, without a label written by hand."""

from __future__ import annotations

import pytest

from simulator.providers.smsclub.schemas import InvalidRequest, SmsSendSchema, label


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        ("messageIds", "Message Ids"),
        ("senderSms", "Sender Sms"),
        ("is_2way", "Is 2way"),
        ("src_addr", "Src Addr"),
        ("id_sms", "Id Sms"),
        ("button_txt", "Button Txt"),
        ("phone", "Phone"),
    ],
    ids=["camel", "camel-two-words", "digit", "snake", "snake-short", "snake-abbreviation", "one-word"],
)
def test_label_of_attribute_is_yii2_generated_label(attribute: str, expected: str):
    assert label(attribute) == expected


def test_request_with_every_field_wrong_lists_first_problem_of_each_in_rule_order():
    with pytest.raises(InvalidRequest) as caught:
        SmsSendSchema().request({"src_addr": 5, "lifetime": "soon", "phone": None})
    assert caught.value.errors == {
        "phone": ["Phone cannot be blank."],
        "message": ["Message cannot be blank."],
        "src_addr": ["Src Addr must be a string."],
        "lifetime": ["Lifetime must be an integer."],
    }
