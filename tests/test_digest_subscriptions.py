"""Parsing ``/digest``: the accepted forms, and errors that name the expected form."""

import pytest

from bot.digest.subscriptions import DigestRequest, DigestUsageError, parse_digest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 08:30 Europe/Rome", DigestRequest("on", "08:30", "Europe/Rome", "it", False)),
        ("on 8:30 Europe/Rome en", DigestRequest("on", "08:30", "Europe/Rome", "en", False)),
        ("ON 18:05 America/New_York it always", DigestRequest("on", "18:05", "America/New_York", "it", True)),
        ("on 07:00 Asia/Tokyo --always EN", DigestRequest("on", "07:00", "Asia/Tokyo", "en", True)),
        ("off", DigestRequest("off")),
        ("status", DigestRequest("status")),
        ("", DigestRequest("status")),
        ("  now ", DigestRequest("now")),
    ],
)
def test_accepted(text, expected):
    assert parse_digest(text) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("on 25:00 Europe/Rome", "HH:MM"),
        ("on 08:30 Europe/Roma", "IANA name like Europe/Rome"),
        ("on 08:30 ../../etc/passwd", "IANA name like Europe/Rome"),
        ("on 08:30", "needs a time and a time zone"),
        ("on 08:30 Europe/Rome fr", "it or en"),
        ("on 08:30 Europe/Rome it en", "it or en"),
        ("off now", "takes nothing after it"),
        ("sometimes", "Unknown action"),
    ],
)
def test_refused_with_the_expected_form(text, named):
    with pytest.raises(DigestUsageError) as error:
        parse_digest(text)
    assert named in str(error.value)
    assert "/digest on HH:MM Zone/City [it|en] [always]" in str(error.value)


def test_user_text_is_quoted_back_bounded_and_without_backticks():
    with pytest.raises(DigestUsageError) as error:
        parse_digest("on `" + "x" * 100 + " Europe/Rome")
    assert "`x" not in str(error.value) and "…" in str(error.value)
