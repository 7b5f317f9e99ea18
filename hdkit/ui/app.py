"""The workbench as a standalone page: ``hdkit app`` serves it with Voila.

Many people who configure a PBX never open JupyterLab; they want a page. Voila runs a notebook
and shows only its outputs, so the app is a one-cell notebook (written to a temporary folder,
never into the user's project) whose cell calls :func:`page`. The kernel starts in the user's
own directory, so relative paths typed into the page (Open XML, Export to) mean what they
mean in the terminal that ran ``hdkit app``.

:func:`page` is the whole screen: what to do, where the sandbox helpdesk runs, and the
:class:`~hdkit.ui.Workbench`. It adds only presentation (a CSS class and a stylesheet:
monospace raw views, tables that scroll rather than being cut at 1024 px); the workbench
itself is the same object as in JupyterLab.
"""

from __future__ import annotations

import html
import os
import shlex
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from hdkit import samples
from hdkit.errors import HdkitError
from hdkit.model import Template
from hdkit.ui.workbench import Workbench
from hdkit.yeastar_xml import load

__all__ = ["APP_CLASS", "AppOptions", "app_notebook", "page", "serve", "voila_command"]

APP_CLASS = "hdkit-app"  # the page's root CSS class (the stylesheet and browser tests use it)
HOST = "127.0.0.1"
DEFAULT_SAMPLE = "freshdesk"  # opened when no --template is given

# Presentation only: raw views (requests, responses, XML) in monospace, JSON body editors in
# monospace too, tables and long lines scroll inside their view instead of widening the page,
# and tab titles shrink to their text so error counts stay visible at 1024 px.
_CSS = f"""
.{APP_CLASS} {{ max-width: 100%; box-sizing: border-box; }}
.{APP_CLASS} pre, .{APP_CLASS} textarea, .{APP_CLASS} code {{
  font-family: var(--jp-code-font-family, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace) !important;
  font-size: 12px;
}}
.{APP_CLASS} .widget-html-content {{ max-width: 100%; overflow-x: auto; }}
.{APP_CLASS} table {{ border-collapse: collapse; font-size: 12px; }}
.{APP_CLASS} th {{ white-space: nowrap; padding: 2px 6px; text-align: left; }}
.{APP_CLASS} td {{ padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: left; max-width: 30em;
  overflow-wrap: break-word; }}
.{APP_CLASS} .widget-tab > .lm-TabBar .lm-TabBar-content {{ flex-wrap: wrap; }}
.{APP_CLASS} .widget-tab > .lm-TabBar .lm-TabBar-tab {{ flex: 0 0 auto !important; max-width: none !important; }}
.{APP_CLASS} .widget-text, .{APP_CLASS} .widget-textarea {{ max-width: 100%; }}
"""


def _sandbox_note(urls: dict[str, str]) -> str:
    links = ", ".join(f"{html.escape(name)}: <code>{html.escape(url)}</code>" for name, url in sorted(urls.items()))
    return ("<b>Sandbox helpdesk</b> running on this machine (no account, nothing leaves 127.0.0.1): "
            f"{links}. The samples are already pointed at it.")


_HOW = (
    "<h2 style='margin:4px 0'>hdkit workbench</h2>"
    "<p style='margin:2px 0'>Open a sample or your own XML. Edit the template in the section tabs "
    "(each problem shows beside its field and in the list at the bottom). In <b>Try it</b>, fill the "
    "helpdesk inputs and press <b>Sync users</b>, <b>Search contact</b> or <b>Simulate call</b> to "
    "see what the PBX would send, what came back and what it mapped. <b>Export</b> writes the "
    "Yeastar XML once no error remains. Credentials you type are never exported or shown.</p>"
)


def _open(template: str | None, sandbox_url: str | None) -> tuple[Template, dict[str, str], str]:
    """The template to edit, its demo inputs when the sandbox runs, and the export file name."""
    name = template or DEFAULT_SAMPLE
    if name in samples.names():
        inputs = samples.demo_inputs(name, sandbox_url) if sandbox_url else {}
        return samples.load(name), inputs, f"{name}-edited.xml"
    opened = load(name)
    same_key = [s for s in samples.names() if samples.load(s).general.key == opened.general.key]
    inputs = samples.demo_inputs(same_key[0], sandbox_url) if sandbox_url and same_key else {}
    return opened, inputs, f"{Path(name).stem}-edited.xml"


def page(template: str | None = None, *, sandbox: bool = True, cwd: str | None = None) -> widgets.VBox:
    """The app's screen: ``template`` is a sample name or an XML path (default: DEFAULT_SAMPLE).

    With ``sandbox`` the bundled helpdesk starts in this kernel (127.0.0.1, stopped with it) and
    a sample's demo credentials are handed to the workbench in code, so they never reach a widget.
    """
    if cwd:
        os.chdir(cwd)
    hd = None
    if sandbox:
        from hdkit.sandbox import Sandbox

        hd = Sandbox().start()
    opened, inputs, export = _open(template, hd.url if hd else None)
    name = template or DEFAULT_SAMPLE
    demo = (lambda sample: samples.demo_inputs(sample, hd.url)) if hd else None  # any sample opened later too
    bench = Workbench(name if name in samples.names() else opened, inputs=inputs,
                      phone=samples.demo_phone(DEFAULT_SAMPLE), export_path=export, sample_inputs=demo)
    where = (_sandbox_note(hd.urls) if hd else
             "<b>No sandbox</b>: type your helpdesk's address and credentials in <b>Try it</b>.")
    root = widgets.VBox([widgets.HTML(f"<style>{_CSS}</style>"), widgets.HTML(_HOW), widgets.HTML(where),
                         bench.box])
    root.add_class(APP_CLASS)
    root.workbench = bench  # for scripts driving the page
    root.sandbox = hd
    return root


# -- serving ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppOptions:
    """What ``hdkit app`` was asked for."""

    template: str | None = None
    port: int = 0  # 0: a free port
    sandbox: bool = True
    browser: bool = True


def _cell(options: AppOptions, cwd: Path) -> str:
    template = options.template
    if template and template not in samples.names():
        template = str((cwd / template).resolve())
    return ("from hdkit.ui.app import page\n"
            f"page({template!r}, sandbox={options.sandbox!r}, cwd={str(cwd)!r})")


def app_notebook(options: AppOptions, directory: Path, cwd: Path) -> Path:
    """Write the one-cell notebook Voila runs into ``directory`` (a temporary folder)."""
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_cell(options, cwd))])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = directory / "hdkit-app.ipynb"
    nbformat.write(notebook, path)
    return path


def free_port() -> int:
    """A port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def check_port(port: int) -> None:
    """Refuse a ``--port`` the page cannot have, before its URL is printed."""
    if not 0 < port < 65536:
        raise HdkitError(f"--port {port}: a port is a number from 1 to 65535")
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            raise HdkitError(f"--port {port}: the port is in use on {HOST} (leave --port out to use a free one)") from None


def voila_command(notebook: Path, port: int, *, browser: bool) -> list[str]:
    """The Voila server command: 127.0.0.1 only, this port or none, no code shown."""
    command = [sys.executable, "-m", "voila", str(notebook), f"--Voila.ip={HOST}", f"--port={port}",
               "--Voila.port_retries=0", "--strip_sources=True", "--show_tracebacks=False",
               "--theme=light"]
    if not browser:
        command.append("--no-browser")
    return command


def check_template(template: str | None) -> None:
    """Refuse a template the page could not open, before any server starts."""
    if template and template not in samples.names():
        if not Path(template).is_file():
            raise HdkitError(f"--template {template}: no such file (or sample: {', '.join(samples.names())})")
        load(template)  # a located XMLFormatError names the line


def serve(options: AppOptions, *, print_command: bool = False) -> int:
    """Run Voila on the app notebook until interrupted; print the URL first."""
    check_template(options.template)
    if options.port:
        check_port(options.port)
    port = options.port or free_port()
    with tempfile.TemporaryDirectory(prefix="hdkit-app-") as folder:
        notebook = app_notebook(options, Path(folder), Path.cwd())
        command = voila_command(notebook, port, browser=options.browser)
        if print_command:
            print(shlex.join(command))
            return 0
        print(f"hdkit app: http://{HOST}:{port}/ (Ctrl+C to stop)", flush=True)
        try:
            return subprocess.call(command)
        except KeyboardInterrupt:
            return 0
