import re

import pytest

from simulator.core import journal
from simulator.core.journal import masked_body, masked_headers, masked_query


@pytest.mark.parametrize(
    ("body", "masked"),
    [
        ('{"auth":"sim-jsonphp-demo-key","data":[]}', '{"auth":"****************-key","data":[]}'),
        (
            '{"access_token":"cd613e30-d8f1","token_type":"Bearer"}',
            '{"access_token":"*********d8f1","token_type":"Bearer"}',
        ),
        ('{"auth": "a\\"bcdef"}', '{"auth": "****cdef"}'),
        ("grant_type=password&password=hunter22", "grant_type=password&password=****er22"),
        ('{"text":"auth is fine"}', '{"text":"auth is fine"}'),
    ],
    ids=["jsonphp-auth", "oauth-token", "escaped-quote", "form", "no-secret"],
)
def test_masked_body_hides_credential_values(body, masked):
    assert masked_body(body) == masked


def _names(pattern: re.Pattern) -> list[str]:
    """The credential names a body pattern lists (its alternation of words)."""
    return re.search(r"\(\?:([A-Za-z_|]+)\)", pattern.pattern).group(1).split("|")


# Every credential name the body patterns know, read from the patterns themselves: a name added to one is
# tested here, whatever shortcut masking takes for a text that holds none.
JSON_SECRETS = _names(journal._SECRET_JSON)
FORM_SECRETS = _names(journal._SECRET_FORM)


def test_the_names_are_read_from_the_patterns():
    assert "client_secret" in JSON_SECRETS and "apiKey" in JSON_SECRETS and "token" in FORM_SECRETS


@pytest.mark.parametrize("name", JSON_SECRETS)
def test_every_json_credential_name_is_masked(name):
    assert masked_body(f'{{"id":1,"{name}":"abcdefgh"}}') == f'{{"id":1,"{name}":"****efgh"}}'


@pytest.mark.parametrize("name", FORM_SECRETS)
def test_every_form_credential_name_is_masked(name):
    assert masked_body(f"id=1&{name}=abcdefgh") == f"id=1&{name}=****efgh"


def test_masked_headers_keep_scheme_and_last_four():
    assert masked_headers({"Authorization": "Bearer sim-d7-demo-token", "Accept": "x"}) == {
        "Authorization": "Bearer *************oken",
        "Accept": "x",
    }


@pytest.mark.parametrize(
    ("query", "masked"),
    [
        ("token=sim-d7-demo-token&x=1", "token=*************oken&x=1"),
        ("a=1&auth=abcdefgh", "a=1&auth=****efgh"),
        ("access_token=0123456789", "access_token=******6789"),
        ("API_KEY=abcdefgh&apikey=12345678", "API_KEY=****efgh&apikey=****5678"),
        ("page=2&size=20", "page=2&size=20"),
        ("mytoken=abcdefgh", "mytoken=abcdefgh"),
    ],
    ids=["token", "auth", "access-token", "api-keys-any-case", "no-secret", "suffix-is-not-the-name"],
)
def test_masked_query_hides_credential_values(query, masked):
    assert masked_query(query) == masked


def test_a_waiter_is_woken_by_the_next_entry_and_none_is_notified_without_waiters():
    """notify() takes the condition only while someone waits; a waiter counted in before its first look is
    woken by the entry that makes its condition true, long before its timeout."""
    import threading

    from simulator.core.journal import Journal
    from simulator.core.store import MemoryStore

    journal = Journal(MemoryStore())
    journal.record("ns", "clock", 1.0)  # no waiter: nothing to wake, nothing taken
    got = []
    waiter = threading.Thread(
        target=lambda: got.append(journal.wait_for(lambda: len(journal.entries("ns")) > 1, timeout=60))
    )
    waiter.start()
    for _ in range(1_000_000):  # the waiter holds the condition until it waits: seen counted, it is waiting
        with journal._changed:
            if journal._waiting == 1:
                break
    else:
        raise AssertionError("the waiter never waited")
    journal.record("ns", "clock", 2.0)
    waiter.join(timeout=30)
    assert got == [True] and journal._waiting == 0
