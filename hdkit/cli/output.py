"""What the command line prints: tables on stdout, what a reader must know on stderr.

A result's main table goes to stdout as a text table, JSON records or CSV (``--format``); the
sentences that say what a table cannot (how a sync went, which contact a match-matrix hit
must find, that nothing matched, each failed request with what the helpdesk said) go to
stderr, through :class:`~hdkit.display.PrintableStream` since they quote the helpdesk. A dry
run prints every rendered request instead. The exit code comes from the result
(:func:`report_code`), from the one table in :mod:`hdkit.cli.exits`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

from hdkit.cli.exits import Exit
from hdkit.display import PrintableStream, TextSink, printable, printable_frame
from hdkit.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

    from hdkit.engine.paging import SyncProgress
    from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult

    Result = UsersResult | SearchResult | MatrixResult | CallTrace

__all__ = ["Indented", "ProgressBar", "report", "report_code", "report_problems", "write_requests", "write_table"]

_DRY_RUN_COLUMNS = ["step", "method", "url", "request_headers", "request_body"]


def report_problems(problems: list[Problem]) -> None:
    """Every problem of a template (errors on stderr, warnings on stdout), then the counts.

    A problem quotes the file, and a file from elsewhere may hold control or bidi characters
    (an XML character reference, a raw U+202E): they are shown escaped, never obeyed."""
    for problem in problems:
        print(printable(str(problem), keep_lines=True), file=sys.stderr if problem.is_error else sys.stdout)
    n_errors = sum(p.is_error for p in problems)
    print(f"{n_errors} error(s), {len(problems) - n_errors} warning(s)")


def write_table(frame: pd.DataFrame, fmt: str, out: TextSink | None = None) -> None:
    """``frame`` as a text table, JSON records or CSV (the CLI's --format)."""
    import pandas as pd

    out = out or sys.stdout
    if fmt == "json":  # JSON escapes control characters itself
        out.write(frame.to_json(orient="records", indent=2, default_handler=str) + "\n")
    elif fmt == "csv":
        printable_frame(frame, keep_lines=True).to_csv(out, index=False)  # helpdesk text: no ESC
    elif frame.empty:
        out.write("(no rows)\n")
    else:
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            out.write(printable_frame(frame).to_string(index=False) + "\n")


def _notes(result: Result) -> list[str]:
    """Sentences that say what a table alone cannot: how a sync went, why a table is empty."""
    from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult

    if isinstance(result, UsersResult) and result.stop:
        summary = result.summary()
        return [f"error: {summary}" if _incomplete(result) else summary]
    if isinstance(result, MatrixResult):
        return [*(f"{ct}: a hit must find contact {who}" for ct, who in result.expected.items()),
                *(f"warning: {w}" for w in result.warnings())]
    if isinstance(result, SearchResult) and not result.matches and not result.failures():
        return [f"no contact matched {result.phone}"]
    if isinstance(result, CallTrace) and not result.steps:
        return [f"no request of the template runs on {result.event}"]
    return []


def _incomplete(result: Result) -> bool:
    stop = getattr(result, "stop", None)
    return stop is not None and not stop.complete and stop.reason != "dry_run"


def write_requests(result: Result, fmt: str, out: TextSink | None = None) -> None:
    """What a dry run would send, in the order the PBX sends it: method, URL, redacted
    headers and body of each request (blocks of text; rows in JSON and CSV)."""
    import pandas as pd

    out = out or sys.stdout
    rows = _requests(result)
    if fmt != "table":
        write_table(pd.DataFrame(rows, columns=["step", *_DRY_RUN_COLUMNS[1:], "note"]), fmt, out)
        return
    out = PrintableStream(out)  # a rendered value may hold control characters: shown, not run
    if not rows:
        out.write("(no requests)\n")
    for i, row in enumerate(rows, 1):
        out.write(f"--- {i}. {row['step']}\n")
        if row["note"]:
            out.write(f"(not sent: {row['note']})\n\n")
            continue
        out.write(f"{row['method']} {row['url']}\n")
        out.write("".join(f"{name}: {value}\n" for name, value in (row["request_headers"] or {}).items()))
        body = row["request_body"]
        out.write("\n" + (body if body is not None else "(no body)") + "\n\n")


def _requests(result: Result) -> list[dict[str, Any]]:
    """One row per request of ``result`` in order; a step the PBX would not send says why."""
    from hdkit.results import CallTrace

    steps = ([(s.name, s.exchange, s.note) for s in result.steps] if isinstance(result, CallTrace)
             else [(e.step, e, "") for e in result.log])
    rows = []
    for name, e, note in steps:
        if e is not None:  # sent (in a dry run: rendered), unless its URL rendered empty
            note = (e.error or "skipped") if str(e.outcome) == "skipped" else ""
        rows.append({"step": name, "method": getattr(e, "method", ""), "url": getattr(e, "url", ""),
                     "request_headers": dict(getattr(e, "request_headers", {}) or {}),
                     "request_body": getattr(e, "request_body", None), "note": note})
    return rows


def report(result: Result, fmt: str, out: TextSink | None = None, err: TextSink | None = None, *,
           dry_run: bool = False) -> Exit:
    """Print a result's main table (stdout) and what a reader must know (stderr); the exit code.

    A dry run has no records to show, so it prints the rendered requests (redacted); the
    match matrix prints its cells in words as a table, one row per search in JSON and CSV.
    """
    from hdkit.results import HELPDESK_FAILURES, MatrixResult, UsersResult, frame_of

    err = PrintableStream(err or sys.stderr)  # notes and errors quote the helpdesk
    if dry_run:
        write_requests(result, fmt, out)
    elif isinstance(result, MatrixResult):
        write_table(result.table().reset_index() if fmt == "table" else result.records(), fmt, out)
    else:
        write_table(frame_of(result), fmt, out)
    for note in _notes(result):
        print(note, file=err)
    for problem in result.problems if hasattr(result, "problems") else ():
        print(problem, file=err)
    if not isinstance(result, UsersResult):  # a sync's failed page is in its summary line
        for e in result.failures():
            kind = "helpdesk error" if str(e.outcome) in HELPDESK_FAILURES else "error"
            print(f"{kind}: {e.error or e.outcome}", file=err)
    return report_code(result)


def report_code(result: Result) -> Exit:
    """The helpdesk's side when a request failed there, the input's when on this side (or a
    page could not be read), incomplete when a sync stopped short without a failure (it looped
    or hit the cap), else OK."""
    from hdkit.results import HELPDESK_FAILURES

    outcomes = {str(e.outcome) for e in result.failures()}
    if outcomes & HELPDESK_FAILURES:
        return Exit.HELPDESK
    if outcomes:
        return Exit.TEMPLATE
    stop = getattr(result, "stop", None)
    if stop is not None and _incomplete(result):
        return Exit.TEMPLATE if stop.reason == "error" else Exit.INCOMPLETE
    return Exit.OK


class ProgressBar:
    """The sync's progress on a terminal: one line, rewritten after every page.

    There is no total to fill a bar towards except the 100-request cap, so the bar is
    requests against the cap; the words say pages, users, requests in flight, the last page's
    latency and what a retry waits for.
    """

    WIDTH = 20

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.shown = 0

    def __call__(self, p: SyncProgress) -> None:
        if p.done:
            self.close()
            return
        filled = min(self.WIDTH, round(self.WIDTH * p.requests / max(1, p.max_requests)))
        latency = f", last page {p.latencies_ms[-1]:.0f} ms" if p.latencies_ms else ""
        line = (f"syncing users [{'#' * filled}{'.' * (self.WIDTH - filled)}] {p.requests}/{p.max_requests} "
                f"requests, {p.pages} pages, {p.records} users, {p.in_flight} in flight{latency}")
        if p.note:
            line += f"; {p.note}"
        self.out.write("\r" + line.ljust(self.shown))
        self.out.flush()
        self.shown = len(line)

    def close(self) -> None:
        if self.shown:
            self.out.write("\r" + " " * self.shown + "\r")
            self.out.flush()
            self.shown = 0


class Indented:
    """A text stream that indents every line written to it (tables inside a story)."""

    def __init__(self, out: TextSink, prefix: str = "   ") -> None:
        self.out, self.prefix = out, prefix

    def write(self, text: str) -> int:
        lines = text.splitlines(keepends=True)
        return self.out.write("".join(self.prefix + line if line.strip() else line for line in lines))
