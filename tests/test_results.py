"""Result objects become DataFrames, already redacted, column-built."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pytest

from hdkit.errors import Location
from hdkit.problems import Problem
from hdkit.results import (
    CallTrace,
    ContactMatch,
    MatrixResult,
    MatrixRow,
    SearchResult,
    Step,
    Stop,
    UsersResult,
    exchanges_frame,
    frame_of,
    redact_columns,
)
from hdkit.secrets import Redactor, Secret

SENTINEL = "sentinel-SECRET-4711"


@dataclass(frozen=True)
class FakeExchange:
    step: str
    method: str = "GET"
    url: str = "https://hd.example/x"
    status: int | None = 200
    outcome: str = "ok"
    attempts: int = 1
    elapsed_ms: float = 1.0
    error: str | None = None
    request_headers: dict = field(default_factory=dict)
    request_body: str | None = None
    response_body: str | None = "{}"
    extracted: dict = field(default_factory=dict)


def test_exchanges_frame_keeps_order_and_columns() -> None:
    df = exchanges_frame([FakeExchange("a"), FakeExchange("b", status=404, outcome="http_error")])
    assert list(df["step"]) == ["a", "b"] and list(df["status"]) == [200, 404]
    assert {"url", "outcome", "attempts", "elapsed_ms", "response_body"} <= set(df.columns)
    assert exchanges_frame([]).empty


def test_users_records_have_the_user_fields_first_and_associate_by_email() -> None:
    cols = {"Email": ["A@x.io", "b@x.io", ""], "UserUniqueId": ["1", "2", "3"],
            "FirstName": ["A", "B", "C"], "LastName": ["a", "b", "c"]}
    users = UsersResult(cols, (FakeExchange("GetUsers"),), Stop("GetUsers", "short_page", 1, 3, pages=1))
    df = users.records()
    assert list(df.columns) == ["UserUniqueId", "FirstName", "LastName", "Email"]
    assert len(users) == 3 and len(df) == 3
    bound = users.associate({"1001": "a@x.io", "1002": "nobody@x.io"})
    assert list(bound.records()["Extension"]) == ["1001", "", ""]
    assert bound.associate([("1003", " B@X.IO ")]).records()["Extension"].tolist() == ["", "1003", ""]
    stops = users.stops()
    assert stops.to_dict("records") == [
        {"step": "GetUsers", "reason": "short_page", "complete": True, "pages": 1, "data_pages": 0, "requests": 1,
         "retries": 0, "records": 3, "detail": "", "past_end": 0}
    ]
    assert "3 users" in repr(users) and "short_page" in repr(users)


def test_search_records_union_fields_per_match() -> None:
    res = SearchResult(
        "+1555",
        (ContactMatch("Contacts", {"ContactsId": "7", "FirstName": "Jane"}, "https://hd/7"),
         ContactMatch("Leads", {"ContactsId": "9", "Email": "l@x"}, "")),
    )
    df = res.records()
    assert list(df.columns[:2]) == ["ContactType", "PopupUrl"]
    assert df.to_dict("records")[1] == {"ContactType": "Leads", "PopupUrl": "", "ContactsId": "9",
                                        "FirstName": "", "Email": "l@x"}
    assert frame_of(res).equals(df)


def test_matrix_marks_a_hit_only_where_the_expected_contact_was_found() -> None:
    rows = (
        MatrixRow("Contacts", "e164", "+15550100", 1, "ok", ("17",), hit=True),
        MatrixRow("Contacts", "digits", "15550100", 20, "ok", tuple(str(i) for i in range(20)), hit=False,
                  note="20 records for one number: the filter was probably not applied"),
        MatrixRow("Leads", "e164", "+15550100", 0, "ok"),
        MatrixRow("Leads", "digits", "15550100", 2, "ok", ("L1", "L2"), hit=True),
    )
    m = MatrixResult("+15550100", rows, expected={"Contacts": "17", "Leads": "L2"})
    table = m.matrix()
    assert table.loc[("e164", "+15550100"), "Contacts"] == 1
    assert table.loc[("digits", "15550100"), "Contacts"] == 0  # 20 records, but not the expected one
    assert table.loc[("digits", "15550100"), "Leads"] == 1
    assert m.hits() == {"Contacts": ["e164"], "Leads": ["digits"]}
    words = m.table()
    assert words.loc[("e164", "+15550100"), "Contacts"] == "hit: 17"
    assert words.loc[("digits", "15550100"), "Contacts"] == "miss: 0, 1 +18 more (!)"
    assert words.loc[("e164", "+15550100"), "Leads"] == "none"
    assert m.warnings() == ["Contacts [digits] 15550100: 20 records for one number: the filter was probably not applied"]
    long = m.records()
    assert long.loc[3, "found"] == "L1, L2" and bool(long.loc[3, "hit"]) and long.loc[1, "records"] == 20
    assert MatrixResult("x").matrix().empty and MatrixResult("x").table().empty


def test_call_trace_lists_steps_outputs_and_problems() -> None:
    problem = Problem("warning", "raw variable in query", Location("CallJournal", "url"))
    trace = CallTrace(
        "inbound-missed",
        (Step("SearchContact", FakeExchange("SearchContact"), {"ContactId": "7"}),
         Step("CreateTicket", FakeExchange("CreateTicket", "POST", status=422, outcome="http_error"),
              problems=(problem,)),
         Step("CallJournal", None, note="skipped: missed leg")),
    )
    df = trace.trace()
    assert list(df["step"]) == ["SearchContact", "CreateTicket", "CallJournal"]
    assert df["outputs"][0] == "ContactId=7" and "raw variable" in df["problems"][1]
    # a step that sent nothing shows blank cells (not NaN) and no status
    assert df["note"][2] == "skipped: missed leg" and df["method"][2] == df["outcome"][2] == ""
    assert pd.isna(df["status"][2])
    assert not trace.ok and len(trace.log) == 2 and trace.problems == (problem,)
    assert len(trace.exchanges()) == 2


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(f"key={SENTINEL}", "key=********", id="inside-text"),
        pytest.param("plain", "plain", id="untouched"),
        pytest.param(42, 42, id="non-string"),
    ],
)
def test_redact_columns_masks_known_secrets(value, expected) -> None:
    out = redact_columns({"a": [value, "x"], "mixed": [7, value]}, Redactor([Secret(SENTINEL)]))
    assert out["a"] == [expected, "x"] and out["mixed"] == [7, expected]


def test_sentinel_secret_reaches_no_frame_or_repr() -> None:
    redactor = Redactor([Secret(SENTINEL)])
    cols = redact_columns({"UserUniqueId": ["1"], "Email": [f"{SENTINEL}@x.io"]}, redactor)
    users = UsersResult(cols, (FakeExchange("GetUsers"),), Stop("GetUsers", "disabled", 1, 1))
    texts = [users.records().to_csv(), users.exchanges().to_csv(), users.stops().to_csv(), repr(users)]
    assert all(SENTINEL not in t for t in texts)


def test_ten_thousand_users_build_a_frame_from_columns() -> None:
    n = 10_000
    cols = {k: [f"{k}{i}" for i in range(n)] for k in ("UserUniqueId", "FirstName", "LastName", "Email")}
    df = UsersResult(redact_columns(cols, Redactor([Secret(SENTINEL)]))).records()
    assert df.shape == (n, 4) and df["Email"].iloc[-1] == f"Email{n - 1}"
    assert isinstance(df, pd.DataFrame)
