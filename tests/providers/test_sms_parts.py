import pytest

from simulator.providers.sms_parts import PartSizes, count, is_gsm7


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("я" * 70, 1),
        ("я" * 71, 2),
        ("я" * 134, 2),
        ("я" * 135, 3),
        ("", 1),
    ],
    ids=[
        "gsm-160",
        "gsm-161",
        "gsm-306",
        "gsm-307",
        "extended-80",
        "extended-81",
        "ucs2-70",
        "ucs2-71",
        "ucs2-134",
        "ucs2-135",
        "empty",
    ],
)
def test_count_standard_sizes(text, parts):
    assert count(text) == parts


def test_count_with_provider_sizes_and_forced_coding():
    d7 = PartSizes(unicode_part=63)
    assert count("я" * 127, d7) == 3
    assert count("a" * 71, d7, gsm=False) == 2
    assert is_gsm7("Hello @ 10€") and not is_gsm7("Привіт")
