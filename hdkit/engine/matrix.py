"""The match matrix: one phone number searched in several notations, judged honestly.

A notation "hits" only when its search finds the *expected* contact: the one given by the
user (``expect=`` / ``--expect ID``), else the one the canonical E.164 notation finds. Counting
records instead would call a search that ignores its filter (and returns the helpdesk's first
20 contacts for any number) a hit in every notation, which is the lie this module exists to
avoid. So every row says which contacts it found, and a search that returns several records
for one number is flagged: when most of them do not even carry the number in a mapped phone
field, the helpdesk most likely did not apply the filter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hdkit.engine.phones import formats, many_records_note
from hdkit.engine.prepare import Spec, defaults, scope
from hdkit.engine.scenarios import _contact_types, _with_aliases, contact_mapping
from hdkit.engine.session import Session
from hdkit.errors import EngineError, Location
from hdkit.model import ContactType
from hdkit.results import MatrixResult, MatrixRow
from hdkit.vocabulary import CONTACT_SEARCH

__all__ = ["CANONICAL", "match_matrix"]

CANONICAL = "e164"  # the notation whose contact is the expected one, unless the user says
_ID_FIELDS = ("ContactId", "ContactsId")
_LABEL_FIELDS = ("Email", "DisplayName")


@dataclass(frozen=True)
class _Search:
    """One notation searched in one contact type: the records it found, and its exchange."""

    contact_type: str
    format: str
    number: str
    records: list[dict[str, Any]]
    outcome: str
    exchange: Any


async def match_matrix(session: Session, phone: str, contact_type: str | None = None, *,
                       last_digits: int = 7, default_country: str = "1",
                       expect: str | None = None) -> MatrixResult:
    """Search ``phone`` written in several notations, per contact type, and judge each one."""
    types = _contact_types(session.template, contact_type)
    try:
        number = formats(phone, default_country)
        variants = number.items(last_digits)
    except ValueError as exc:
        raise EngineError(str(exc), Location(CONTACT_SEARCH, "Phone")) from exc

    async def one(ct: ContactType, fmt: str, text: str) -> _Search:
        variables = scope(defaults(session.template.contact_search), session.base, {"Phone": text, "SearchValue": text})
        sent = await session.send(Spec.of(ct, CONTACT_SEARCH, f"Search {ct.name} [{fmt}]"), variables)
        records = [_with_aliases(r) for r in session.records(sent, contact_mapping(session.template, ct), variables)]
        return _Search(ct.name, fmt, text, records, str(sent.exchange.outcome), sent.exchange)

    searches = await asyncio.gather(*(one(ct, f, n) for ct in types for f, n in variants))
    expected: dict[str, str] = {}
    notes: list[str] = []
    for ct in types:
        own = [s for s in searches if s.contact_type == ct.name]
        who, note = _expected(ct.name, own, expect, phone)
        if who:
            expected[ct.name] = who
        if note:
            notes.append(note)
    digits = number.national_number
    rows = tuple(_row(s, expected.get(s.contact_type), digits) for s in searches)
    return MatrixResult(phone, rows, tuple(s.exchange for s in searches), expected, tuple(notes))


def _expected(contact_type: str, searches: Sequence[_Search], expect: str | None,
              phone: str) -> tuple[str, str]:
    """(expected contact, note): the user's ``expect``, else the canonical notation's one contact."""
    if expect is not None:
        return str(expect), ""
    canonical = next((s for s in searches if s.format == CANONICAL), None)
    if canonical is None or canonical.outcome not in ("ok", "dry_run"):
        return "", (f"{contact_type}: the {CANONICAL} search failed, so no contact is expected; "
                    "give --expect ID (expect= in Python) to judge the other notations")
    found = _identities(canonical.records)
    if len(found) == 1:
        return found[0], ""
    if canonical.outcome == "dry_run":
        return "", ""
    if canonical.records and not found:
        return "", (f"{contact_type}: the {CANONICAL} search found records but none has a Contact ID, email or "
                    "name mapped, so contacts cannot be told apart; map the Contact ID")
    if not found:
        return "", (f"{contact_type}: the {CANONICAL} number {canonical.number} found no contact, so no "
                    "notation can be judged a hit; give --expect ID (expect= in Python) if the contact exists")
    return "", (f"{contact_type}: the {CANONICAL} number {canonical.number} found {len(canonical.records)} "
                "records, so the expected contact is unknown; give --expect ID (expect= in Python)")


def _row(search: _Search, expected: str | None, digits: str) -> MatrixRow:
    found = tuple(_identities(search.records))
    hit = bool(expected) and expected in found
    return MatrixRow(search.contact_type, search.format, search.number, len(search.records), search.outcome,
                     found=found, hit=hit, note=many_records_note(search.records, digits))


def _identities(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each record's contact id (else its email or name), once each, in answer order."""
    out: dict[str, None] = {}
    for record in records:
        label = _identity(record)
        if label:
            out[label] = None
    return list(out)


def _identity(record: Mapping[str, Any]) -> str:
    for name in (*_ID_FIELDS, *_LABEL_FIELDS):
        value = record.get(name)
        if value not in (None, ""):
            return str(value)
    name = " ".join(str(record.get(k) or "") for k in ("FirstName", "LastName")).strip()
    return name
