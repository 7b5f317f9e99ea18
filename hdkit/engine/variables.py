"""Variables a user sets by hand (``--var NAME=VALUE``, ``variables=``): checked, then layered.

Reproducing a given call means setting what the PBX would have supplied (``TicketId``,
``Call_To``, the agent's extension, ``Owner``, any custom variable) instead of what the call
simulator invents. Such a value overrides the simulator's and the inputs' (a custom field's
value given this way is an input, so a Password field's value stays a secret); an output a
request of the run sets later (``ContactId`` from the search, ``TicketId`` from the ticket)
still replaces it, as it would on the PBX.

A name the template never refers to is most likely a typo: :func:`unused` lists them so the
CLI can warn, naming each one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from hdkit import gotemplate
from hdkit.errors import EngineError, HdkitError, Location
from hdkit.model import Template
from hdkit.vocabulary import AUTH_VARIABLES

__all__ = ["check_names", "parse_pair", "unused", "used_variables"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # what `{{.Name}}` can spell


def parse_pair(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` as a pair; a ``ValueError`` saying what is wrong otherwise."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ValueError(f"{text!r} is not NAME=VALUE")
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a variable name (letters, digits and _, not starting with a digit)")
    return name, value


def check_names(variables: Mapping[str, object], where: str = "variables") -> None:
    """Refuse names a template could never read, and the auth values the engine sets itself."""
    for name in variables:
        if not isinstance(name, str) or not _NAME.match(name):
            raise EngineError(f"{name!r} is not a variable name (letters, digits and _, not starting with a digit)",
                              Location(field=where))
        if name in AUTH_VARIABLES:
            raise EngineError(f"{name} is set by the template's authentication, not by hand", Location(field=where),
                              hint="give the credentials as inputs, or authorize first (hdkit auth)")


def used_variables(template: Template) -> frozenset[str]:
    """Every top-level variable any template string of ``template`` refers to (``{{.Name}}``)."""
    return frozenset(name for text in _strings(template) for name in _names(text))


def unused(template: Template, names: Iterable[str]) -> list[str]:
    """The ``names`` no template string of ``template`` refers to, in the order given."""
    used = used_variables(template)
    return [n for n in names if n not in used]


@lru_cache(maxsize=1024)
def _names(text: str) -> frozenset[str]:
    try:
        compiled = gotemplate.compile(text, "variables")
    except HdkitError:  # a broken string: validation reports it; it refers to nothing here
        return frozenset()
    return frozenset(ref.path[0] for ref in compiled.fields() if ref.path)


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string holding a template action, anywhere in the model (whatever its shape)."""
    if depth > 50:
        return
    if isinstance(value, str):
        if "{{" in value:
            yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name, None), depth + 1)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item, depth + 1)
