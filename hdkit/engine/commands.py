"""``hdkit run``, ``hdkit auth`` and ``hdkit demo``: the engine from a shell.

:func:`register` adds the subcommands to the ``hdkit`` parser; each handler loads the template
(a file path or a sample name), refuses it while validation finds errors, gathers inputs
(``HDKIT_INPUT_<NAME>`` environment variables, then ``--inputs FILE.json``, then
``--input NAME=VALUE``; later wins), runs one engine scenario
and prints its main table as a text table, JSON or CSV. ``hdkit auth`` runs the OAuth2
consent flow (loopback catch, or ``--paste``) and keeps the tokens in ``--token-file``, which
later ``hdkit run ... --token-file`` calls reuse.

Exit codes (as ``hdkit.cli``): 0 success, 1 template or input problems, 3 helpdesk or network
errors (any exchange that failed: HTTP 4xx/5xx, timeout, TLS, connection, not JSON, auth).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from hdkit.engine.auth import TokenStore
from hdkit.engine.events import CallKind
from hdkit.engine.runner import Engine
from hdkit.errors import AuthError, EngineError, HelpdeskError, Location, ValidationFailed
from hdkit.model import FollowUpEvent, Template
from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult, frame_of
from hdkit.validate import validate

__all__ = ["load_template", "read_inputs", "register"]

EXIT_OK, EXIT_TEMPLATE, EXIT_HELPDESK = 0, 1, 3
_HELPDESK_FAILURES = {"http_error", "timeout", "network_error", "tls_error", "invalid_json", "auth_error"}
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
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise EngineError(f"--input {pair!r} is not NAME=VALUE", Location(field="--input"))
        values[key.strip()] = value
    return values


def _inputs_file(name: str) -> dict[str, str]:
    where = Location(field="--inputs", source=name)
    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise EngineError(f"cannot read the inputs file: {exc.strerror}", where) from exc
    except json.JSONDecodeError as exc:
        raise EngineError(f"the inputs file is not JSON: {exc.msg}", where.at(exc.lineno, exc.colno)) from exc
    if not isinstance(data, dict):
        raise EngineError("the inputs file must hold a JSON object of NAME: VALUE", where)
    return {str(k): str(v) for k, v in data.items()}


# --------------------------------------------------------------------------- output


def _write(frame: pd.DataFrame, fmt: str, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        out.write(frame.to_json(orient="records", indent=2, default_handler=str) + "\n")
    elif fmt == "csv":
        frame.to_csv(out, index=False)
    elif frame.empty:
        out.write("(no rows)\n")
    else:
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            out.write(frame.to_string(index=False) + "\n")


def report(result: Any, fmt: str, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print a result's main table (plus stop reason and problems) and return the exit code."""
    err = err or sys.stderr
    _write(frame_of(result), fmt, out)
    if isinstance(result, UsersResult) and result.stop:
        print(f"stopped: {result.stop.reason} ({result.stop.detail})", file=err)
    for problem in getattr(result, "problems", ()):
        print(problem, file=err)
    for e in result.log:
        if str(e.outcome) in _HELPDESK_FAILURES:
            print(f"helpdesk error: {e.error or e.outcome}", file=err)
    return report_code(result)


# --------------------------------------------------------------------------- commands


def _engine(args: argparse.Namespace) -> Engine:
    template = load_template(args.template)
    problems = [p for p in validate(template) if p.is_error]
    if problems:
        raise ValidationFailed(f"{args.template}: the template has {len(problems)} error(s)", problems)
    inputs = read_inputs(template, args.input or [], args.inputs or [])
    tokens = TokenStore(args.token_file) if args.token_file else None
    return Engine(template, inputs, dry_run=getattr(args, "dry_run", False), timeout=args.timeout, tokens=tokens)


def _exit_code(exc: EngineError) -> int:
    """Auth and helpdesk failures are the helpdesk's side (3); any other engine error is the
    template's or its inputs' (1): a missing input, an unknown contact type, a bad inputs file."""
    print(f"error: {exc}", file=sys.stderr)
    return EXIT_HELPDESK if isinstance(exc, (AuthError, HelpdeskError)) else EXIT_TEMPLATE


def _guarded(run: Callable[[argparse.Namespace], Any]) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        try:
            result = run(args)
        except EngineError as exc:
            return _exit_code(exc)
        return report(result, args.format)
    return handler


def _users(args: argparse.Namespace) -> UsersResult:
    extensions = dict(pair.partition("=")[::2] for pair in args.extension or [])
    return _engine(args).users(extensions or None)


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
    variables = dict(pair.partition("=")[::2] for pair in args.var or [])
    return _engine(args).followup(args.event, variables)


def _auth(args: argparse.Namespace) -> int:
    try:
        engine = _engine(args)
    except EngineError as exc:
        return _exit_code(exc)
    options: dict[str, Any] = {"pkce": args.pkce, "timeout": args.wait, "port": args.port}
    if args.paste:
        options["redirect_uri"] = args.redirect_uri
        options["paste"] = lambda url: input(
            f"Open this URL, approve, then paste the URL the browser was sent to:\n{url}\n> ")
    try:
        engine.authorize(**options)
    except EngineError as exc:
        return _exit_code(exc)
    where = f"saved to {args.token_file}" if args.token_file else "kept in memory only (use --token-file)"
    print(f"authorized; tokens {where}")
    return EXIT_OK


def _inputs_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", action="append", metavar="NAME=VALUE", help="a custom field value")
    parser.add_argument("--inputs", action="append", metavar="FILE.json", help="custom field values (JSON object)")
    parser.add_argument("--token-file", metavar="PATH", help="OAuth2/Bearer tokens (written 0600 by hdkit auth)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")


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
    p.add_argument("--phone", required=True)
    p.add_argument("--contact-type")
    p.add_argument("--matrix", action="store_true", help="try the number in several formats")
    p.add_argument("--last-digits", type=int, default=7)
    p.add_argument("--country", default="1", help="country code for national numbers (default 1)")
    _common(p)
    p.set_defaults(handler=_guarded(_search))

    p = actions.add_parser("create-contact", help="create a contact for an unknown number")
    p.add_argument("--phone", required=True)
    p.add_argument("--first-name", default="")
    p.add_argument("--last-name", default="")
    p.add_argument("--contact-type")
    _common(p)
    p.set_defaults(handler=_guarded(_create_contact))

    p = actions.add_parser("call", help="simulate a call: match, create, ticket, journal, follow-ups")
    p.add_argument("--event", required=True, choices=[k.value for k in CallKind])
    p.add_argument("--phone", required=True)
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
    auth.add_argument("--wait", type=float, default=300.0, help="seconds to wait for consent")
    _inputs_options(auth)
    auth.set_defaults(handler=_auth)

    demo = subparsers.add_parser("demo", help="start the sandbox helpdesk and run a sample against it")
    demo.add_argument("--sample", default="freshdesk")
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from hdkit import samples
    from hdkit.sandbox import Sandbox

    out = out or sys.stdout
    template = samples.load(args.sample)
    with Sandbox() as hd:
        engine = Engine(template, samples.demo_inputs(args.sample, hd.url))
        print(f"sandbox helpdesk at {hd.url}; sample template {args.sample!r}\n", file=out)
        users = engine.users()
        print(f"== users: {len(users)} synced in {users.stop.requests if users.stop else 0} requests "
              f"({users.stop.reason if users.stop else ''})", file=out)
        _write(users.records().head(5), "table", out)
        phone = samples.demo_phone(args.sample)
        print(f"\n== search {phone}", file=out)
        found = engine.search(phone)
        _write(found.records(), "table", out)
        print("\n== call inbound-missed", file=out)
        trace = engine.call(engine.event("inbound-missed", phone))
        _write(trace.trace()[["step", "method", "status", "outcome", "outputs"]], "table", out)
        codes = [report_code(r) for r in (users, found, trace)]
    return max(codes)


def report_code(result: UsersResult | SearchResult | CallTrace) -> int:
    return EXIT_HELPDESK if any(str(e.outcome) in _HELPDESK_FAILURES for e in result.log) else EXIT_OK
