"""``hdkit run TEMPLATE ACTION``: one engine scenario against a helpdesk, from a shell.

Each action loads the template (a file path or a sample name), refuses it while validation
finds errors, gathers inputs and the variables set by hand (``--var NAME=VALUE``, on every
action: they override the inputs and what the call simulator supplies; see
:mod:`hdkit.cli.sources`), runs one scenario and prints its main table and what a reader needs
to judge it (:mod:`hdkit.cli.output`). ``--dry-run`` prints every rendered request (method,
URL, redacted headers, body) in the order the PBX would send them, and sends nothing.

The engine (httpx, authlib, pandas) is imported when an action runs, so ``hdkit --help`` and
``hdkit validate`` stay quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hdkit.cli.options import common, phone, positive
from hdkit.cli.exits import Exit
from hdkit.cli.output import ProgressBar, report
from hdkit.cli.sources import engine_for, pairs, variables

if TYPE_CHECKING:
    from hdkit.cli.output import Result
    from hdkit.results import CallTrace, MatrixResult, SearchResult, UsersResult

__all__ = ["register"]


def _reported(run: Callable[[argparse.Namespace], Result]) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        return report(run(args), args.format, dry_run=getattr(args, "dry_run", False))
    return handler


def _users(args: argparse.Namespace) -> UsersResult:
    engine = engine_for(args)
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.dry_run else None
    try:
        return engine.users(pairs(args.extension, "--extension") or None, sequential=args.sequential,
                            progress=bar, variables=variables(args))
    finally:
        if bar is not None:
            bar.close()


def _search(args: argparse.Namespace) -> SearchResult | MatrixResult:
    engine = engine_for(args)
    if args.matrix:
        return engine.match_matrix(args.phone, args.contact_type, last_digits=args.last_digits,
                                   default_country=args.country, expect=args.expect, variables=variables(args))
    return engine.search(args.phone, args.contact_type, variables=variables(args))


def _search_or_matrix(args: argparse.Namespace) -> int:
    if args.expect is not None and not args.matrix:
        print("error: --expect judges the match matrix: add --matrix", file=sys.stderr)
        return Exit.USAGE
    return _reported(_search)(args)


def _create_contact(args: argparse.Namespace) -> CallTrace:
    return engine_for(args).create_contact(args.phone, first_name=args.first_name, last_name=args.last_name,
                                           contact_type=args.contact_type, variables=variables(args))


def _call(args: argparse.Namespace) -> CallTrace:
    engine = engine_for(args)
    options: dict[str, Any] = {"contact_name": args.name, "extension": args.extension, "seed": args.seed,
                               "variables": variables(args)}
    if args.start is not None:
        options["start"] = args.start
    if args.agent_name is not None:
        options["extension_name"] = args.agent_name
    event = engine.event(args.event, args.phone, **options)
    return engine.call(event, hide_missed=args.hide_missed)


def _followup(args: argparse.Namespace) -> CallTrace:
    return engine_for(args).followup(args.event, variables(args))


def register(subparsers: Any) -> None:
    """Add ``run`` and its actions to the ``hdkit`` command's subparsers."""
    from hdkit.engine.events import CallKind  # the call simulator alone: no httpx
    from hdkit.model import FollowUpEvent

    run = subparsers.add_parser("run", help="run a template scenario against a helpdesk",
                                description=__doc__.splitlines()[0])
    run.add_argument("template", help="template XML file or sample name")
    actions = run.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("users", help="sync helpdesk users (all pages)")
    p.add_argument("--extension", action="append", metavar="EXT=EMAIL", help="associate by email")
    p.add_argument("--sequential", action="store_true",
                   help="send exactly the requests the PBX would, one page at a time (no fetch-ahead)")
    common(p)
    p.set_defaults(handler=_reported(_users))

    p = actions.add_parser("search", help="look a phone number up in every contact type")
    p.add_argument("--phone", required=True, type=phone)
    p.add_argument("--contact-type")
    p.add_argument("--matrix", action="store_true", help="try the number in several formats")
    p.add_argument("--last-digits", type=positive(int), default=7, help="digits of the last-N format (default 7)")
    p.add_argument("--country", default="1", help="country code for national numbers (default 1)")
    p.add_argument("--expect", metavar="ID", help="with --matrix: the contact id a notation must find to be a hit "
                                                 "(default: the one the E.164 number finds)")
    common(p)
    p.set_defaults(handler=_search_or_matrix)

    p = actions.add_parser("create-contact", help="create a contact for an unknown number")
    p.add_argument("--phone", required=True, type=phone)
    p.add_argument("--first-name", default="")
    p.add_argument("--last-name", default="")
    p.add_argument("--contact-type")
    common(p)
    p.set_defaults(handler=_reported(_create_contact))

    p = actions.add_parser("call", help="simulate a call: match, create, ticket, journal, follow-ups")
    p.add_argument("--event", required=True, choices=[k.value for k in CallKind])
    p.add_argument("--phone", required=True, type=phone)
    p.add_argument("--name", default="Jane Doe", help="the external party's caller ID name")
    p.add_argument("--extension", default="1001", help="the agent's extension (default 1001)")
    p.add_argument("--agent-name", help="the agent's name (default: Alice Agent)")
    p.add_argument("--start", type=int, help="call start, Unix seconds (default: now)")
    p.add_argument("--seed", type=int, default=0, help="picks the talk time")
    p.add_argument("--hide-missed", action=argparse.BooleanOptionalAction, default=None,
                   help="override the template's 'hide missed calls for unanswered agents' default")
    common(p)
    p.set_defaults(handler=_reported(_call))

    p = actions.add_parser("followup", help="fire the follow-up requests of one event")
    p.add_argument("event", choices=[e.value for e in FollowUpEvent])
    common(p)
    p.set_defaults(handler=_reported(_followup))
