"""The machinery every model part shares: checks at the edge, field metadata, views.

A part is a frozen, slotted dataclass (:func:`model`) that checks its data when it is built,
the way attrs does: a wrong type, an unknown enum value, a non-numeric number or text XML
cannot store raises :class:`~hdkit.errors.ModelError` naming the section and field. A nested
part given as a mapping is built in place, so its errors name the place it belongs to.

**Views.** A form field that is not stored on its own (a journal's URL is its first request's
URL; the Contact Field Mapping is the outputs of the contact requests) is declared as a
``dataclasses.InitVar`` with :func:`view`. Reading it calls the part's ``_get_<name>``;
passing it to the constructor, to :meth:`Part.replace` or to ``dataclasses.replace`` calls
``_put_<name>``, which writes the stored fields (a view whose value equals what the stored
fields already say is not written). ``dataclasses.replace`` passes back every view it is not
given; it reads them as UNSET, so editing the stored requests with it never re-applies a stale
view. :func:`replace` does the same without that help and is what the workbench edits with.

**Unknown values.** A file may hold an enum value hdkit does not know (a pop-up mode, a
credential type): the reader wraps it in :class:`Unrecognized`, which every enum field accepts
and keeps verbatim, so it is written back unchanged; validation warns about it. A plain string
that is no member is still refused at construction, so a typo in Python code is caught.
"""

from __future__ import annotations

import contextvars
import dataclasses
import enum
import re
import sys
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hdkit import limits
from hdkit.errors import LimitError, Location, ModelError

__all__ = [
    "FieldInfo",
    "Part",
    "UNSET",
    "Unrecognized",
    "field_info",
    "form_fields",
    "model",
    "replace",
    "type_hints",
    "view",
    "view_names",
]

# Section names as the product's template form titles them; every Location uses these.
GENERAL = "General"
USER_ASSOCIATION = "User Association"
AUTHENTICATION = "Authentication"
HEADERS = "Headers"
FOLLOW_UPS = "Follow-up Requests"
CONTACT_SEARCH = "Contact Search"
KEYWORD_SEARCH = "Keyword Search"
CONTACT_CREATION = "Contact Creation"
CALL_JOURNAL = "Call Journal"
NEW_TICKET = "New Ticket"
EXTRAS = "Extras"


class Unrecognized(str):
    """An enum value a template file holds that hdkit does not know, kept verbatim.

    It reads like an enum member where code prints one (``.value``), compares equal to its
    text, and is written back exactly as it was read.
    """

    __slots__ = ()

    @property
    def value(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"Unrecognized({str(self)!r})"


class _Unset:
    """The default of every view: "not given", so the stored fields are left as they are."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unset>"


UNSET: Any = _Unset()


# --------------------------------------------------------------------------- field metadata


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """What a form label, a hint and a validation message say about one field.

    ``hidden`` fields are stored but not shown by forms (a view shows them instead).
    """

    title: str
    help: str = ""
    example: str = ""
    limit: int | None = None
    required: bool = False
    hidden: bool = False


def fld(
    title: str,
    default: Any = dataclasses.MISSING,
    *,
    factory: Any = dataclasses.MISSING,
    help: str = "",
    example: str = "",
    limit: int | None = None,
    required: bool = False,
    hidden: bool = False,
    compare: bool = True,
) -> Any:
    """A stored field with its metadata."""
    info = FieldInfo(title, help, example, limit, required, hidden)
    extra = {} if compare else {"compare": False, "repr": False}
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata={"info": info}, **extra)
    return field(default=default, metadata={"info": info}, **extra)


def view(title: str, *, help: str = "", example: str = "", limit: int | None = None,
         required: bool = False) -> Any:
    """A view (an ``InitVar`` with this metadata): read and written through the stored fields."""
    return field(default=UNSET, metadata={"info": FieldInfo(title, help, example, limit, required)})


def _dataclass_fields(cls_or_obj: Any) -> dict[str, dataclasses.Field[Any]]:
    cls = cls_or_obj if isinstance(cls_or_obj, type) else type(cls_or_obj)
    return getattr(cls, "__dataclass_fields__", {})


def field_info(cls_or_obj: Any, name: str) -> FieldInfo:
    """The metadata of field or view ``name`` of a model class or instance."""
    f = _dataclass_fields(cls_or_obj).get(name)
    if f is None:
        raise KeyError(name)
    return f.metadata.get("info") or FieldInfo(name)


def view_names(cls: type) -> list[str]:
    """The views of a model class, in declaration order."""
    hints = _hints(cls)
    return [n for n in _dataclass_fields(cls) if isinstance(hints.get(n), dataclasses.InitVar)]


def form_fields(cls: type) -> list[str]:
    """What a form shows for a model class, in order: its fields and views, hidden ones left out."""
    hints = _hints(cls)
    names = [f.name for f in _dataclass_fields(cls).values()
             if f.name in hints and typing.get_origin(hints[f.name]) is not ClassVar and not f.name.isupper()]
    return [n for n in names if not field_info(cls, n).hidden]


def split_list(text: str) -> list[str]:
    """Split a comma separated setting (dropdown options, variable names), dropping blanks."""
    return [part.strip() for part in text.split(limits.LIST_SEPARATOR) if part.strip()]


# --------------------------------------------------------------------------- checking at the edge

_HINTS: dict[type, dict[str, Any]] = {}


def type_hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a model class; a view's hint is the type it reads and writes."""
    return {n: h.type if isinstance(h, dataclasses.InitVar) else h for n, h in _hints(cls).items()}


def _hints(cls: type) -> dict[str, Any]:
    """Resolved type hints, ``InitVar[X]`` kept as an InitVar (views)."""
    if cls not in _HINTS:
        namespace: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            namespace.update(vars(sys.modules.get(klass.__module__, sys)))
        _HINTS[cls] = typing.get_type_hints(cls, namespace)
    return _HINTS[cls]


def _describe(hint: Any) -> str:
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return "one of " + ", ".join(repr(m.value) for m in hint)
    names = {bool: "true or false", int: "a whole number", str: "text", bytes: "bytes"}
    if hint in names:
        return names[hint]
    if typing.get_origin(hint) is tuple:
        return "a list of " + _describe(typing.get_args(hint)[0])
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) for a in typing.get_args(hint) if a not in (type(None), Unrecognized))
    return getattr(hint, "__name__", str(hint))


# XML 1.0 cannot hold these characters, not even escaped: a template value holding one could be
# exported but never imported again, so the model refuses it where it is typed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An XML attribute name (the ASCII subset: what a template file's attributes use).
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

# The part whose construction is under way, so a nested part built from a mapping (a form row,
# a JSON document) names the section and the place it belongs to, like any other field.
_PARENT: contextvars.ContextVar[Location | None] = contextvars.ContextVar("hdkit_model_parent", default=None)

# The text fields holding an HTTP method (a request's, the OAuth2 token refresh's).
_METHODS = frozenset({"method", "refresh_method"})


def check_text(value: str, where: Location) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        line = value.count("\n", 0, bad.start()) + 1
        column = bad.start() - (value.rfind("\n", 0, bad.start()) + 1) + 1
        raise ModelError(
            f"character U+{ord(bad.group()):04X} cannot be stored in a template "
            "(XML allows no control characters other than tab, newline and carriage return)",
            where.at(line, column),
        )
    return value


def item_where(where: Location, index: int) -> Location:
    """The location of item ``index`` (1-based) of a list field: "Outputs" -> "Output 2"."""
    head, sep, last = (where.field or where.section or "").rpartition(" > ")
    return Location(where.section, f"{head}{sep}{last.removesuffix('s')} {index}")


def _part(value: Any, cls: type[Part], where: Location) -> Part:
    """A nested part: kept as is, or built from a mapping with its errors located under ``where``."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ModelError(f"expected {cls.__name__}, got {type(value).__name__}", where)
    known = {n for n in _dataclass_fields(cls) if not n.isupper()}
    unknown = [str(k) for k in value if k not in known]
    if unknown:
        raise ModelError(f"unknown setting {unknown[0]!r}; expected one of {', '.join(sorted(known))}", where)
    token = _PARENT.set(where)
    try:
        return cls(**value)
    finally:
        _PARENT.reset(token)


def coerce(value: Any, hint: Any, where: Location) -> Any:
    """Return ``value`` checked against ``hint`` (lists become tuples, strings become enums)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if value is None and type(None) in args:
            return None
        if isinstance(value, Unrecognized) and Unrecognized in args:
            return value
        (inner,) = [a for a in args if a not in (type(None), Unrecognized)]
        return coerce(value, inner, where)
    if origin is tuple:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise ModelError(f"expected {_describe(hint)}, got {type(value).__name__}", where)
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is not Ellipsis:  # a pair (an attribute: name, value)
            if len(value) != 2:
                raise ModelError(f"expected a (name, value) pair, got {len(value)} item(s)", where)
            return (coerce(value[0], args[0], where), coerce(value[1], args[1], where))
        return tuple(coerce(v, args[0], item_where(where, i)) for i, v in enumerate(value, 1))
    if isinstance(hint, type) and issubclass(hint, Part):
        return _part(value, hint, where)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        if isinstance(value, hint):
            return value
        if isinstance(value, str):
            for member in hint:
                if value.strip().lower() in (member.value.lower(), member.name.lower()):
                    return member
        raise ModelError(f"unknown value {value!r}; expected {_describe(hint)}", where,
                         hint="a value read from a file that hdkit does not know is kept as "
                              "Unrecognized(...)")
    if hint is Any:
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ModelError(f"expected {_describe(hint)}, got {value!r}", where)
        return value
    if hint is bytes and isinstance(value, bytearray):
        return bytes(value)
    if isinstance(hint, type) and not isinstance(value, hint):
        shown = repr(value) if isinstance(value, (str, int, float)) else type(value).__name__
        raise ModelError(f"expected {_describe(hint)}, got {shown}", where)
    if hint is str:
        return check_text(value, where)
    return value


def check_attrs(attrs: tuple[tuple[str, str], ...], reserved: tuple[str, ...], where: Location) -> None:
    """Other attributes of an element: valid XML names, each once, none that a field holds."""
    seen: set[str] = set()
    for name, _ in attrs:
        if not _XML_NAME.match(name):
            raise ModelError(f"{name!r} is not an XML attribute name", where)
        if name in reserved or name in seen:
            raise ModelError(f"attribute {name!r} is given twice (or is a field of its own)", where)
        seen.add(name)


class Part:
    """Base of every model class: type checks in ``__post_init__``, views, then ``_check()``.

    ``SECTION`` is the form section a part belongs to; a small part used in several sections
    (``Output``, ``CallOption``) has none and names itself by ``PART`` instead, unless it is
    built inside its section from a mapping.
    """

    __slots__ = ()
    SECTION: ClassVar[str] = ""
    PART: ClassVar[str] = ""

    def _where(self, name: str) -> Location:
        title = field_info(self, name).title
        parent = _PARENT.get()
        if parent is not None:
            same = (parent.field or "").rpartition(" > ")[2] == title  # General > Logo, not Logo > Logo
            return Location(parent.section or self.SECTION or None,
                            " > ".join(p for p in (parent.field, None if same else title) if p))
        if self.SECTION:
            return Location(self.SECTION, title)
        if self.PART:
            return Location(None, f"{self.PART} > {title}")
        return Location(title)  # the Template: each of its fields is a section

    def __post_init__(self, *views: Any) -> None:
        hints = _hints(type(self))
        for name, hint in hints.items():
            if name.isupper() or typing.get_origin(hint) is ClassVar or isinstance(hint, dataclasses.InitVar):
                continue
            value = coerce(getattr(self, name), hint, self._where(name))
            if name in _METHODS and hint is str:  # HTTP methods are sent and written upper-case
                value = value.strip().upper()
            object.__setattr__(self, name, value)
        for name, value in zip(view_names(type(self)), views, strict=True):
            if value is UNSET:
                continue
            value = coerce(value, hints[name].type, self._where(name))
            if name in _METHODS and isinstance(value, str):
                value = value.strip().upper()
            if value != getattr(self, name):
                getattr(self, f"_put_{name}")(value)
        self._check()

    def _check(self) -> None:
        """Hard limits a section enforces at construction (none by default)."""

    def _set(self, **values: Any) -> None:
        """Write stored fields from a view setter (the part is still being built)."""
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def replace(self, **changes: Any) -> Any:
        """A copy with ``changes`` (fields or views) applied; views not named stay untouched."""
        return replace(self, **changes)


def replace(obj: Any, **changes: Any) -> Any:
    """``dataclasses.replace`` that passes only the views named in ``changes``.

    The workbench edits the model through this one function (an edit by path rebuilds every
    level with it), so editing a stored field (a contact type) never re-applies a stale view.
    """
    unset = {name: UNSET for name in view_names(type(obj)) if name not in changes}
    return dataclasses.replace(obj, **unset, **changes)


def _reader(getter: Any) -> Any:
    """A view's getter, except for ``dataclasses.replace``, which reads every view it is not
    given to pass it back: it gets UNSET, so it changes only what it is asked to (editing the
    stored requests with it never re-applies a stale view)."""

    def get(self: Any) -> Any:
        caller = sys._getframe(1)
        if caller.f_globals.get("__name__") == "dataclasses" and caller.f_code.co_name in ("replace", "_replace"):
            return UNSET
        return getter(self)

    return get


def model(cls: type) -> type:
    """Make ``cls`` a frozen, slotted dataclass whose views read through ``_get_<name>``."""
    built = dataclass(frozen=True, slots=True)(cls)
    for name in view_names(built):
        getter = getattr(built, f"_get_{name}")
        setattr(built, name, property(_reader(getter), doc=field_info(built, name).title))
    return built


def at_most(items: tuple[Any, ...], limit: int, section: str, noun: str) -> None:
    """Refuse a list longer than its documented limit, naming the first item too many."""
    if len(items) > limit:
        raise LimitError(
            f"at most {limit} {noun.lower()}s are allowed; {noun.lower()} {limit + 1} "
            f"({items[limit].name!r}) is one too many",
            Location(section, f"{noun} {limit + 1}"),
        )
