"""The match matrix writes one number the ways helpdesks store it."""

from __future__ import annotations

import pytest

from hdkit.engine.phones import formats


@pytest.mark.parametrize(
    "phone, expected",
    [
        pytest.param("+14155550123", {"e164": "+14155550123", "national": "(415) 555-0123",
                                      "00_prefix": "0014155550123", "digits": "14155550123",
                                      "last_7": "5550123"}, id="nanp-e164"),
        pytest.param("(415) 555-0123", {"e164": "+14155550123", "national": "(415) 555-0123"}, id="nanp-national"),
        pytest.param("1-415-555-0123", {"e164": "+14155550123"}, id="nanp-with-trunk-1"),
        pytest.param("+44 20 7946 0018", {"e164": "+442079460018", "national": "02079460018",
                                          "00_prefix": "00442079460018", "last_7": "9460018"}, id="uk"),
        pytest.param("0044 20 7946 0018", {"e164": "+442079460018"}, id="uk-00"),
        pytest.param("+353 1 234 5678", {"e164": "+35312345678", "national": "012345678"}, id="three-digit-code"),
        pytest.param("+7 495 123 4567", {"digits": "74951234567"}, id="one-digit-7"),
    ],
)
def test_formats(phone: str, expected: dict[str, str]) -> None:
    got = dict(formats(phone).items())
    assert {k: got[k] for k in expected} == expected


def test_national_number_uses_default_country() -> None:
    assert dict(formats("020 7946 0018", default_country="44").items())["e164"] == "+442079460018"


def test_last_digits_is_configurable() -> None:
    assert formats("+14155550123").items(4)[-1] == ("last_4", "0123")


def test_no_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="no digits"):
        formats("call me")


def test_last_zero_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1 digit, got 0"):
        formats("+14155550123").items(0)
