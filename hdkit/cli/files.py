"""``hdkit validate FILE`` and ``hdkit export FILE -o OUT.xml``: a template file checked, and
written back as Yeastar XML once nothing blocks it (the validity gate export and runs share)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hdkit.cli.exits import Exit
from hdkit.cli.output import report_problems
from hdkit.errors import ValidationFailed

__all__ = ["register"]


def _validate(args: argparse.Namespace) -> int:
    from hdkit.validate import validate
    from hdkit.yeastar_xml import load

    problems = validate(load(args.file))
    report_problems(problems)
    return Exit.TEMPLATE if any(p.is_error for p in problems) else Exit.OK


def _export(args: argparse.Namespace) -> int:
    from hdkit.validate import require_valid
    from hdkit.yeastar_xml import load, save

    template = load(args.file)
    try:
        problems = require_valid(template, "exported")
    except ValidationFailed as refused:
        report_problems(refused.problems)
        print(refused.message, file=sys.stderr)
        return Exit.TEMPLATE
    report_problems(problems)
    try:
        save(template, args.output, check=False)
    except OSError as err:  # a directory, a missing folder, no permission: say which file
        print(f"error: cannot write {args.output}: {err.strerror}", file=sys.stderr)
        return Exit.TEMPLATE
    print(f"exported {args.output}")
    return Exit.OK


def register(subparsers: Any) -> None:
    """Add ``validate`` and ``export`` to the ``hdkit`` command's subparsers."""
    check = subparsers.add_parser("validate", help="list every problem of a template XML file")
    check.add_argument("file", metavar="FILE", help="template XML file")
    check.set_defaults(handler=_validate)

    export = subparsers.add_parser("export", help="normalise a template and write it as Yeastar XML")
    export.add_argument("file", metavar="FILE", help="template XML file")
    export.add_argument("-o", "--output", metavar="OUT.xml", required=True, help="file to write")
    export.set_defaults(handler=_export)
