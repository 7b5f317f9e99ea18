"""The layers of DESIGN.md, kept: no import upward, no cycle, the public names pinned.

Imports are read with ``ast`` rather than by importing, so a module that is heavy or has side
effects is checked too, and every import counts: at the top, inside a function (a lazy import
is still a dependency) and under ``TYPE_CHECKING``.
"""

from __future__ import annotations
import __future__

import ast
import importlib
import subprocess
import sys
import types
import typing
from functools import cache
from pathlib import Path

import pytest

import hdkit
import hdkit.engine

PKG = Path(hdkit.__file__).parent

# Top to bottom: a unit (a top-level module or package of hdkit) imports only from layers below
# its own. Units that share a layer are siblings and do not import each other.
LAYERS: list[set[str]] = [
    {"cli"},
    {"hdkit"},                        # the package's curated surface (lazy for the engine)
    {"ui"},
    {"samples"},                      # sample templates, with the sandbox's demo accounts
    {"engine", "library", "plots", "timeline"},   # runs templates | a folder of them | pictures, a call's steps
    {"results", "suggest", "yeastar_xml"},         # results of a run | mapping suggestions | the XML file
    {"readiness", "validate"},                     # what stops one Try | validate() and the one validity gate
    {"model"},
    {"extract", "rendering", "responses"},         # response values | request templates | an exchange as read
    {"paths"},
    {"gotemplate"},
    {"arguments", "display", "fileio", "limits", "problems", "secrets", "vocabulary"},
    {"errors"},
]
# Deprecated module names that point at their new homes: nothing inside hdkit imports them.
FACADES = {"injection"}
# The sandbox behaves like an external helpdesk: it imports nothing from hdkit. The command line,
# the workbench, the samples and the package surface (``hdkit.Sandbox``) may start or describe it.
APART = {"sandbox": {"cli", "hdkit", "ui", "samples"}}
RANK = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


def _name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PKG.rglob("*.py"))}


@cache
def imports(module: str) -> frozenset[str]:
    """The hdkit modules ``module`` imports (``from hdkit.x import y`` is ``hdkit.x.y`` when that
    is a module, else ``hdkit.x``)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).rstrip(".")
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES and "." in name:
                name = name.rpartition(".")[0]
            if name in MODULES and name != module:
                found.add(name)
    return frozenset(found)


def unit(module: str) -> str:
    """``hdkit.engine.runner`` -> ``engine``; ``hdkit`` -> ``hdkit``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _short(module: str) -> str:
    return module.removeprefix("hdkit.")


def test_every_unit_has_a_place() -> None:
    units = {unit(m) for m in MODULES}
    assert units == set(RANK) | FACADES | set(APART), "place a new module in LAYERS"


def _upward(module: str) -> list[str]:
    here = unit(module)
    wrong = []
    for target in sorted(imports(module)):
        there = unit(target)
        if there == here or here in FACADES:
            continue
        if there in FACADES:
            wrong.append(f"{target} (a facade)")
        elif there in APART:
            if here not in APART[there]:
                wrong.append(f"{target} (apart)")
        elif here in APART:
            wrong.append(f"{target} (the sandbox imports nothing from hdkit)")
        elif RANK[there] <= RANK[here]:
            wrong.append(f"{target} ({'a sibling' if RANK[there] == RANK[here] else 'above'})")
    return wrong


@pytest.mark.parametrize("module", sorted(MODULES), ids=_short)
def test_no_import_goes_up_or_sideways(module: str) -> None:
    assert _upward(module) == []


def test_the_import_graph_has_no_cycle() -> None:
    """Depth-first search over every module; a back edge is a cycle (its path is the message)."""
    # A package's __init__ importing its own modules is how it exposes them, not a dependency.
    edges = {m: {t for t in imports(m) if not (MODULES[m].name == "__init__.py" and t.startswith(m + "."))}
             for m in MODULES}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                cycles.append(path[path.index(t):] + [t] if t in path else [m, t])
            elif t not in state:
                visit(t, [*path, t])
        state[m] = 2

    for m in sorted(MODULES):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def _third_party(module: str, packages: set[str]) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and not n.level}
    return {n for n in names if n.split(".")[0] in packages}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if unit(m) not in {"ui", "cli"}), ids=_short)
def test_nothing_below_ui_imports_widgets(module: str) -> None:
    assert _third_party(module, {"ipywidgets", "IPython", "traitlets"}) == set()


@pytest.mark.parametrize("module", sorted(m for m in MODULES if unit(m) not in {"engine", "sandbox"}), ids=_short)
def test_only_engine_and_sandbox_speak_http(module: str) -> None:
    assert _third_party(module, {"httpx", "uvicorn", "starlette"}) == set()


def test_module_names_are_unique() -> None:
    """One concept, one name: two ``fields.py`` in different packages read as the same thing."""
    names: dict[str, list[str]] = {}
    for m, path in MODULES.items():
        if path.name not in ("__init__.py", "__main__.py"):
            names.setdefault(path.name, []).append(m)
    assert {n: ms for n, ms in names.items() if len(ms) > 1} == {}


# -- tests/ mirrors hdkit/ ------------------------------------------------------------------------

TESTS = PKG.parent / "tests"
# Folders and modules of tests/ that are about no one hdkit module: helpers and data, the suites
# that cross every layer, the notebooks and the browser, and this file and its kin.
ACROSS = {"support", "data", "suites", "notebooks", "browser", "architecture", "typing", "readme"}


def test_tests_mirror_the_package() -> None:
    """tests/test_<module>.py for a module of hdkit, tests/<package>/ for a package: a test is
    found where the code it tests lives."""
    packages = {p.name for p in PKG.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in PKG.glob("*.py")} - {"__init__"}
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    files = {p.stem.removeprefix("test_") for p in TESTS.glob("test_*.py")}
    assert folders - packages - ACROSS == set(), "a test folder for no package of hdkit"
    assert files - modules - ACROSS == set(), "a tests/test_<name>.py for no module of hdkit (a package's tests go in its folder)"


def _test_module_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    return {n for n in names if n.split(".")[-1].startswith("test_") or n.split(".")[0] in ("tests", "conftest")}


@pytest.mark.parametrize("path", sorted(TESTS.rglob("*.py")), ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_module_imports_another(path: Path) -> None:
    """Shared helpers live in tests/support (``import support``), never in a test module."""
    assert _test_module_imports(path) == set()


# -- the public names, pinned (httpx's test_exported_members does the same) ------------------------

HDKIT = [
    "JSON_ESCAPER", "MISSING", "ArgumentError", "Auth", "AuthError", "AuthMethod", "BasicAuth", "CallEvent", "CallJournal", "CallKind",
    "CallOption", "ContactCreation", "ContactFields", "ContactSearch", "ContactType", "ContentType",
    "CreationType", "CredentialType", "CustomField", "Engine", "EngineError", "FieldMapping", "FieldType", "FileError",
    "FollowUpEvent", "FollowUpRequest", "General", "HdkitError", "Header", "HelpdeskError", "Inputs",
    "LimitError", "Location", "Logo", "ModelError", "NewTicket", "OAuth2", "Output", "Pagination",
    "PaginationMode", "PathError", "Popup", "PopupMode", "Problem", "Sandbox", "Secret", "Severity",
    "Template", "TemplateError", "TemplateExecError", "TemplateLibrary", "TemplateSyntaxError",
    "UnsupportedPathError", "UserAssociation", "UserFields", "ValidationFailed", "XMLFormatError",
    "__version__", "compile_path", "extract_records", "extract_values", "from_xml", "gjson_get", "lint",
    "load", "render_checked", "render_safe", "require_valid", "samples", "save", "to_xml", "validate",
]
ENGINE = [
    "CallEvent", "CallKind", "Client", "Consent", "ConsentState", "Engine", "Exchange", "OAuth2Session",
    "Outcome", "Paged", "Response", "StopReason", "SyncOptions", "SyncProgress", "TokenStore", "Tokens",
    "queue_call", "run_sync", "simulate",
]


def _own_public(module: types.ModuleType) -> set[str]:
    """Public names bound in ``module``, after every lazy name was resolved: not a submodule
    bound by importing it, nor a helper the module took from the standard library."""
    for name in module.__all__:
        getattr(module, name)
    borrowed = (typing, importlib, __future__)
    out = set()
    for name, value in vars(module).items():
        if name.startswith("_") and name != "__version__":
            continue
        if isinstance(value, types.ModuleType) and name not in module.__all__:
            continue
        if any(getattr(std, name, out) is value for std in borrowed):
            continue
        out.add(name)
    return out


@pytest.mark.parametrize(("module", "pinned"), [(hdkit, HDKIT), (hdkit.engine, ENGINE)],
                         ids=["hdkit", "hdkit.engine"])
def test_the_public_names_are_pinned_sorted_and_all_exported(module: types.ModuleType, pinned: list[str]) -> None:
    assert list(module.__all__) == sorted(pinned)
    assert _own_public(module) == set(pinned)
    assert set(pinned) <= set(dir(module))


def test_import_hdkit_stays_light() -> None:
    """Validation and XML work must not pay for httpx, pandas, the server or widgets."""
    code = ("import sys, hdkit; print(','.join(m for m in ('httpx', 'pandas', 'uvicorn', 'starlette', "
            "'ipywidgets', 'authlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
