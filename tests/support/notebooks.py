"""Execute notebooks headlessly on *this* interpreter (the venv's) and compare them with the
stored ones, for the notebook tests.

A kernel spec of our own, holding only ``python3`` = ``sys.executable``, so a ``python3``
kernel installed elsewhere on the machine can never run the notebooks instead.

Stored notebooks keep their outputs (so a change in what a notebook shows fails until the
outputs are regenerated on purpose), without widget state: a widget view is stored as a one-line
note (:func:`for_storage`). The comparison is pytest-notebook's: :data:`MASKS` are its
``diff_replace`` (ports, ids, addresses, OAuth state: what changes on every run) and
:data:`IGNORE` its ``diff_ignore``.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "[an interactive widget: run the notebook to see it]"

_OUTPUTS = ("/cells/*/outputs/*/text", "/cells/*/outputs/*/data/text/plain", "/cells/*/outputs/*/data/text/html")
_VOLATILE = (
    (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),  # the sandbox binds a free port
    (r"\b\d+ exchanges\b", "N exchanges"),  # pages fetched ahead concurrently: timing decides
    (r"\b0x[0-9a-f]{6,}\b", "0xADDRESS"),
    (r"state=[\w-]+", "state=STATE"),  # OAuth2 state, random per consent
)
MASKS: tuple[tuple[str, str, str], ...] = tuple((path, regex, repl) for path in _OUTPUTS for regex, repl in _VOLATILE)
IGNORE: tuple[str, ...] = ("/metadata/language_info", "/metadata/widgets", "/cells/*/metadata")

TIMES: dict[str, float] = {}  # notebook -> seconds it took to execute, for the summary line


@lru_cache(maxsize=1)
def _kernel_specs() -> KernelSpecManager:
    kernels = Path(tempfile.mkdtemp(prefix="hdkit-jupyter-")) / "kernels"
    spec = kernels / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "hdkit tests", "language": "python"}), encoding="utf-8"
    )
    return KernelSpecManager(kernel_dirs=[str(kernels)])


def kernels_dir() -> Path:
    """A Jupyter data path holding only the ``python3`` kernel of this interpreter (put it first
    in ``JUPYTER_PATH`` so a server or notebook runner started from a test uses it)."""
    return Path(_kernel_specs().kernel_dirs[0]).parent


@contextmanager
def _this_kernel() -> Iterator[None]:
    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(kernels_dir()), before]))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = before


def execute(nb: nbformat.NotebookNode, cwd: Path, *, timeout: int = 60, store_widget_state: bool = False) -> None:
    """Run every cell of ``nb`` in place, in directory ``cwd``; the kernel is always shut down."""
    km = KernelManager(kernel_name="python3", kernel_spec_manager=_kernel_specs())
    client = NotebookClient(
        nb, km=km, timeout=timeout, startup_timeout=timeout, store_widget_state=store_widget_state,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(cleanup_kc=True)


@dataclass(frozen=True)
class Run:
    """A stored notebook executed again: the stored and the new version, and where it ran."""

    name: str
    stored: nbformat.NotebookNode
    nb: nbformat.NotebookNode  # as executed (widget state included, for the secret scans)
    cwd: Path
    error: Exception | None

    def cell(self, cell_id: str) -> nbformat.NotebookNode:
        return next(c for c in self.nb.cells if c.get("id") == cell_id)

    def text(self, cell_id: str) -> str:
        """The cell's streams and plain-text results, as a reader sees them."""
        parts = []
        for out in self.cell(cell_id).outputs:
            parts += [out.get("text", ""), out.get("data", {}).get("text/plain", "")]
        return "\n".join(parts)

    def html(self, cell_id: str) -> str:
        return "\n".join(o.get("data", {}).get("text/html", "") for o in self.cell(cell_id).outputs)

    def diff(self) -> str:
        """What changed against the stored outputs, volatile parts masked ('' when nothing did)."""
        from pytest_notebook.diffing import diff_notebooks, diff_to_string, filter_diff
        from pytest_notebook.notebook import regex_replace_nb

        before = regex_replace_nb(for_storage(self.stored), MASKS)
        after = regex_replace_nb(for_storage(self.nb), MASKS)
        changes = filter_diff(diff_notebooks(before, after), set(IGNORE))
        return diff_to_string(before, changes, use_color=False) if changes else ""


def run(path: Path, cwd: Path, *, timeout: int = 60) -> Run:
    """Execute the notebook at ``path`` with pytest-notebook's runner, in ``cwd``; timed."""
    from pytest_notebook.execution import execute_notebook

    stored = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    with _this_kernel():
        result = execute_notebook(stored, cwd=str(cwd), timeout=timeout)
    TIMES[path.stem] = time.perf_counter() - start
    return Run(path.stem, stored, result.notebook, cwd, result.exec_error)


def for_storage(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as committed: outputs kept, widget state dropped, widget views as a note,
    and consecutive prints as one stream (how they are split depends on timing)."""
    from pytest_notebook.post_processors import coalesce_streams

    nb, _ = coalesce_streams(copy.deepcopy(nb), {})
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if WIDGET_VIEW in out.get("data", {}):
                out["data"] = {"text/plain": WIDGET_NOTE}
    return nb


def regenerate(result: Run, path: Path) -> None:
    """Store ``result``'s outputs as the notebook's expected ones (``--nb-force-regen``)."""
    nbformat.write(for_storage(result.nb), path)
