"""The ``hdkit`` command line.

Each subcommand is a small ``_cmd_*`` function registered in :func:`build_parser`; the work
itself lives in the library so the CLI, notebooks and tests run the same code.

Exit codes: 0 success, 1 template problems (validation errors, bad input file),
2 usage error, 3 helpdesk or network errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hdkit.errors import HdkitError

EXIT_OK = 0
EXIT_TEMPLATE = 1
EXIT_USAGE = 2
EXIT_HELPDESK = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hdkit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version="hdkit 0.1.0")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(handler(args) or EXIT_OK)
    except HdkitError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_TEMPLATE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
