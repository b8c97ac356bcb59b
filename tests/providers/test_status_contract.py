"""Every provider has a word for every canonical status, with and without every reason."""

import itertools

import pytest

from simulator.core import statuses
from simulator.providers.d7 import statuses as d7
from simulator.providers.jsonphp import statuses as jsonphp
from simulator.providers.routee import statuses as routee
from simulator.providers.smsclub import statuses as smsclub

WORDS = {
    "d7-viber": lambda status, reason: d7.word("viber", status, reason),
    "d7-sms": lambda status, reason: d7.word("sms", status, reason),
    "jsonphp": jsonphp.word,
    "routee-viber": routee.VIBER.word,
    "routee-sms": routee.SMS.word,
    "smsclub-viber": lambda status, reason: smsclub.MAIN[status],
    "smsclub-sms": lambda status, reason: smsclub.SMS[status],
}
PAIRS = list(itertools.product(statuses.ALL, (None, *statuses.REASONS)))


@pytest.mark.parametrize("provider", WORDS, ids=str)
def test_every_canonical_status_and_reason_has_a_provider_word(provider):
    for status, reason in PAIRS:
        word = WORDS[provider](status, reason)
        assert isinstance(word, str) and word, (status, reason)


def test_routee_and_smsclub_explain_every_reason():
    for reason in statuses.REASONS:
        assert routee.VIBER.detail(statuses.UNDELIVERED, reason)
        assert routee.SMS.detail(statuses.UNDELIVERED, reason)
        assert reason in smsclub.BY_REASON
