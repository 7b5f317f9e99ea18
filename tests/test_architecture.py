"""Dependencies point one way (DESIGN.md): pin it so a shortcut import fails a test.

Reads imports with ``ast`` rather than importing, so a module that is heavy or has side
effects is still checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hdkit

PKG = Path(hdkit.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(subpath: str = "") -> list[Path]:
    root = PKG / subpath
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.py") if "ui" not in p.relative_to(PKG).parts[:1])


def _top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_nothing_below_ui_imports_widgets(path: Path) -> None:
    assert not {n for n in _imports(path) if _top(n) in {"ipywidgets", "IPython", "traitlets"}}


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if p.relative_to(PKG).parts[0] not in {"engine", "sandbox", "cli.py"}],
    ids=lambda p: str(p.relative_to(PKG)),
)
def test_only_engine_and_sandbox_speak_http(path: Path) -> None:
    assert not {n for n in _imports(path) if _top(n) in {"httpx", "uvicorn", "starlette"}}


@pytest.mark.parametrize("path", _modules("sandbox") if (PKG / "sandbox").exists() else [], ids=str)
def test_sandbox_imports_nothing_from_hdkit(path: Path) -> None:
    """The sandbox must behave like an external helpdesk, so it shares no code with hdkit."""
    own = {n for n in _imports(path) if _top(n) == "hdkit" and not n.startswith("hdkit.sandbox")}
    assert not own


def test_public_api_is_curated_and_sorted() -> None:
    assert list(hdkit.__all__) == sorted(hdkit.__all__)
    for name in hdkit.__all__:
        assert hasattr(hdkit, name), name


def test_import_hdkit_stays_light() -> None:
    """Validation and XML work must not pay for httpx, pandas, the server or widgets."""
    import subprocess
    import sys

    code = (
        "import sys, hdkit; "
        "print(','.join(m for m in ('httpx','pandas','uvicorn','starlette','ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("name", ["Engine", "CallEvent", "CallKind", "Sandbox", "samples"])
def test_lazy_exports_resolve(name: str) -> None:
    assert getattr(hdkit, name) is not None
