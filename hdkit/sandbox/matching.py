"""How each vendor matches a searched phone number against stored ones.

A PBX searches with the caller's number as the trunk delivered it; the helpdesk stores it as
someone typed it. Whether they meet depends on the vendor's matching rule, so the sandbox
implements one rule per vendor and hdkit's match matrix shows which formats hit:

- ``exact`` (Freshdesk-like): the strings must be equal, character for character.
- ``digits`` (Zendesk-like): equal after keeping digits only (a leading ``00`` counts as
  ``+``), so ``+1 415-555-0123`` finds ``+14155550123`` but ``(415) 555-0123`` does not.
- ``suffix`` (Zoho-like): the digits of one end with the digits of the other, the shorter
  having at least 7 digits, so a national number finds its E.164 form and back.
- ``contains`` (KeyDesk): the query's digits (at least 4) appear inside the stored digits.
"""

from __future__ import annotations

from collections.abc import Callable

MIN_SUFFIX_DIGITS = 7
MIN_CONTAINS_DIGITS = 4


def digits(number: str) -> str:
    """Digits only; an international ``00`` prefix is dropped like a ``+``."""
    only = "".join(ch for ch in number if "0" <= ch <= "9")
    return only[2:] if number.strip().startswith("00") else only


def exact(stored: str, query: str) -> bool:
    return bool(query) and stored == query


def same_digits(stored: str, query: str) -> bool:
    return bool(digits(query)) and digits(stored) == digits(query)


def suffix(stored: str, query: str) -> bool:
    a, b = digits(stored), digits(query)
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_SUFFIX_DIGITS and long.endswith(short)


def contains(stored: str, query: str) -> bool:
    q = digits(query)
    return len(q) >= MIN_CONTAINS_DIGITS and q in digits(stored)


Matcher = Callable[[str, str], bool]


def any_match(match: Matcher, numbers: tuple[str, ...] | list[str], query: str) -> bool:
    """True when ``query`` matches any non-empty stored number."""
    return any(match(n, query) for n in numbers if n)
