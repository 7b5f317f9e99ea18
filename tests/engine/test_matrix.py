"""The match matrix against the sandbox: a notation is a hit only when it finds the expected
contact (``expect=``, else the one the E.164 notation finds), and every row says what it found."""

from __future__ import annotations

import pytest

from hdkit import samples
from hdkit.engine import Engine
from hdkit.sandbox import Sandbox


def engine(hd: Sandbox, sample: str) -> Engine:
    return Engine(samples.load(sample), samples.demo_inputs(sample, hd.url))


@pytest.mark.parametrize(
    ("sample", "phone", "expect", "hits", "expected"),
    [
        pytest.param("freshdesk", "+14155550123", None, ["e164"], "44000000000", id="exact-match-desk"),
        pytest.param("keydesk", "+14155550123", None, ["e164", "national", "00_prefix", "digits", "last_7"], "c00001",
                     id="contains-desk"),
        pytest.param("keydesk", "+14155550124", None, [], None, id="stored-nationally-nothing-expected"),
        pytest.param("keydesk", "+14155550124", "c00002", ["national", "last_7"], "c00002", id="expect-given"),
        pytest.param("freshdesk", "+14155550123", "nobody", [], "nobody", id="expect-a-contact-not-found"),
    ],
)
def test_hits_are_the_notations_that_find_the_expected_contact(sandbox: Sandbox, sample, phone, expect, hits,
                                                                expected) -> None:
    m = engine(sandbox, sample).match_matrix(phone, expect=expect)
    assert m.hits() == {"Contacts": hits}
    assert m.expected.get("Contacts") == expected
    assert m.matrix()["Contacts"].tolist() == [int(r.format in hits) for r in m.rows]


def test_a_row_names_what_it_found_even_when_it_misses(sandbox: Sandbox) -> None:
    m = engine(sandbox, "keydesk").match_matrix("+14155550124")
    national = next(r for r in m.rows if r.format == "national")
    assert (national.records, national.found, national.hit, national.cell()) == (1, ("c00002",), False, "miss: c00002")
    assert m.warnings() == ["Contacts: the e164 number +14155550124 found no contact, so no notation can be judged a "
                            "hit; give --expect ID (expect= in Python) if the contact exists"]


def test_a_dry_run_matrix_expects_nothing_and_claims_nothing(sandbox: Sandbox) -> None:
    e = Engine(samples.load("freshdesk"), samples.demo_inputs("freshdesk", sandbox.url), dry_run=True)
    m = e.match_matrix("+14155550123")
    assert m.hits() == {"Contacts": []} and m.expected == {} and m.warnings() == []
    assert set(m.table()["Contacts"]) == {"dry run"}
