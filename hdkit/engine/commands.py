"""``hdkit run``, ``hdkit auth`` and ``hdkit demo``: the engine from a shell.

:func:`register` adds the subcommands to the ``hdkit`` parser; each handler loads the template
(a file path or a sample name), refuses it while validation finds errors, gathers inputs
(``HDKIT_INPUT_<NAME>`` environment variables, then ``--inputs FILE.json``, then
``--input NAME=VALUE``; later wins) and variables set by hand (``--var NAME=VALUE``, on every
action: they override the inputs and what the call simulator supplies), runs one engine
scenario and prints its main table as a text table, JSON or CSV on stdout; what a reader
needs to judge it (the sync summary, which contact a match-matrix hit must find, that nothing
matched, each failed request with what the helpdesk said) goes to stderr. ``--dry-run``
prints every rendered request (method, URL, redacted headers, body) in the order the PBX
would send them, and sends nothing.
``hdkit auth`` runs the OAuth2 consent flow: it prints the consent URL first, opens a browser
when one can be opened, and otherwise (or with ``--no-browser``) waits for the redirect URL to
be pasted while still catching the loopback redirect; the tokens go to ``--token-file``
(owner-only), which later ``hdkit run ... --token-file`` calls reuse.

Exit codes (as ``hdkit.cli``): 0 success, 1 template or input problems (validation errors, a
missing input, a URL that renders into no URL), 2 usage errors (a malformed option, such as
``--var`` without ``=``), 3 helpdesk or network errors (HTTP 4xx/5xx, timeout, TLS,
connection, a body that is not JSON, authentication), 4 an incomplete result the helpdesk
did not report as an error (a user sync that looped or hit the 100-request cap).

The engine (httpx, authlib, pandas) is imported by the handlers, not here, so ``hdkit --help``
and ``hdkit validate`` stay quick.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import warnings
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from hdkit.display import PrintableStream, printable, printable_frame
from hdkit.engine.events import CallKind
from hdkit.errors import AuthError, EngineError, HelpdeskError, Location, ValidationFailed
from hdkit.model import FollowUpEvent, Template

if TYPE_CHECKING:
    import pandas as pd

    from hdkit.engine.oauth2 import Consent
    from hdkit.engine.paging import SyncProgress
    from hdkit.engine.runner import Engine
    from hdkit.engine.tokens import TokenStore
    from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult

    Result = UsersResult | SearchResult | MatrixResult | CallTrace

__all__ = ["load_template", "read_inputs", "register", "report", "report_code", "write_table"]

EXIT_OK, EXIT_TEMPLATE, EXIT_USAGE, EXIT_HELPDESK, EXIT_INCOMPLETE = 0, 1, 2, 3, 4
ENV_PREFIX = "HDKIT_INPUT_"
# How runs wait (retries, Retry-After): the seam tests use to switch waiting off.
wait: Callable[[float], Awaitable[Any]] = asyncio.sleep
BROWSER_WAIT = 5.0  # seconds hdkit auth waits for a browser command to say it opened the URL


# --------------------------------------------------------------------------- inputs


def load_template(spec: str) -> Template:
    """A template from a file path, or a bundled sample by name (``zendesk``, ``freshdesk``...)."""
    from hdkit import samples, yeastar_xml

    path = Path(spec)
    if path.is_file():
        return yeastar_xml.load(path)
    if spec in samples.names():
        return samples.load(spec)
    raise EngineError(f"no template file or sample named {spec!r}", Location(field="TEMPLATE"),
                      hint=f"give an XML file path or one of the samples: {', '.join(samples.names())}")


def read_inputs(template: Template, pairs: list[str], files: list[str],
                environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Inputs for the template's custom fields: environment, then files, then ``NAME=VALUE``."""
    environ = os.environ if environ is None else environ
    values: dict[str, str] = {}
    for f in template.auth.custom_fields:
        for key in (ENV_PREFIX + f.name.upper(), ENV_PREFIX + f.name):
            if key in environ:
                values[f.name] = environ[key]
    for name in files:
        values.update(_inputs_file(name))
    values.update(_pairs(pairs, "--input"))
    return values


def _pairs(pairs: list[str] | None, option: str) -> dict[str, str]:
    """``NAME=VALUE`` options as a dict; anything else is an error naming the option."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise EngineError(f"{pair!r} is not NAME=VALUE", Location(field=option))
        out[key.strip()] = value
    return out


def _inputs_file(name: str) -> dict[str, str]:
    where = Location(field="--inputs", source=name)
    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise EngineError(f"cannot read the inputs file: {exc.strerror}", where) from exc
    except UnicodeDecodeError as exc:
        raise EngineError(f"the inputs file is not UTF-8 text: {exc.reason}", where) from exc
    except json.JSONDecodeError as exc:
        raise EngineError(f"the inputs file is not JSON: {exc.msg}", where.at(exc.lineno, exc.colno)) from exc
    if not isinstance(data, dict):
        raise EngineError("the inputs file must hold a JSON object of NAME: VALUE", where)
    return {str(k): str(v) for k, v in data.items()}


def _phone(text: str) -> str:
    """``--phone``: a number with at least one digit (a PBX never looks up a blank one)."""
    if not any(c.isdigit() for c in text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a phone number (no digits)")
    return text.strip()


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
        return value
    return parse


# --------------------------------------------------------------------------- output


def write_table(frame: pd.DataFrame, fmt: str, out: TextIO | None = None) -> None:
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


def write_requests(result: Result, fmt: str, out: TextIO | None = None) -> None:
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


_DRY_RUN_COLUMNS = ["step", "method", "url", "request_headers", "request_body"]


def report(result: Result, fmt: str, out: TextIO | None = None, err: TextIO | None = None, *,
           dry_run: bool = False) -> int:
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


def report_code(result: Result) -> int:
    """3 when a request failed on the helpdesk's side, 1 when on the input's (or a page could not
    be read), 4 when a sync is incomplete without a failure (it looped or hit the cap), else 0."""
    from hdkit.results import HELPDESK_FAILURES

    outcomes = {str(e.outcome) for e in result.failures()}
    if outcomes & HELPDESK_FAILURES:
        return EXIT_HELPDESK
    if outcomes:
        return EXIT_TEMPLATE
    if _incomplete(result):
        return EXIT_TEMPLATE if result.stop.reason == "error" else EXIT_INCOMPLETE  # type: ignore[union-attr]
    return EXIT_OK


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


# --------------------------------------------------------------------------- commands


def _variables(args: argparse.Namespace) -> dict[str, str]:
    return dict(getattr(args, "var", None) or [])


def _engine(args: argparse.Namespace) -> Engine:
    from hdkit.engine.runner import Engine
    from hdkit.validate import validate

    template = load_template(args.template)
    found = validate(template)
    problems = [p for p in found if p.is_error]
    if problems:
        raise ValidationFailed(f"{args.template}: the template has {len(problems)} error(s)", problems)
    for p in found:  # a value that injects and still leaves valid JSON fails no request: say so
        if p.code in ("json-unescaped", "url-unescaped"):
            print(printable(str(p)), file=sys.stderr)
    inputs = read_inputs(template, args.input or [], args.inputs or [])
    tokens = _token_store(args.token_file) if args.token_file else None
    engine = Engine(template, inputs, dry_run=getattr(args, "dry_run", False), timeout=args.timeout, tokens=tokens,
                    sleep=wait, max_response_bytes=round(args.max_response_mb * 1024 * 1024))
    for name in engine.unused_variables(_variables(args)):
        print(f"warning: --var {name}: the template never uses {{{{.{name}}}}}, so setting it changes nothing",
              file=sys.stderr)
    return engine


def _token_store(path: str) -> TokenStore:
    """The ``--token-file`` store; a file that is not one is the user's input problem (exit 1)."""
    from hdkit.engine.tokens import TokenStore

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            store = TokenStore(path)
        except AuthError as exc:
            raise EngineError(exc.message, Location(field="--token-file", source=path), hint=exc.hint) from exc
    for warning in caught:  # one line each, not Python's echo of the source line
        print(f"warning: {warning.message}", file=sys.stderr)
    return store


def _exit_code(exc: EngineError) -> int:
    """Auth and helpdesk failures are the helpdesk's side (3); any other engine error is the
    template's or its inputs' (1): a missing input, an unknown contact type, a bad inputs file."""
    print(printable(f"error: {exc}", keep_lines=True), file=sys.stderr)
    return EXIT_HELPDESK if isinstance(exc, (AuthError, HelpdeskError)) else EXIT_TEMPLATE


def _guarded(run: Callable[[argparse.Namespace], Result]) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        try:
            result = run(args)
        except EngineError as exc:
            return _exit_code(exc)
        return report(result, args.format, dry_run=getattr(args, "dry_run", False))
    return handler


def _users(args: argparse.Namespace) -> UsersResult:
    engine = _engine(args)
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.dry_run else None
    try:
        return engine.users(_pairs(args.extension, "--extension") or None, sequential=args.sequential,
                            progress=bar, variables=_variables(args))
    finally:
        if bar is not None:
            bar.close()


def _search(args: argparse.Namespace) -> SearchResult | MatrixResult:
    engine = _engine(args)
    if args.matrix:
        return engine.match_matrix(args.phone, args.contact_type, last_digits=args.last_digits,
                                   default_country=args.country, expect=args.expect, variables=_variables(args))
    return engine.search(args.phone, args.contact_type, variables=_variables(args))


def _search_or_matrix(args: argparse.Namespace) -> int:
    if args.expect is not None and not args.matrix:
        print("error: --expect judges the match matrix: add --matrix", file=sys.stderr)
        return EXIT_USAGE
    return _guarded(_search)(args)


def _create_contact(args: argparse.Namespace) -> CallTrace:
    return _engine(args).create_contact(args.phone, first_name=args.first_name, last_name=args.last_name,
                                        contact_type=args.contact_type, variables=_variables(args))


def _call(args: argparse.Namespace) -> CallTrace:
    engine = _engine(args)
    options: dict[str, Any] = {"contact_name": args.name, "extension": args.extension, "seed": args.seed,
                               "variables": _variables(args)}
    if args.start is not None:
        options["start"] = args.start
    if args.agent_name is not None:
        options["extension_name"] = args.agent_name
    event = engine.event(args.event, args.phone, **options)
    return engine.call(event, hide_missed=args.hide_missed)


def _followup(args: argparse.Namespace) -> CallTrace:
    return _engine(args).followup(args.event, _variables(args))


def _auth(args: argparse.Namespace) -> int:
    from hdkit.engine._sync import run_sync

    try:
        run_sync(_consent(_engine(args), args, sys.stderr, sys.stdin))
    except EngineError as exc:
        return _exit_code(exc)
    except (KeyboardInterrupt, EOFError):
        print("\nauthorization cancelled; no tokens saved", file=sys.stderr)
        return EXIT_HELPDESK
    where = f"saved to {args.token_file} (owner-only)" if args.token_file else \
        "kept in memory only (use --token-file to keep them)"
    print(f"authorized; tokens {where}")
    return EXIT_OK


async def _consent(engine: Engine, args: argparse.Namespace, err: TextIO, stdin: TextIO) -> None:
    """The consent on a terminal: the URL first, a browser if one can open, else a paste.

    While waiting for a pasted URL, the loopback redirect is still caught: whichever comes
    first finishes it. Nothing waits longer than ``--wait``.
    """
    from hdkit.engine.oauth2 import browser_unavailable

    def say(text: str) -> None:
        print(text, file=err, flush=True)

    fixed = args.redirect_uri if args.paste else None
    async with await engine.aconsent(redirect_uri=fixed, port=args.port, pkce=args.pkce) as consent:
        url = await consent.start()
        say(f"Open this URL in a browser and approve the access:\n\n  {url}\n")
        why = ("--paste: the redirect goes to " + consent.redirect_uri if args.paste
               else "--no-browser" if args.no_browser else browser_unavailable())
        if not why:
            opened = await consent.open_browser(wait=min(BROWSER_WAIT, args.wait))
            if opened is False:
                why = "the system browser could not be opened"
            else:
                say("Opened it in your browser" + ("" if opened else " (the browser command has not returned)")
                    + f"; waiting up to {args.wait:g} s for the redirect to {consent.redirect_uri} "
                      "(or paste the URL the browser was sent to here).")
        if why:
            also = f"; hdkit also still listens on {consent.redirect_uri}" if consent.listening else ""
            say(f"No browser is opened here ({why}). After approving, paste the URL your browser was sent to "
                f"(it starts with {consent.redirect_uri}) and press Enter{also}. Waiting up to {args.wait:g} s:")
        _read_pastes(consent, stdin, say if why else None)
        await consent.result(args.wait)  # counted from the start: --wait bounds it all


def _read_pastes(consent: Consent, stdin: TextIO, say: Callable[[str], None] | None) -> None:
    """Feed pasted lines to ``consent`` from a worker thread (reading never blocks the loop);
    ``say`` (None: stay quiet) tells the user about a refused line or a closed stdin."""
    say = say or (lambda text: None)
    from hdkit.errors import AuthError

    def read() -> None:
        while True:
            try:
                line = stdin.readline()
            except (OSError, ValueError):
                line = ""
            if not line:
                if consent.listening:
                    say("(nothing more to read on stdin: waiting for the loopback redirect only)")
                else:
                    consent.abandon("no redirect URL was pasted (stdin closed)")
                return
            if not line.strip():
                continue
            try:
                consent.feed(line)
            except AuthError as exc:
                say(f"error: {exc.message}; {exc.hint or 'paste it again'}")
                continue
            return

    threading.Thread(target=read, name="hdkit-read-paste", daemon=True).start()


def _inputs_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", action="append", metavar="NAME=VALUE", help="a custom field value")
    parser.add_argument("--inputs", action="append", metavar="FILE.json", help="custom field values (JSON object)")
    parser.add_argument("--token-file", metavar="PATH", help="OAuth2/Bearer tokens (written 0600 by hdkit auth)")
    parser.add_argument("--timeout", type=_positive(float), default=10.0,
                        help="seconds per request attempt, connect to last byte (default 10)")
    parser.add_argument("--max-response-mb", type=_positive(float), default=10.0,
                        help="refuse a response body larger than this, decoded (default 10)")


def _var(text: str) -> tuple[str, str]:
    """``--var NAME=VALUE``: anything else is a usage error naming the problem."""
    from hdkit.engine.variables import parse_pair

    try:
        return parse_pair(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(parser: argparse.ArgumentParser) -> None:
    _inputs_options(parser)
    parser.add_argument("--var", action="append", type=_var, metavar="NAME=VALUE",
                        help="set any variable (TicketId, Call_To, Owner, a custom one...), over what the "
                             "inputs and the call simulator supply; repeatable")
    parser.add_argument("--dry-run", action="store_true",
                        help="print every rendered request (method, URL, headers, body) without sending it")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")


def register(subparsers: Any) -> None:
    """Add ``run``, ``auth`` and ``demo`` to the ``hdkit`` command's subparsers."""
    run = subparsers.add_parser("run", help="run a template scenario against a helpdesk",
                                description=__doc__.splitlines()[0])
    run.add_argument("template", help="template XML file or sample name")
    actions = run.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("users", help="sync helpdesk users (all pages)")
    p.add_argument("--extension", action="append", metavar="EXT=EMAIL", help="associate by email")
    p.add_argument("--sequential", action="store_true",
                   help="send exactly the requests the PBX would, one page at a time (no fetch-ahead)")
    _common(p)
    p.set_defaults(handler=_guarded(_users))

    p = actions.add_parser("search", help="look a phone number up in every contact type")
    p.add_argument("--phone", required=True, type=_phone)
    p.add_argument("--contact-type")
    p.add_argument("--matrix", action="store_true", help="try the number in several formats")
    p.add_argument("--last-digits", type=_positive(int), default=7, help="digits of the last-N format (default 7)")
    p.add_argument("--country", default="1", help="country code for national numbers (default 1)")
    p.add_argument("--expect", metavar="ID", help="with --matrix: the contact id a notation must find to be a hit "
                                                 "(default: the one the E.164 number finds)")
    _common(p)
    p.set_defaults(handler=_search_or_matrix)

    p = actions.add_parser("create-contact", help="create a contact for an unknown number")
    p.add_argument("--phone", required=True, type=_phone)
    p.add_argument("--first-name", default="")
    p.add_argument("--last-name", default="")
    p.add_argument("--contact-type")
    _common(p)
    p.set_defaults(handler=_guarded(_create_contact))

    p = actions.add_parser("call", help="simulate a call: match, create, ticket, journal, follow-ups")
    p.add_argument("--event", required=True, choices=[k.value for k in CallKind])
    p.add_argument("--phone", required=True, type=_phone)
    p.add_argument("--name", default="Jane Doe", help="the external party's caller ID name")
    p.add_argument("--extension", default="1001", help="the agent's extension (default 1001)")
    p.add_argument("--agent-name", help="the agent's name (default: Alice Agent)")
    p.add_argument("--start", type=int, help="call start, Unix seconds (default: now)")
    p.add_argument("--seed", type=int, default=0, help="picks the talk time")
    p.add_argument("--hide-missed", action=argparse.BooleanOptionalAction, default=None,
                   help="override the template's 'hide missed calls for unanswered agents' default")
    _common(p)
    p.set_defaults(handler=_guarded(_call))

    p = actions.add_parser("followup", help="fire the follow-up requests of one event")
    p.add_argument("event", choices=[e.value for e in FollowUpEvent])
    _common(p)
    p.set_defaults(handler=_guarded(_followup))

    auth = subparsers.add_parser("auth", help="authorize an OAuth2 template (browser consent)")
    auth.add_argument("template", help="template XML file or sample name")
    auth.add_argument("--no-browser", action="store_true",
                      help="do not open a browser: paste the redirect URL (the loopback still catches it)")
    auth.add_argument("--paste", action="store_true",
                      help="use --redirect-uri (the one registered with the helpdesk) and paste the redirect URL")
    auth.add_argument("--redirect-uri", default="http://127.0.0.1/callback", help="with --paste")
    auth.add_argument("--port", type=int, default=0, help="loopback port for the redirect (default: any)")
    auth.add_argument("--pkce", action="store_true", help="use PKCE (S256)")
    auth.add_argument("--wait", type=_positive(float), default=300.0,
                      help="seconds to wait for the consent, from the moment the URL is shown (default 300)")
    _inputs_options(auth)
    auth.set_defaults(handler=_auth)

    demo = subparsers.add_parser("demo", help="start the sandbox helpdesk and run a sample against it")
    demo.add_argument("--sample", default="freshdesk", choices=("freshdesk", "keydesk"),
                      help="an API-key sample (the OAuth2 ones need 'hdkit auth' first)")
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from hdkit.engine.demo import demo

    return demo(args.sample)
