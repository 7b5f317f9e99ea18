"""``hdkit run``, ``hdkit auth`` and ``hdkit demo``: the engine from a shell.

:func:`register` adds the subcommands to the ``hdkit`` parser; each handler loads the template
(a file path or a sample name), refuses it while validation finds errors, gathers inputs
(``HDKIT_INPUT_<NAME>`` environment variables, then ``--inputs FILE.json``, then
``--input NAME=VALUE``; later wins), runs one engine scenario and prints its main table as a
text table, JSON or CSV on stdout; what a reader needs to judge it (why a sync stopped, that
nothing matched, each failed request with what the helpdesk said) goes to stderr.
``hdkit auth`` runs the OAuth2 consent flow (loopback catch, or ``--paste``) and keeps the
tokens in ``--token-file`` (owner-only), which later ``hdkit run ... --token-file`` calls reuse.

Exit codes (as ``hdkit.cli``): 0 success, 1 template or input problems (validation errors, a
missing input, a URL that renders into no URL), 3 helpdesk or network errors (HTTP 4xx/5xx,
timeout, TLS, connection, a body that is not JSON, authentication).

The engine (httpx, authlib, pandas) is imported by the handlers, not here, so ``hdkit --help``
and ``hdkit validate`` stay quick.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from hdkit.display import PrintableStream, printable, printable_frame
from hdkit.engine.events import CallKind
from hdkit.errors import AuthError, EngineError, HelpdeskError, Location, ValidationFailed
from hdkit.model import FollowUpEvent, Template

if TYPE_CHECKING:
    import pandas as pd

    from hdkit.engine.tokens import TokenStore
    from hdkit.engine.runner import Engine
    from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult

    Result = UsersResult | SearchResult | MatrixResult | CallTrace

__all__ = ["load_template", "read_inputs", "register", "report", "report_code", "write_table"]

EXIT_OK, EXIT_TEMPLATE, EXIT_HELPDESK = 0, 1, 3
ENV_PREFIX = "HDKIT_INPUT_"


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
    """Sentences that say what a table alone cannot: why it is short, or empty."""
    from hdkit.results import CallTrace, SearchResult, UsersResult

    if isinstance(result, UsersResult) and result.stop:
        stop = result.stop
        if stop.reason == "error":
            return []  # the failure itself is reported
        return [f"{len(result)} users from {stop.pages} page(s), {stop.requests} request(s); "
                f"stopped: {stop.reason} ({stop.detail})"]
    if isinstance(result, SearchResult) and not result.matches and not result.failures():
        return [f"no contact matched {result.phone}"]
    if isinstance(result, CallTrace) and not result.steps:
        return [f"no request of the template runs on {result.event}"]
    return []


_DRY_RUN_COLUMNS = ["step", "method", "url", "request_headers", "request_body"]


def report(result: Result, fmt: str, out: TextIO | None = None, err: TextIO | None = None, *,
           dry_run: bool = False) -> int:
    """Print a result's main table (stdout) and what a reader must know (stderr); the exit code.

    A dry run has no records to show, so its table is the rendered requests (redacted); a call
    trace already lists its requests step by step.
    """
    from hdkit.results import HELPDESK_FAILURES, CallTrace, frame_of

    err = PrintableStream(err or sys.stderr)  # notes and errors quote the helpdesk
    if dry_run and not isinstance(result, CallTrace):
        table = result.exchanges()[_DRY_RUN_COLUMNS]
    else:
        table = frame_of(result)
    write_table(table, fmt, out)
    for note in _notes(result):
        print(note, file=err)
    for problem in result.problems if hasattr(result, "problems") else ():
        print(problem, file=err)
    for e in result.failures():
        kind = "helpdesk error" if str(e.outcome) in HELPDESK_FAILURES else "error"
        print(f"{kind}: {e.error or e.outcome}", file=err)
    return report_code(result)


def report_code(result: Result) -> int:
    """3 when a request failed on the helpdesk's side, 1 when on the input's, else 0."""
    from hdkit.results import HELPDESK_FAILURES

    outcomes = {str(e.outcome) for e in result.failures()}
    if outcomes & HELPDESK_FAILURES:
        return EXIT_HELPDESK
    return EXIT_TEMPLATE if outcomes else EXIT_OK


# --------------------------------------------------------------------------- commands


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
    return Engine(template, inputs, dry_run=getattr(args, "dry_run", False), timeout=args.timeout, tokens=tokens,
                  max_response_bytes=round(args.max_response_mb * 1024 * 1024))


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
    return _engine(args).users(_pairs(args.extension, "--extension") or None)


def _search(args: argparse.Namespace) -> SearchResult | MatrixResult:
    engine = _engine(args)
    if args.matrix:
        return engine.match_matrix(args.phone, args.contact_type, last_digits=args.last_digits,
                                   default_country=args.country)
    return engine.search(args.phone, args.contact_type)


def _create_contact(args: argparse.Namespace) -> CallTrace:
    return _engine(args).create_contact(args.phone, first_name=args.first_name, last_name=args.last_name,
                                        contact_type=args.contact_type)


def _call(args: argparse.Namespace) -> CallTrace:
    engine = _engine(args)
    options: dict[str, Any] = {"contact_name": args.name, "extension": args.extension, "seed": args.seed}
    if args.start is not None:
        options["start"] = args.start
    event = engine.event(args.event, args.phone, **options)
    return engine.call(event, hide_missed=args.hide_missed)


def _followup(args: argparse.Namespace) -> CallTrace:
    variables = _pairs(args.var, "--var")
    return _engine(args).followup(args.event, variables)


def _auth(args: argparse.Namespace) -> int:
    options: dict[str, Any] = {"pkce": args.pkce, "timeout": args.wait, "port": args.port}
    if args.paste:
        options["redirect_uri"] = args.redirect_uri
        options["paste"] = lambda url: input(
            f"Open this URL, approve, then paste the URL the browser was sent to:\n{url}\n> ")
    try:
        _engine(args).authorize(**options)
    except EngineError as exc:
        return _exit_code(exc)
    except (KeyboardInterrupt, EOFError):
        print("\nauthorization cancelled; no tokens saved", file=sys.stderr)
        return EXIT_HELPDESK
    where = f"saved to {args.token_file} (owner-only)" if args.token_file else \
        "kept in memory only (use --token-file to keep them)"
    print(f"authorized; tokens {where}")
    return EXIT_OK


def _inputs_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", action="append", metavar="NAME=VALUE", help="a custom field value")
    parser.add_argument("--inputs", action="append", metavar="FILE.json", help="custom field values (JSON object)")
    parser.add_argument("--token-file", metavar="PATH", help="OAuth2/Bearer tokens (written 0600 by hdkit auth)")
    parser.add_argument("--timeout", type=_positive(float), default=10.0,
                        help="seconds per request attempt, connect to last byte (default 10)")
    parser.add_argument("--max-response-mb", type=_positive(float), default=10.0,
                        help="refuse a response body larger than this, decoded (default 10)")


def _common(parser: argparse.ArgumentParser) -> None:
    _inputs_options(parser)
    parser.add_argument("--dry-run", action="store_true", help="render every request without sending it")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")


def register(subparsers: Any) -> None:
    """Add ``run``, ``auth`` and ``demo`` to the ``hdkit`` command's subparsers."""
    run = subparsers.add_parser("run", help="run a template scenario against a helpdesk",
                                description=__doc__.splitlines()[0])
    run.add_argument("template", help="template XML file or sample name")
    actions = run.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("users", help="sync helpdesk users (all pages)")
    p.add_argument("--extension", action="append", metavar="EXT=EMAIL", help="associate by email")
    _common(p)
    p.set_defaults(handler=_guarded(_users))

    p = actions.add_parser("search", help="look a phone number up in every contact type")
    p.add_argument("--phone", required=True, type=_phone)
    p.add_argument("--contact-type")
    p.add_argument("--matrix", action="store_true", help="try the number in several formats")
    p.add_argument("--last-digits", type=_positive(int), default=7, help="digits of the last-N format (default 7)")
    p.add_argument("--country", default="1", help="country code for national numbers (default 1)")
    _common(p)
    p.set_defaults(handler=_guarded(_search))

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
    p.add_argument("--extension", default="1001")
    p.add_argument("--start", type=int, help="call start, Unix seconds (default: now)")
    p.add_argument("--seed", type=int, default=0, help="picks the talk time")
    p.add_argument("--hide-missed", action=argparse.BooleanOptionalAction, default=None,
                   help="override the template's 'hide missed calls for unanswered agents' default")
    _common(p)
    p.set_defaults(handler=_guarded(_call))

    p = actions.add_parser("followup", help="fire the follow-up requests of one event")
    p.add_argument("event", choices=[e.value for e in FollowUpEvent])
    p.add_argument("--var", action="append", metavar="NAME=VALUE", help="a variable in scope")
    _common(p)
    p.set_defaults(handler=_guarded(_followup))

    auth = subparsers.add_parser("auth", help="authorize an OAuth2 template (browser consent)")
    auth.add_argument("template", help="template XML file or sample name")
    auth.add_argument("--paste", action="store_true", help="paste the redirect URL instead of a loopback catch")
    auth.add_argument("--redirect-uri", default="http://127.0.0.1/callback", help="with --paste")
    auth.add_argument("--port", type=int, default=0, help="loopback port for the redirect (default: any)")
    auth.add_argument("--pkce", action="store_true", help="use PKCE (S256)")
    auth.add_argument("--wait", type=_positive(float), default=300.0, help="seconds to wait for consent")
    _inputs_options(auth)
    auth.set_defaults(handler=_auth)

    demo = subparsers.add_parser("demo", help="start the sandbox helpdesk and run a sample against it")
    demo.add_argument("--sample", default="freshdesk", choices=("freshdesk", "keydesk"),
                      help="an API-key sample (the OAuth2 ones need 'hdkit auth' first)")
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from hdkit.engine.demo import demo

    return demo(args.sample)
