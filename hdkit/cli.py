"""The ``hdkit`` command line.

Each subcommand is a small ``_cmd_*`` function registered in :func:`build_parser`; the work
itself lives in the library so the CLI, notebooks and tests run the same code.

Exit codes: 0 success, 1 template problems (validation errors, bad input file),
2 usage error, 3 helpdesk or network errors, 4 an incomplete result (a user sync that looped
or hit the request cap).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path
from collections.abc import Sequence

from hdkit.errors import EngineError, HdkitError
from hdkit.problems import Problem

EXIT_OK = 0
EXIT_TEMPLATE = 1
EXIT_USAGE = 2
EXIT_HELPDESK = 3
EXIT_INCOMPLETE = 4


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
    try:
        save(template, args.output, check=False)
    except OSError as err:  # a directory, a missing folder, no permission: say which file
        print(f"error: cannot write {args.output}: {err.strerror}", file=sys.stderr)
        return EXIT_TEMPLATE
    print(f"exported {args.output}")
    return EXIT_OK


# The notebook `hdkit workbench` writes when run outside a checkout that has notebooks/.
_WORKBENCH_CELLS = [
    "from hdkit import samples\n"
    "from hdkit.sandbox import Sandbox\n"
    "from hdkit.ui import Workbench\n"
    "\n"
    "SAMPLE = \"freshdesk\"  # or zendesk, zoho, keydesk; or a path to your own template XML\n"
    "hd = Sandbox().start()  # the bundled helpdesk on 127.0.0.1\n"
    "Workbench(SAMPLE, inputs=samples.demo_inputs(SAMPLE, hd.url), phone=samples.demo_phone(SAMPLE))",
]


def workbench_notebook(directory: Path) -> Path:
    """The workbench notebook to open: the checkout's walkthrough, else a fresh one written here."""
    walkthrough = directory / "notebooks" / "01-workbench.ipynb"
    if walkthrough.exists():
        return walkthrough
    fresh = directory / "hdkit-workbench.ipynb"
    if not fresh.exists():
        import nbformat

        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in _WORKBENCH_CELLS])
        nbformat.write(notebook, fresh)
    return fresh


def _cmd_workbench(args: argparse.Namespace) -> int:
    notebook = Path(args.notebook) if args.notebook else workbench_notebook(Path.cwd())
    command = [sys.executable, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1", str(notebook)]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI boxes run as root
        command.append("--allow-root")
    if args.print_command:
        print(shlex.join(command))
        return EXIT_OK
    return subprocess.call(command)


def _cmd_app(args: argparse.Namespace) -> int:
    from hdkit.ui.app import AppOptions, serve

    options = AppOptions(template=args.template, port=args.port, sandbox=not args.no_sandbox,
                         browser=not args.no_browser)
    return serve(options, print_command=args.print_command)


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

    bench = commands.add_parser("workbench", help="open the workbench in JupyterLab (sandbox helpdesk)")
    bench.add_argument("notebook", nargs="?", help="notebook to open (default: the workbench walkthrough)")
    bench.add_argument("--no-browser", action="store_true", help="print the URL instead of opening a browser")
    bench.add_argument("--print-command", action="store_true", help="print the JupyterLab command, run nothing")
    bench.set_defaults(handler=_cmd_workbench)

    app = commands.add_parser("app", help="serve the workbench as a standalone page (Voila, no code shown)")
    app.add_argument("--template", metavar="FILE", help="template XML file or sample name to open")
    app.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    app.add_argument("--no-sandbox", action="store_true", help="do not start the sandbox helpdesk")
    app.add_argument("--no-browser", action="store_true", help="print the URL instead of opening a browser")
    app.add_argument("--print-command", action="store_true", help="print the Voila command, run nothing")
    app.set_defaults(handler=_cmd_app)

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
