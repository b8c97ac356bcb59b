import pytest

from simulator.core.journal import masked_body, masked_headers


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


def test_masked_headers_keep_scheme_and_last_four():
    assert masked_headers({"Authorization": "Bearer sim-d7-demo-token", "Accept": "x"}) == {
        "Authorization": "Bearer *************oken",
        "Accept": "x",
    }
