"""The template: its sections, what import kept unread, and how its file spelled things.

:class:`Template` is what everything in hdkit reads or writes: the forms edit it, the engine
runs it, the XML adapter (``yeastar_xml``) reads and writes it. It is immutable: edit it with
:meth:`~hdkit.model.base.Part.replace` (or ``dataclasses.replace``).

``file`` is the :class:`FileRecord` of a template read from a file: its source, the warnings
import raised (each naming its line) and an opaque record of the file's spelling, which export
uses to write the file back as it came. It is not part of the template's meaning, so it takes
no part in equality: import -> export -> import gives an equal template.

:class:`Inputs` holds the values a user types into the template's custom fields when
integrating; it is *not* part of the template and is never exported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hdkit import limits
from hdkit.arguments import surrogate
from hdkit.errors import Location, ModelError
from hdkit.model.base import (
    Part,
    at_most,
    fld,
    model,
)
from hdkit.model.enums import FieldType
from hdkit.model.requests import FollowUpRequest, Request
from hdkit.model.sections import (
    Auth,
    CallJournal,
    ContactCreation,
    ContactSearch,
    CustomField,
    Extra,
    General,
    Header,
    KeywordSearch,
    NewTicket,
    UserAssociation,
)
from hdkit.problems import Problem
from hdkit.secrets import Secret
from hdkit.vocabulary import (
    AUTHENTICATION,
    CALL_JOURNAL,
    CONTACT_CREATION,
    CONTACT_SEARCH,
    EXTRAS,
    FOLLOW_UPS,
    GENERAL,
    HEADERS,
    KEYWORD_SEARCH,
    NEW_TICKET,
    USER_ASSOCIATION,
)

__all__ = ["FileRecord", "Inputs", "Template"]


@dataclass(frozen=True, slots=True, eq=False)
class FileRecord:
    """Where a template was read from: the file, its import warnings, its spelling (opaque), and
    the file position of each part the form names (``("Contact Search", "Contact Type 2")``).

    ``spelling`` belongs to the XML adapter that wrote it; nothing else looks inside.
    """

    source: str | None = None
    warnings: tuple[Problem, ...] = ()
    spelling: Any = None
    positions: Mapping[tuple[str | None, str | None], tuple[int, int]] = field(default_factory=dict)

    def position(self, section: str | None, field_name: str | None) -> tuple[int, int] | None:
        """The file line and column of a form field: the field's own element, else the nearest
        enclosing part (``Contact Type 2 > Request Body`` -> the request), else the section."""
        parts = (field_name or "").split(" > ")
        for n in range(len(parts), -1, -1):
            found = self.positions.get((section, " > ".join(parts[:n]) if n else None))
            if found is not None:
                return found
        return None

    def edited(self, section: str) -> FileRecord:
        """This record once a list of ``section`` changed after opening: its parts lose their file
        line, which would now point elsewhere (a removed item renumbers the rest), so a problem
        there is located by section and field only; the other sections keep theirs."""
        kept = {key: pos for key, pos in self.positions.items() if key[0] != section}
        return dataclasses.replace(self, positions=kept)

    def __repr__(self) -> str:
        return f"FileRecord(source={self.source!r}, {len(self.warnings)} warning(s))"


@model
class Template(Part):
    general: General = fld(GENERAL, factory=General)
    auth: Auth = fld(AUTHENTICATION, factory=Auth)
    headers: tuple[Header, ...] = fld(HEADERS, (), limit=limits.MAX_HEADERS)
    user_association: UserAssociation = fld(USER_ASSOCIATION, factory=UserAssociation)
    follow_ups: tuple[FollowUpRequest, ...] = fld(FOLLOW_UPS, ())
    contact_search: ContactSearch = fld(CONTACT_SEARCH, factory=ContactSearch)
    keyword_search: KeywordSearch = fld(KEYWORD_SEARCH, factory=KeywordSearch)
    contact_creation: ContactCreation = fld(CONTACT_CREATION, factory=ContactCreation)
    call_journal: CallJournal = fld(CALL_JOURNAL, factory=CallJournal)
    new_ticket: NewTicket = fld(NEW_TICKET, factory=NewTicket)
    extras: tuple[Extra, ...] = fld(EXTRAS, ())
    file: FileRecord | None = fld("File", None, hidden=True, compare=False)

    # The request lists of each section: (attribute, attribute inside it or "", section).
    REQUEST_LISTS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("user_association", "requests", USER_ASSOCIATION),
        ("follow_ups", "", FOLLOW_UPS),
        ("contact_search", "contact_types", CONTACT_SEARCH),
        ("keyword_search", "contact_types", KEYWORD_SEARCH),
        ("contact_creation", "contact_types", CONTACT_CREATION),
        ("call_journal", "requests", CALL_JOURNAL),
        ("new_ticket", "requests", NEW_TICKET),
    )

    def _check(self) -> None:
        at_most(self.headers, limits.MAX_HEADERS, Header)

    @property
    def key(self) -> str:
        return self.general.key

    def follow_up(self, name: str) -> FollowUpRequest | None:
        """The follow-up request called ``name``, or None."""
        return next((f for f in self.follow_ups if f.name == name), None)

    def requests(self) -> Iterator[tuple[str, str, Request]]:
        """Every request of every scenario: (section, "Contact Type 2" style label, request)."""
        for attr, inner, section in self.REQUEST_LISTS:
            part = getattr(self, attr)
            items = getattr(part, inner) if inner else part
            for i, request in enumerate(items, 1):
                yield section, request.label(i), request

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """What import said about the file (each naming its line); empty for a built template."""
        return self.file.warnings if self.file else ()


class Inputs(Mapping[str, "str | Secret"]):
    """The values a user enters for a template's custom fields (not part of the template).

    Password Input values are wrapped in :class:`~hdkit.secrets.Secret`; unknown names and
    dropdown values outside the options raise :class:`~hdkit.errors.ModelError`. Fields the
    user left out are absent (the engine decides what a missing value means).
    """

    __slots__ = ("_values",)

    def __init__(self, custom_fields: tuple[CustomField, ...], values: Mapping[str, Any]) -> None:
        self._values: dict[str, str | Secret] = {}  # a half-built Inputs still has a repr (tracebacks)
        by_name = {f.name: f for f in custom_fields}
        checked: dict[str, str | Secret] = {}
        for name, value in values.items():
            where = Location(AUTHENTICATION, name)
            spec = by_name.get(name)
            if spec is None:
                known = ", ".join(by_name) or "none"
                raise ModelError(f"unknown custom field {name!r} (template fields: {known})", where)
            text = value.reveal() if isinstance(value, Secret) else value
            if not isinstance(text, str):  # None must not become the password "None"
                raise ModelError(f"expected text, got {'None' if text is None else type(text).__name__}", where)
            at = surrogate(text)
            if at is not None:  # the value itself is never quoted: it may be a secret
                raise ModelError(f"character {at + 1} is a lone surrogate: text no request can carry", where)
            if spec.type is FieldType.PASSWORD:
                checked[name] = value if isinstance(value, Secret) else Secret(value)
                continue
            value = text
            if spec.type is FieldType.DROPDOWN and value not in spec.options:
                raise ModelError(
                    f"{value!r} is not an option of {name!r} (options: {', '.join(spec.options)})",
                    where,
                )
            checked[name] = value
        self._values = checked

    @classmethod
    def for_template(cls, template: Template, values: Mapping[str, Any]) -> Inputs:
        return cls(template.auth.custom_fields, values)

    def __getitem__(self, name: str) -> str | Secret:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Inputs({self._values!r})"

    def secrets(self) -> list[Secret]:
        """Every secret value, for a :class:`~hdkit.secrets.Redactor`."""
        return [v for v in self._values.values() if isinstance(v, Secret)]
