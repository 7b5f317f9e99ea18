"""Execute a notebook headlessly on *this* interpreter (the venv's), for the notebook tests.

A kernel spec of our own, holding only ``python3`` = ``sys.executable``, so a ``python3``
kernel installed elsewhere on the machine can never run the notebooks instead.
"""

from __future__ import annotations

import json
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient


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


def execute(nb: nbformat.NotebookNode, cwd: Path, *, timeout: int = 60, store_widget_state: bool = False) -> None:
    """Run every cell of ``nb`` in place, in directory ``cwd``; the kernel is always shut down."""
    km = KernelManager(kernel_name="python3", kernel_spec_manager=_kernel_specs())
    client = NotebookClient(
        nb, km=km, timeout=timeout, startup_timeout=timeout, store_widget_state=store_widget_state,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(cleanup_kc=True)


def kernels_dir() -> Path:
    """A Jupyter data path holding only the ``python3`` kernel of this interpreter (put it first
    in ``JUPYTER_PATH`` so a server or notebook runner started from a test uses it)."""
    return Path(_kernel_specs().kernel_dirs[0]).parent
