"""The options several commands share, and the parsers that refuse a malformed value as a
usage error naming it (``--phone`` with no digit, ``--timeout 0``, ``--var`` without ``=``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["common", "inputs_options", "phone", "positive", "var"]


def phone(text: str) -> str:
    """``--phone``: a number with at least one digit (a PBX never looks up a blank one)."""
    if not any(c.isdigit() for c in text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a phone number (no digits)")
    return text.strip()


def positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:  # NaN too
            raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
        return value
    return parse


def var(text: str) -> tuple[str, str]:
    """``--var NAME=VALUE``: anything else is a usage error naming the problem."""
    from hdkit.engine.variables import parse_pair

    try:
        return parse_pair(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def inputs_options(parser: argparse.ArgumentParser) -> None:
    """Where the template's inputs and tokens come from, and the limits of one request."""
    parser.add_argument("--input", action="append", metavar="NAME=VALUE", help="a custom field value")
    parser.add_argument("--inputs", action="append", metavar="FILE.json", help="custom field values (JSON object)")
    parser.add_argument("--token-file", metavar="PATH", help="OAuth2/Bearer tokens (written 0600 by hdkit auth)")
    parser.add_argument("--timeout", type=positive(float), default=10.0,
                        help="seconds per request attempt, connect to last byte (default 10)")
    parser.add_argument("--max-response-mb", type=positive(float), default=10.0,
                        help="refuse a response body larger than this, decoded (default 10)")


def common(parser: argparse.ArgumentParser) -> None:
    """What every ``hdkit run`` action takes."""
    inputs_options(parser)
    parser.add_argument("--var", action="append", type=var, metavar="NAME=VALUE",
                        help="set any variable (TicketId, Call_To, Owner, a custom one...), over what the "
                             "inputs and the call simulator supply; repeatable")
    parser.add_argument("--dry-run", action="store_true",
                        help="print every rendered request (method, URL, headers, body) without sending it")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
