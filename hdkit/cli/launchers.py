"""``hdkit workbench``, ``hdkit app`` and ``hdkit sandbox``: what starts another program.

The workbench opens in JupyterLab, the app is the workbench served as a page of its own
(Voila), and the sandbox is the bundled helpdesk on 127.0.0.1, which parses its own options
(it imports nothing from hdkit), so :func:`hdkit.cli.main` hands it its arguments untouched.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hdkit.cli.exits import Exit

__all__ = ["register", "sandbox", "workbench_notebook"]

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


def _workbench(args: argparse.Namespace) -> int:
    notebook = Path(args.notebook) if args.notebook else workbench_notebook(Path.cwd())
    command = [sys.executable, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1", str(notebook)]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI boxes run as root
        command.append("--allow-root")
    if args.print_command:
        print(shlex.join(command))
        return Exit.OK
    return subprocess.call(command)


def _app(args: argparse.Namespace) -> int:
    from hdkit.ui.app import AppOptions, serve

    options = AppOptions(template=args.template, port=args.port, sandbox=not args.no_sandbox,
                         browser=not args.no_browser)
    return serve(options, print_command=args.print_command)


def sandbox(argv: Sequence[str]) -> int:
    """``hdkit sandbox ...``: the sandbox's own command line."""
    from hdkit.sandbox.__main__ import main as sandbox_main

    return sandbox_main(list(argv))


def register(subparsers: Any) -> None:
    """Add ``workbench``, ``app`` and ``sandbox`` to the ``hdkit`` command's subparsers."""
    bench = subparsers.add_parser("workbench", help="open the workbench in JupyterLab (sandbox helpdesk)")
    bench.add_argument("notebook", nargs="?", help="notebook to open (default: the workbench walkthrough)")
    bench.add_argument("--no-browser", action="store_true", help="print the URL instead of opening a browser")
    bench.add_argument("--print-command", action="store_true", help="print the JupyterLab command, run nothing")
    bench.set_defaults(handler=_workbench)

    app = subparsers.add_parser("app", help="serve the workbench as a standalone page (Voila, no code shown)")
    app.add_argument("--template", metavar="FILE", help="template XML file or sample name to open")
    app.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    app.add_argument("--no-sandbox", action="store_true", help="do not start the sandbox helpdesk")
    app.add_argument("--no-browser", action="store_true", help="print the URL instead of opening a browser")
    app.add_argument("--print-command", action="store_true", help="print the Voila command, run nothing")
    app.set_defaults(handler=_app)

    # Listed for --help; main() hands `hdkit sandbox ...` to the sandbox before parsing.
    subparsers.add_parser("sandbox", help="run the bundled sandbox helpdesk on 127.0.0.1", add_help=False)
