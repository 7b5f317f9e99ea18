"""One phone number, written the ways helpdesks store it, for the match matrix.

A lookup that misses because the helpdesk stores ``(415) 555-0123`` while the PBX sends
``+14155550123`` fails silently on a real PBX. The match matrix tries the number in each
format below so a user sees which ones the helpdesk's search really matches.

No phone-number library is needed for this: the country calling code is split off with the
ITU code table (1-, 2- and 3-digit codes), and the national form is the trunk prefix ``0``
plus the national number, except for the NANP (+1), written ``(AAA) BBB-CCCC``. That is a
deliberate simplification (some countries have no trunk prefix); the E.164, ``00``, digits
and last-N forms are exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["PhoneFormats", "formats", "many_records_note"]

# ITU-T E.164 country calling codes of one and two digits; every other code has three.
_ONE_DIGIT = {"1", "7"}
_TWO_DIGIT = {
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
    "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
}  # fmt: skip


@dataclass(frozen=True)
class PhoneFormats:
    country_code: str
    national_number: str

    def items(self, last_digits: int = 7) -> list[tuple[str, str]]:
        """(format name, number) pairs, in the order the matrix shows them."""
        if last_digits < 1:
            raise ValueError(f"the last-digits format needs at least 1 digit, got {last_digits}")
        cc, nn = self.country_code, self.national_number
        national = f"({nn[:3]}) {nn[3:6]}-{nn[6:]}" if cc == "1" and len(nn) == 10 else f"0{nn}"
        return [
            ("e164", f"+{cc}{nn}"),
            ("national", national),
            ("00_prefix", f"00{cc}{nn}"),
            ("digits", f"{cc}{nn}"),
            (f"last_{last_digits}", nn[-last_digits:]),
        ]


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def formats(phone: str, default_country: str = "1") -> PhoneFormats:
    """Split ``phone`` into country code and national number.

    ``+``/``00``-prefixed numbers carry their country code; a national number (leading ``0``
    trunk prefix, or NANP ten digits) uses ``default_country``.
    """
    text = phone.strip()
    digits = _digits(text)
    if not digits:
        raise ValueError(f"{phone!r} is not a phone number (no digits)")
    if text.startswith("+") or digits.startswith("00"):
        full = digits[2:] if digits.startswith("00") and not text.startswith("+") else digits
        for size, codes in ((1, _ONE_DIGIT), (2, _TWO_DIGIT)):
            if full[:size] in codes:
                return PhoneFormats(full[:size], full[size:])
        return PhoneFormats(full[:3], full[3:])
    national = digits[1:] if digits.startswith("0") else digits
    if default_country == "1" and len(national) == 11 and national.startswith("1"):
        national = national[1:]
    return PhoneFormats(default_country, national)


def many_records_note(records: Sequence[Mapping[str, Any]], digits: str) -> str:
    """Why a search returning several records for one number is suspicious ("" when it is not).

    A helpdesk that ignores the filter (a POST search sent without its body, a misspelt query
    parameter) answers its first page of contacts: many records, most not carrying the number.
    """
    if len(records) < 2:
        return ""
    carrying = sum(_carries(r, digits) for r in records)
    if carrying < len(records):
        return f"{len(records)} records for one number: the filter was probably not applied"
    return f"{len(records)} records for one number (each carries it: shared or duplicate contacts)"


def _carries(record: Mapping[str, Any], digits: str) -> bool:
    """Whether a mapped phone field of ``record`` ends with the number's last 7 (or fewer) digits."""
    tail = digits[-7:]
    for name, value in record.items():
        if name.endswith(("Number", "Number2")) and isinstance(value, (str, int)):
            stored = "".join(c for c in str(value) if c.isdigit())
            if tail and stored.endswith(tail):
                return True
    return False
