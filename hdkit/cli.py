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

from hdkit.errors import EngineError, HdkitError
from hdkit.problems import Problem

EXIT_OK = 0
EXIT_TEMPLATE = 1
EXIT_USAGE = 2
EXIT_HELPDESK = 3


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr if problem.is_error else sys.stdout)
    n_errors = sum(p.is_error for p in problems)
    print(f"{n_errors} error(s), {len(problems) - n_errors} warning(s)")


def _cmd_validate(args: argparse.Namespace) -> int:
    from hdkit.validate import validate
    from hdkit.yeastar_xml import load

    problems = validate(load(args.file))
    _report(problems)
    return EXIT_TEMPLATE if any(p.is_error for p in problems) else EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from hdkit.validate import validate
    from hdkit.yeastar_xml import load, save

    template = load(args.file)
    problems = validate(template)
    _report(problems)
    if any(p.is_error for p in problems):
        print(f"not exported: fix the errors in {args.file} first", file=sys.stderr)
        return EXIT_TEMPLATE
    save(template, args.output, check=False)
    print(f"exported {args.output}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hdkit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version="hdkit 0.1.0")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("validate", help="list every problem of a template XML file")
    check.add_argument("file", metavar="FILE", help="template XML file")
    check.set_defaults(handler=_cmd_validate)

    export = commands.add_parser("export", help="normalise a template and write it as Yeastar XML")
    export.add_argument("file", metavar="FILE", help="template XML file")
    export.add_argument("-o", "--output", metavar="OUT.xml", required=True, help="file to write")
    export.set_defaults(handler=_cmd_export)

    # The sandbox parses its own options (it imports nothing from hdkit); main() hands it argv.
    commands.add_parser("sandbox", help="run the bundled sandbox helpdesk on 127.0.0.1", add_help=False)

    from hdkit.engine.commands import register

    register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        from hdkit.sandbox.__main__ import main as sandbox_main

        return sandbox_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(handler(args) or EXIT_OK)
    except EngineError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_HELPDESK
    except HdkitError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_TEMPLATE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
