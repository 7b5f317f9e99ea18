"""Where a command's template, inputs and tokens come from, and the engine built from them.

The template is a file path or a bundled sample's name. Inputs for its custom fields come from
``HDKIT_INPUT_<NAME>`` environment variables, then ``--inputs FILE.json``, then ``--input
NAME=VALUE`` (later wins); tokens from ``--token-file``. :func:`engine_for` asks the validity
gate first, about what the run sends (as the workbench's Try does), and prints the warnings a
run should not hide (:data:`RUN_WARNINGS`) about what it sends.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import warnings
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hdkit.display import printable
from hdkit.errors import AuthError, EngineError, Location
from hdkit.model import Template
from hdkit.problems import Problem

if TYPE_CHECKING:
    from hdkit.engine.runner import Engine
    from hdkit.engine.tokens import TokenStore

__all__ = ["ENV_PREFIX", "RUN_WARNINGS", "engine_for", "load_template", "pairs", "read_inputs", "token_store",
           "variables"]

ENV_PREFIX = "HDKIT_INPUT_"
# The warnings a run prints: where what hdkit sends may differ from what the PBX would send (a
# request the product form does not offer, a parameter kept but not sent, a value hdkit does not
# know, which input a bearer token comes from, a pop-up path naming an output), and a value that
# injects yet leaves valid JSON, so no request fails.
RUN_WARNINGS = frozenset({"undocumented", "provider", "not-run", "parameter-not-sent", "unknown-value",
                          "bearer-token-input", "popup-output-name", "json-unescaped", "json-bare", "url-unescaped"})
# How runs wait (retries, Retry-After): the seam tests use to switch waiting off.
wait: Callable[[float], Awaitable[Any]] = asyncio.sleep


def load_template(spec: str) -> Template:
    """A template from a file path, or a bundled sample by name (``zendesk``, ``freshdesk``...)."""
    from hdkit import samples, yeastar_xml

    path = Path(spec)
    if path.is_file():
        return yeastar_xml.load(path)
    if spec in samples.names():
        return samples.load(spec)
    raise EngineError(f"no template file or sample named {spec!r}", Location(field="TEMPLATE"),
                      hint=f"give an XML file path or one of the samples: {', '.join(samples.names())}")


def read_inputs(template: Template, pairs_given: list[str], files: list[str],
                environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Inputs for the template's custom fields: environment, then files, then ``NAME=VALUE``."""
    environ = os.environ if environ is None else environ
    values: dict[str, str] = {}
    for f in template.auth.custom_fields:
        for key in (ENV_PREFIX + f.name.upper(), ENV_PREFIX + f.name):
            if key in environ:
                values[f.name] = environ[key]
    for name in files:
        values.update(_inputs_file(name))
    values.update(pairs(pairs_given, "--input"))
    return values


def pairs(given: list[str] | None, option: str) -> dict[str, str]:
    """``NAME=VALUE`` options as a dict; anything else is an error naming the option."""
    out: dict[str, str] = {}
    for pair in given or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise EngineError(f"{pair!r} is not NAME=VALUE", Location(field=option))
        out[key.strip()] = value
    return out


_INPUTS_FILE_BYTES = 1024 * 1024  # NAME: VALUE pairs; /dev/zero must not fill memory


def _inputs_file(name: str) -> dict[str, str]:
    """``--inputs FILE.json``: read at most 1 MB (a pipe such as ``<(pass show desk)`` is fine)."""
    where = Location(field="--inputs", source=name)
    try:
        with open(name, "rb") as fh:
            raw = fh.read(_INPUTS_FILE_BYTES + 1)
        if len(raw) > _INPUTS_FILE_BYTES:
            raise EngineError(f"the inputs file is over {_INPUTS_FILE_BYTES // (1024 * 1024)} MB; it holds NAME: VALUE pairs",
                              where)
        data = json.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise EngineError(f"cannot read the inputs file: {exc.strerror}", where) from exc
    except UnicodeDecodeError as exc:
        raise EngineError(f"the inputs file is not UTF-8 text: {exc.reason}", where) from exc
    except json.JSONDecodeError as exc:
        raise EngineError(f"the inputs file is not JSON: {exc.msg}", where.at(exc.lineno, exc.colno)) from exc
    if not isinstance(data, dict):
        raise EngineError("the inputs file must hold a JSON object of NAME: VALUE", where)
    return {str(k): str(v) for k, v in data.items()}


def token_store(path: str) -> TokenStore:
    """The ``--token-file`` store; a file that is not one is the user's input problem."""
    from hdkit.engine.tokens import TokenStore

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            store = TokenStore(path)
        except AuthError as exc:
            raise EngineError(exc.message, Location(field="--token-file", source=path), hint=exc.hint) from exc
    for warning in caught:  # one line each, not Python's echo of the source line
        print(printable(f"warning: {warning.message}"), file=sys.stderr)
    return store


def variables(args: argparse.Namespace) -> dict[str, str]:
    """The variables set by hand (``--var NAME=VALUE``)."""
    return dict(getattr(args, "var", None) or [])


def _bytes(megabytes: float) -> int:
    """``--max-response-mb`` in bytes: at least one, and ``inf`` as no practical limit."""
    return sys.maxsize if math.isinf(megabytes) else max(1, round(megabytes * 1024 * 1024))


# Each `hdkit run` action is a Try of the workbench (hdkit.readiness.Target): while a template is
# being written, a half-done journal must not stop a user sync, on the command line as in the UI.
_TRIES = {"users": "users", "search": "search", "create-contact": "create", "call": "call", "followup": "followup"}


def _judged(template: Template, action: str | None) -> tuple[list[Problem], list[Problem]]:
    """The validity gate for one run, and the problems it says: refused by the errors that stop
    what it sends (for ``hdkit auth`` and anything else, by every error), with a note when others
    remain elsewhere; it says the warnings about what it sends, not those of other scenarios."""
    from hdkit.readiness import Target, blocking, concerning
    from hdkit.validate import errors, require_valid, validate

    problems = validate(template)
    if action not in _TRIES:
        return require_valid(template, "run", problems=problems), problems
    target = Target(_TRIES[action])
    stopping = blocking(template, problems, target)
    require_valid(template, "run", problems=[*stopping, *(p for p in problems if not p.is_error)])
    elsewhere = len(errors(problems)) - len(stopping)
    if elsewhere:
        print(f"note: {elsewhere} error(s) elsewhere in the template do not stop this run (hdkit validate lists "
              "them; export refuses until they are fixed)", file=sys.stderr)
    return problems, concerning(template, problems, target)


def engine_for(args: argparse.Namespace) -> Engine:
    """The engine a command runs: its template (refused while errors remain), inputs and tokens."""
    from hdkit.engine.runner import Engine
    from hdkit.validate import require_valid

    template = load_template(args.template)
    problems, said = _judged(template, getattr(args, "action", None))
    for p in said:
        if p.code in RUN_WARNINGS:
            print(printable(str(p)), file=sys.stderr)
    inputs = read_inputs(template, args.input or [], args.inputs or [])
    tokens = token_store(args.token_file) if args.token_file else None
    engine = Engine(template, inputs, dry_run=getattr(args, "dry_run", False), timeout=args.timeout, tokens=tokens,
                    sleep=wait, max_response_bytes=_bytes(args.max_response_mb), check=False)
    engine.problems = problems  # judged once, just above
    for name in engine.unused_variables(variables(args)):
        print(f"warning: --var {name}: the template never uses {{{{.{name}}}}}, so setting it changes nothing",
              file=sys.stderr)
    return engine
