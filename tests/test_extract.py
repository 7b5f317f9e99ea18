"""hdkit.extract: response fields into records, as the PBX maps them."""

from __future__ import annotations

import json

import pytest

from hdkit.errors import Location, PathError
from hdkit.extract import extract_records, extract_values, split_paths
from hdkit.paths import MISSING

USERS = json.dumps(
    {
        "total": 3,
        "data": [
            {"id": 1, "name": "Ann", "phone": "100", "mobile": "900", "street": "A st"},
            {"id": 2, "name": "Bob", "phone": "200", "email": "bob@x.test", "street": "B st"},
            {"id": 3, "name": "Cy", "phone": "300", "email": None, "mobile": "200"},
        ],
    }
)


@pytest.mark.parametrize(
    ("field", "paths"),
    [
        pytest.param("data.#.id", ["data.#.id"], id="single"),
        pytest.param("a, b ,c", ["a", "b", "c"], id="plain-commas"),
        pytest.param(
            'data.#(phone=="{{.Phone}}")#.street,data.#(mobile=="{{.Phone}}")#.street',
            ['data.#(phone=="{{.Phone}}")#.street', 'data.#(mobile=="{{.Phone}}")#.street'],
            id="template-queries",
        ),
        pytest.param("{a,b}.x,[c,d]", ["{a,b}.x", "[c,d]"], id="multipaths"),
        pytest.param('d.#(n=="x,y"),e', ['d.#(n=="x,y")', "e"], id="comma-in-quotes"),
        pytest.param('{{printf "%s,%s" .A .B}},z', ['{{printf "%s,%s" .A .B}}', "z"], id="action"),
        pytest.param(r"a\,b,c", [r"a\,b", "c"], id="escaped-comma"),
        pytest.param(" , ,", [], id="empty"),
    ],
)
def test_split_paths(field: str, paths: list[str]) -> None:
    """Issue item 4: split only on commas outside brackets, parentheses and quotes."""
    assert split_paths(field) == paths


def test_arrays_zip_by_index_and_scalars_broadcast() -> None:
    """Issue item 4: array outputs zip by index into records."""
    records = extract_records(USERS, {"ID": "data.#.id", "Name": "data.#.name", "Total": "total"})
    assert records == [
        {"ID": 1, "Name": "Ann", "Total": 3},
        {"ID": 2, "Name": "Bob", "Total": 3},
        {"ID": 3, "Name": "Cy", "Total": 3},
    ]


def test_missing_stays_aligned_and_distinct_from_null() -> None:
    records = extract_records(USERS, {"ID": "data.#.id", "Email": "data.#.email"})
    assert [r["Email"] for r in records] == [MISSING, "bob@x.test", None]
    assert records[0]["Email"] is MISSING and records[2]["Email"] is None


def test_scalar_alone_gives_one_record() -> None:
    """Issue item 4: a scalar gives one record."""
    assert extract_records(USERS, {"Name": "data.0.name", "Id": "$.data[0].id"}) == [
        {"Name": "Ann", "Id": 1}
    ]


def test_empty_path_gives_no_column_and_nothing_found_gives_no_record() -> None:
    """Issue item 4: an unmapped (empty) path gives no column."""
    assert extract_records(USERS, {"Name": "data.1.name", "Unused": "  "}) == [{"Name": "Bob"}]
    assert extract_records(USERS, {"Name": "data.9.name", "Id": "nope"}) == []


def test_first_alternative_that_yields_wins() -> None:
    """Issue item 4: of several comma-separated paths, the first that yields a value wins."""
    mapping = {"Street": 'data.#(phone=="900")#.street,data.#(mobile=="900")#.street'}
    assert extract_records(USERS, mapping) == [{"Street": "A st"}]
    mapping = {"Name": 'missing.name,data.#(phone=="100").name'}
    assert extract_records(USERS, mapping) == [{"Name": "Ann"}]


def test_jsonpath_wildcard_is_an_array_column() -> None:
    records = extract_records(USERS, {"ID": "$.data[*].id", "Total": "$.total"})
    assert [r["ID"] for r in records] == [1, 2, 3] and {r["Total"] for r in records} == {3}


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        pytest.param('{"data": [1, 2,]}', 1, 16, id="trailing-comma"),
        pytest.param('{\n  "a": 1\n  "b": 2\n}', 3, 3, id="missing-comma"),
        pytest.param("<html>502</html>", 1, 1, id="html"),
    ],
)
def test_invalid_body_says_line_and_column(body: str, line: int, column: int) -> None:
    with pytest.raises(PathError) as info:
        extract_records(body, {"ID": "data.#.id"}, location=Location("ContactSearch"))
    loc = info.value.location
    assert (loc.section, loc.field, loc.line, loc.column) == ("ContactSearch", "response body", line, column)
    assert "not valid JSON" in info.value.message


def test_bad_path_names_the_output() -> None:
    with pytest.raises(PathError) as info:  # a path too long to evaluate safely
        extract_records(USERS, {"Keys": "data." * 1000 + "id"}, location=Location("UserList"))
    assert (info.value.location.section, info.value.location.field) == ("UserList", "Keys")


def test_extract_values() -> None:
    got = extract_values(USERS, ["$.data[1].email", "data.2.email", "data.0.email", "total"])
    assert got == ["bob@x.test", None, MISSING, 3]
    assert got[2] is MISSING


def test_alternative_paths_fall_through_when_every_element_lacks_the_first_field() -> None:
    """Zoho-style accounts carry accountName, not firstName: the mapping's second path wins."""
    body = '{"data": [{"id": "1", "accountName": "Analytical Engines"}, {"id": "2", "accountName": "Babbage & Co"}]}'
    records = extract_records(body, {"ContactId": "data.#.id", "FirstName": "data.#.firstName,data.#.accountName"})
    assert [r["FirstName"] for r in records] == ["Analytical Engines", "Babbage & Co"]


def test_alternative_paths_keep_a_partly_present_first_field_aligned() -> None:
    body = '{"data": [{"id": "1", "firstName": "Ada"}, {"id": "2", "accountName": "Babbage & Co"}]}'
    records = extract_records(body, {"ContactId": "data.#.id", "FirstName": "data.#.firstName,data.#.accountName"})
    assert records[0]["FirstName"] == "Ada" and records[1]["FirstName"] is MISSING
