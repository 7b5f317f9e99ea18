"""The ``hdkit`` command line.

One module per command group, each adding its subcommands with ``register``:
:mod:`.files` (``validate``, ``export``), :mod:`.run` (``run TEMPLATE ACTION``), :mod:`.consent`
(``auth``), :mod:`.demo` (``demo``) and :mod:`.launchers` (``workbench``, ``app``,
``sandbox``); where a command's template, inputs and tokens come from is :mod:`.sources`, what
it prints is :mod:`.output`, and its exit code comes from the one table in :mod:`.exits`
(:class:`Exit`). The work itself lives in the library, so the command line, notebooks and
tests run the same code; nothing in the library imports this package.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hdkit import __version__
from hdkit.cli import consent, demo, files, launchers, run
from hdkit.cli.exits import Exit, for_error
from hdkit.display import printable
from hdkit.errors import HdkitError

__all__ = ["Exit", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hdkit", description="Build, test and export Yeastar P-Series Helpdesk integration templates.")
    parser.add_argument("--version", action="version", version=f"hdkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (files, launchers, run, consent, demo):
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``hdkit`` command; its exit code (:class:`Exit`). An hdkit error that ends a
    command is one line on stderr (control characters shown, not run), never a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        return launchers.sandbox(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return Exit.USAGE
    try:
        return int(handler(args) or Exit.OK)
    except HdkitError as err:
        print(printable(f"error: {err}", keep_lines=True), file=sys.stderr)
        return for_error(err)
