"""``hdkit run ... search --matrix``: a notation is a hit only when it finds the expected contact,
and a search that returns many records for one number is flagged."""

from __future__ import annotations

import json

import pytest

from hdkit import samples
from hdkit.cli import main as hdkit

PHONE = "+14155550123"


def inputs(hd, name: str = "freshdesk") -> list[str]:
    return [a for k, v in samples.demo_inputs(name, hd.url).items() for a in ("--input", f"{k}={v}")]


@pytest.fixture
def unfiltered(tmp_path):
    """The Freshdesk sample with a typo in its filter: the helpdesk ignores it and lists everyone."""
    path = tmp_path / "unfiltered.xml"
    text = samples.text("freshdesk")
    assert text.count("/api/v2/contacts?phone=") == 1
    path.write_text(text.replace("/api/v2/contacts?phone=", "/api/v2/contacts?telephone="), encoding="utf-8")
    return str(path)


def test_a_search_that_ignores_its_filter_hits_nothing_and_is_flagged(fresh_sandbox, unfiltered, capsys) -> None:
    """Issue 8 item 6: 30 unrelated contacts for every notation used to show as 30 hits each."""
    assert hdkit(["run", unfiltered, "search", "--phone", PHONE, "--matrix", "--format", "json",
                  *inputs(fresh_sandbox)]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert [r["records"] for r in rows] == [30] * 5 and not any(r["hit"] for r in rows)
    assert {r["note"] for r in rows} == {"30 records for one number: the filter was probably not applied"}
    err = captured.err.splitlines()
    assert err[0] == ("warning: Contacts: the e164 number +14155550123 found 30 records, so the expected contact is "
                      "unknown; give --expect ID (expect= in Python)")
    assert err[1] == ("warning: Contacts [e164] +14155550123: 30 records for one number: the filter was "
                      "probably not applied") and len(err) == 6


def test_expect_names_the_contact_and_the_table_says_what_each_notation_found(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "freshdesk", "search", "--phone", PHONE, "--matrix", "--format", "json",
                  *inputs(fresh_sandbox)]) == 0
    ada = json.loads(capsys.readouterr().out)[0]["found"]
    assert hdkit(["run", "freshdesk", "search", "--phone", PHONE, "--matrix", "--expect", ada,
                  *inputs(fresh_sandbox)]) == 0
    captured = capsys.readouterr()
    table = captured.out.splitlines()
    assert table[0].split() == ["format", "number", "Contacts"]
    assert table[1].split() == ["e164", PHONE, "hit:", ada]
    assert table[2].split()[0] == "national" and table[2].split()[-1] == "none"
    assert captured.err.splitlines() == [f"Contacts: a hit must find contact {ada}"]


def test_expect_a_contact_the_number_does_not_find(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "freshdesk", "search", "--phone", PHONE, "--matrix", "--expect", "12345", "--format", "json",
                  *inputs(fresh_sandbox)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["records"] == 1 and rows[0]["hit"] is False and rows[0]["found"] != "12345"


def test_expect_without_matrix_is_a_usage_error(capsys) -> None:
    argv = ["run", "freshdesk", "search", "--phone", PHONE, "--expect", "1", "--input", "base_url=http://127.0.0.1:9",
            "--input", "api_key=k"]
    assert hdkit(argv) == 2
    assert capsys.readouterr().err.splitlines() == ["error: --expect judges the match matrix: add --matrix"]


def test_a_plain_search_that_ignores_its_filter_is_flagged_too(fresh_sandbox, unfiltered, capsys) -> None:
    """Issue 8 repro 1: a helpdesk that ignores the filter answers its first 30 contacts, and a
    call would take the first as the caller: the search says so instead of 30 quiet matches."""
    assert hdkit(["run", unfiltered, "search", "--phone", PHONE, "--format", "json", *inputs(fresh_sandbox)]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 30
    assert captured.err.splitlines() == [
        "warning: Contact Search > Contacts: Search Contacts: 30 records for one number: the filter was probably not "
        "applied; a call takes the first record as the caller (fix: check the search URL or body against the "
        "helpdesk's API: the number must reach it as a filter)"]


def test_a_filtered_search_is_not_flagged(fresh_sandbox, capsys) -> None:
    assert hdkit(["run", "freshdesk", "search", "--phone", PHONE, "--format", "json", *inputs(fresh_sandbox)]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 1 and captured.err == ""
