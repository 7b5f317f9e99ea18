"""What an engine run returns: plain result objects that turn into pandas DataFrames.

Results are what users look at in notebooks and what the CLI prints, so they are safe to show:
the engine builds them through :func:`redact_columns` and from already-redacted exchanges, and
nothing here ever holds a revealed secret. Records are kept column-oriented (one list per
field) because that is how extraction produces them and how pandas builds a frame fastest:
10,000 users become a DataFrame without a dict per row.

The exchange log is duck-typed (anything with the ``Exchange`` attributes of
``hdkit.engine.client``), so this module stays below the engine and never speaks HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from hdkit.problems import Problem
from hdkit.secrets import Redactor

__all__ = [
    "FAILURES",
    "HELPDESK_FAILURES",
    "INPUT_FAILURES",
    "CallTrace",
    "ContactMatch",
    "MatrixResult",
    "MatrixRow",
    "SearchResult",
    "Step",
    "Stop",
    "UsersResult",
    "exchanges_frame",
    "failed",
    "frame_of",
    "redact_columns",
    "sync_summary",
]

Columns = Mapping[str, Sequence[object]]

# Exchange outcomes that mean "this request failed": the helpdesk's side (or the network's)...
HELPDESK_FAILURES = frozenset(
    {"http_error", "timeout", "network_error", "tls_error", "invalid_json", "refused", "auth_error"}
)
# ...or the user's: a URL that rendered into something no client can send.
INPUT_FAILURES = frozenset({"invalid_url"})
FAILURES = HELPDESK_FAILURES | INPUT_FAILURES

EXCHANGE_COLUMNS = (
    "step", "method", "url", "status", "outcome", "attempts", "elapsed_ms", "error",
    "request_headers", "request_body", "response_body", "extracted",
)  # fmt: skip


class ExchangeLike(Protocol):
    step: str
    method: str
    url: str
    status: int | None
    outcome: str
    error: str | None


def failed(exchanges: Iterable[ExchangeLike]) -> tuple[ExchangeLike, ...]:
    """The exchanges whose outcome is a failure (see :data:`FAILURES`), in order."""
    return tuple(e for e in exchanges if str(e.outcome) in FAILURES)


def exchanges_frame(exchanges: Iterable[ExchangeLike]) -> pd.DataFrame:
    """One row per HTTP exchange (already redacted by the client), in the order sent."""
    rows = list(exchanges)
    columns: dict[str, object] = {name: [getattr(e, name, None) for e in rows] for name in EXCHANGE_COLUMNS}
    columns["status"] = _statuses(columns["status"])  # type: ignore[arg-type]
    columns["outcome"] = [None if o is None else str(o) for o in columns["outcome"]]  # type: ignore[union-attr]
    return pd.DataFrame(columns, columns=list(EXCHANGE_COLUMNS))


def _statuses(values: list[int | None]) -> pd.arrays.IntegerArray:
    """HTTP statuses as nullable integers (a skipped or dry-run request has none)."""
    return pd.array(values, dtype="Int64")


def redact_columns(columns: Columns, redactor: Redactor | None) -> dict[str, list[object]]:
    """A copy of ``columns`` with every known secret masked in string cells.

    A helpdesk may echo a secret back (an API key in a "created_by" field). Each column is
    searched once as a whole and only columns that contain a secret are masked cell by cell,
    so the common case costs one regex scan per column.
    """
    out: dict[str, list[object]] = {}
    for name, values in columns.items():
        values = list(values)
        if redactor is not None and values:
            joined = _joined_strings(values)
            if redactor.text(joined) != joined:
                values = [redactor.text(v) if isinstance(v, str) else v for v in values]
        out[name] = values
    return out


def _joined_strings(values: list[object]) -> str:
    """The string cells of a column as one text (all-string columns, the common case, in C)."""
    try:
        return "\x00".join(values)  # type: ignore[arg-type]
    except TypeError:
        return "\x00".join(v for v in values if isinstance(v, str))


def _frame(columns: Columns, order: Sequence[str] = ()) -> pd.DataFrame:
    names = [*order, *(n for n in columns if n not in order)]
    blank = [""] * _width(columns)
    return pd.DataFrame({n: columns.get(n, blank) for n in names}, columns=names)


def _width(columns: Columns) -> int:
    return max((len(v) for v in columns.values()), default=0)


@dataclass(frozen=True)
class Stop:
    """Why a paged request sequence ended: ``reason`` is one of the paging stop reasons.

    ``complete`` says whether stopping there means every record was fetched (a loop, the
    request cap or a failed page: no). ``past_end`` holds the requests sent after the page
    that ended the sync (fetched ahead, then discarded), each with what it got.
    """

    step: str
    reason: str
    requests: int
    records: int
    detail: str = ""
    pages: int = 0  # pages consumed (fetched-ahead pages past the end are not)
    exchange: ExchangeLike | None = None  # the page that ended the sync
    data_pages: int = 0  # pages consumed that held records
    complete: bool = True
    past_end: tuple[ExchangeLike, ...] = ()
    retries: int = 0  # extra attempts spent on pages that failed for a passing reason
    latencies_ms: tuple[float, ...] = ()  # per page consumed, in page order
    page_records: tuple[int, ...] = ()  # records of each page consumed, in page order

    @property
    def past_last_page(self) -> tuple[ExchangeLike, ...]:
        """Every request that went past the last page of data: the empty (or 404) page that
        ended a complete sync, and what was fetched ahead of it."""
        ending = (self.exchange,) if self.exchange is not None and self.reason in _ENDS_PAST_LAST else ()
        return ending + self.past_end


_ENDS_PAST_LAST = frozenset({"empty_page", "not_found"})


def _answers(exchanges: Sequence[ExchangeLike]) -> str:
    """``HTTP 404`` x3, ``HTTP 200`` x1... in first-seen order: what a group of requests got."""
    counts: dict[str, int] = {}
    for e in exchanges:
        said = f"HTTP {e.status}" if e.status is not None else str(e.outcome).replace("_", " ")
        counts[said] = counts.get(said, 0) + 1
    return ", ".join(f"{n} x {said}" for said, n in counts.items())


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def sync_summary(result: UsersResult) -> str:
    """A user sync in words: what the CLI prints after it and the workbench shows under it.

    Pages with data, users, duplicates, requests sent past the last page (with what they got),
    retries, and why the sync stopped, saying plainly when the list is incomplete.
    """
    stop = result.stop
    if stop is None:
        return f"{_plural(len(result), 'user')}"
    if stop.reason == "dry_run":
        return f"dry run: {stop.detail}"
    head = "" if stop.complete else "incomplete sync: "
    parts = [f"{head}{_plural(len(result), 'user')} from {_plural(stop.data_pages, 'page')} of data "
             f"in {_plural(stop.requests, 'request')}"]
    dupes = result.duplicates()
    parts.append(f"{_plural(dupes, 'duplicate user id')}" if dupes else "no duplicates")
    if stop.retries:
        parts.append(f"{_plural(stop.retries, 'page retry')}".replace("retrys", "retries"))
    parts.append(f"stopped: {stop.detail}")
    if stop.complete and stop.past_last_page:
        past = stop.past_last_page
        parts.append(f"{_plural(len(past), 'request')} past the last page ({_answers(past)})")
    elif stop.past_end:
        parts.append(f"{_plural(len(stop.past_end), 'request')} sent after that page and discarded "
                     f"({_answers(stop.past_end)})")
    return "; ".join(parts)


USER_FIELDS = ("UserUniqueId", "FirstName", "LastName", "Email")


@dataclass(frozen=True)
class UsersResult:
    """The Get User sync: users as records, the exchanges, and why paging stopped."""

    columns: Columns
    log: tuple[ExchangeLike, ...] = ()
    stop: Stop | None = None
    problems: tuple[Problem, ...] = ()

    def __len__(self) -> int:
        return _width(self.columns)

    def records(self) -> pd.DataFrame:
        return _frame(self.columns, USER_FIELDS)

    def exchanges(self) -> pd.DataFrame:
        return exchanges_frame(self.log)

    def duplicates(self) -> int:
        """How many records repeat a ``UserUniqueId`` already seen (empty ids not counted)."""
        ids = [i for i in self.columns.get("UserUniqueId", ()) if i not in ("", None)]
        return len(ids) - len({str(i) for i in ids})

    def summary(self) -> str:
        """The sync in words (:func:`sync_summary`)."""
        return sync_summary(self)

    def pages(self) -> pd.DataFrame:
        """One row per page consumed: records and latency (what a plot of the sync shows)."""
        stop = self.stop
        records = list(stop.page_records) if stop else []
        latency = list(stop.latencies_ms) if stop else []
        return pd.DataFrame({"page": list(range(1, len(records) + 1)), "records": records,
                             "latency_ms": latency[:len(records)]})

    def failures(self) -> tuple[ExchangeLike, ...]:
        """The failed page that ended the sync, if one did.

        Pages fetched ahead past the end and then discarded are in :attr:`log` but are not
        failures of the sync: the records are complete without them.
        """
        return failed([self.stop.exchange]) if self.stop and self.stop.exchange else ()

    def stops(self) -> pd.DataFrame:
        stops = [self.stop] if self.stop else []
        keys = ("step", "reason", "complete", "pages", "data_pages", "requests", "retries", "records", "detail")
        frame = pd.DataFrame({k: [getattr(s, k) for s in stops] for k in keys})
        frame["past_end"] = [len(s.past_last_page) if s.complete else len(s.past_end) for s in stops]
        return frame

    def associate(self, extensions: Mapping[str, str] | Iterable[tuple[str, str]]) -> UsersResult:
        """Bind users to PBX extensions by email (case-insensitive), as the PBX's auto-association.

        ``extensions`` maps extension number to email (or is a list of such pairs); the result
        gains an ``Extension`` column, empty where no extension has the user's email.
        """
        pairs = extensions.items() if isinstance(extensions, Mapping) else extensions
        by_email = {str(email).strip().lower(): str(ext) for ext, email in pairs if email}
        emails = self.columns.get("Email", [""] * len(self))
        ext_col = [by_email.get(str(e or "").strip().lower(), "") for e in emails]
        return UsersResult({**self.columns, "Extension": ext_col}, self.log, self.stop, self.problems)

    def __repr__(self) -> str:
        reason = f", stop={self.stop.reason!r}" if self.stop else ""
        return f"<UsersResult {len(self)} users, {len(self.log)} exchanges{reason}>"


@dataclass(frozen=True)
class ContactMatch:
    """One matched contact of one contact type, with its pop-up URL."""

    contact_type: str
    fields: Mapping[str, object]
    popup_url: str = ""


@dataclass(frozen=True)
class SearchResult:
    """A contact search for one phone number across the template's contact types."""

    phone: str
    matches: tuple[ContactMatch, ...] = ()
    log: tuple[ExchangeLike, ...] = ()
    problems: tuple[Problem, ...] = ()

    def __len__(self) -> int:
        return len(self.matches)

    def records(self) -> pd.DataFrame:
        names: dict[str, None] = {}
        for m in self.matches:
            names.update(dict.fromkeys(m.fields))
        columns: dict[str, list[object]] = {
            "ContactType": [m.contact_type for m in self.matches],
            "PopupUrl": [m.popup_url for m in self.matches],
        }
        for name in names:
            columns[name] = [m.fields.get(name, "") for m in self.matches]
        return _frame(columns)

    def exchanges(self) -> pd.DataFrame:
        return exchanges_frame(self.log)

    def failures(self) -> tuple[ExchangeLike, ...]:
        return failed(self.log)

    def __repr__(self) -> str:
        return f"<SearchResult phone={self.phone!r} {len(self)} matches, {len(self.log)} exchanges>"


@dataclass(frozen=True)
class MatrixRow:
    """One notation of the number searched in one contact type, and what it found.

    ``records`` counts what the search returned; ``found`` names those contacts (their
    Contact ID, else email or name); ``hit`` is true only when the expected contact is among
    them; ``note`` flags a search that returned several records for one number.
    """

    contact_type: str
    format: str
    number: str
    records: int
    outcome: str
    found: tuple[str, ...] = ()
    hit: bool = False
    note: str = ""

    def cell(self) -> str:
        """The row as a matrix cell: ``hit 17``, ``miss: 20 others``, ``none``, ``failed: ...``."""
        if self.outcome not in ("ok", "dry_run"):
            return f"failed: {self.outcome}"
        if self.outcome == "dry_run":
            return "dry run"
        if not self.records:
            return "none"
        shown = ", ".join(self.found[:2]) + (f" +{len(self.found) - 2} more" if len(self.found) > 2 else "")
        flag = " (!)" if self.note and "filter" in self.note else ""
        return f"{'hit' if self.hit else 'miss'}: {shown or f'{self.records} record(s)'}{flag}"


_MATRIX_COLUMNS = ("contact_type", "format", "number", "hit", "records", "found", "outcome", "note")


@dataclass(frozen=True)
class MatrixResult:
    """One number tried in several notations: which ones find the expected contact, per type.

    ``expected`` maps a contact type to the contact a hit must find (the user's, or the one
    the canonical notation found); ``notes`` say why a contact type has none.
    """

    phone: str
    rows: tuple[MatrixRow, ...] = ()
    log: tuple[ExchangeLike, ...] = ()
    expected: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def records(self) -> pd.DataFrame:
        """One row per notation and contact type, with the contacts found (long form)."""
        columns: dict[str, list[object]] = {k: [getattr(r, k) for r in self.rows] for k in _MATRIX_COLUMNS}
        columns["found"] = [", ".join(f) for f in columns["found"]]  # type: ignore[arg-type]
        return pd.DataFrame(columns, columns=list(_MATRIX_COLUMNS))

    def matrix(self) -> pd.DataFrame:
        """Notations down, contact types across: 1 where the expected contact was found."""
        return self._pivot(lambda r: int(r.hit)).astype(int) if self.rows else pd.DataFrame()

    def table(self) -> pd.DataFrame:
        """The matrix as words: each cell says hit or miss and which contacts were found."""
        return self._pivot(MatrixRow.cell) if self.rows else pd.DataFrame()

    def _pivot(self, cell: Any) -> pd.DataFrame:
        index = list(dict.fromkeys((r.format, r.number) for r in self.rows))
        types = list(dict.fromkeys(r.contact_type for r in self.rows))
        values = {(r.format, r.number, r.contact_type): cell(r) for r in self.rows}
        frame = pd.DataFrame({t: [values.get((f, n, t)) for f, n in index] for t in types},
                             index=pd.MultiIndex.from_tuples(index, names=["format", "number"]))
        frame.columns.name = "contact_type"
        return frame

    def hits(self) -> dict[str, list[str]]:
        """Contact type -> the notations that found the expected contact."""
        out: dict[str, list[str]] = {}
        for r in self.rows:
            out.setdefault(r.contact_type, [])
            if r.hit:
                out[r.contact_type].append(r.format)
        return out

    def warnings(self) -> list[str]:
        """What a reader must know beside the table: why nothing is expected, suspicious searches."""
        flagged = [f"{r.contact_type} [{r.format}] {r.number}: {r.note}" for r in self.rows if r.note]
        return [*self.notes, *flagged]

    def exchanges(self) -> pd.DataFrame:
        return exchanges_frame(self.log)

    def failures(self) -> tuple[ExchangeLike, ...]:
        return failed(self.log)

    def __repr__(self) -> str:
        return f"<MatrixResult phone={self.phone!r} expected={dict(self.expected)} hits={self.hits()}>"


@dataclass(frozen=True)
class Step:
    """One request of a call (or any scenario): what it sent, got and set."""

    name: str
    exchange: ExchangeLike | None
    outputs: Mapping[str, object] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class CallTrace:
    """Everything a simulated call did, step by step, and the variables it ended with."""

    event: str
    steps: tuple[Step, ...] = ()
    variables: Mapping[str, object] = field(default_factory=dict)

    @property
    def log(self) -> tuple[ExchangeLike, ...]:
        return tuple(s.exchange for s in self.steps if s.exchange is not None)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for s in self.steps for p in s.problems)

    @property
    def ok(self) -> bool:
        """No request of the call failed (skipped and dry-run requests are fine)."""
        return not self.failures()

    def failures(self) -> tuple[ExchangeLike, ...]:
        return failed(self.log)

    def trace(self) -> pd.DataFrame:
        names = ("step", "method", "url", "status", "outcome", "outputs", "problems", "note")
        cols: dict[str, list[object]] = {k: [] for k in names}
        for s in self.steps:
            e = s.exchange
            cols["step"].append(s.name)
            cols["method"].append(getattr(e, "method", ""))
            cols["url"].append(getattr(e, "url", ""))
            cols["status"].append(getattr(e, "status", None))
            cols["outcome"].append(str(getattr(e, "outcome", "")))
            cols["outputs"].append(", ".join(f"{k}={v}" for k, v in s.outputs.items()))
            cols["problems"].append("; ".join(str(p) for p in s.problems))
            cols["note"].append(s.note)
        cols["status"] = _statuses(cols["status"])  # type: ignore[assignment]
        return pd.DataFrame(cols)

    def exchanges(self) -> pd.DataFrame:
        return exchanges_frame(self.log)

    def __repr__(self) -> str:
        return f"<CallTrace {self.event} {len(self.steps)} steps, ok={self.ok}>"


def frame_of(result: Any) -> pd.DataFrame:
    """The main table of any result: records, match matrix or call trace."""
    if isinstance(result, CallTrace):
        return result.trace()
    if isinstance(result, MatrixResult):
        return result.matrix().reset_index()
    return result.records()
