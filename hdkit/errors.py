"""One error tree for hdkit, and the Location every error and problem carries.

Users fix what they can find: every error says *what* was wrong and *where* (template section,
field, and line/column inside a value or file), and may quote the offending line with a caret,
the way Go's text/template does. Foreign exceptions (defusedxml, pygjson, jsonpath-ng, httpx)
are translated into this tree at the one place hdkit calls them, with ``raise ... from``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "ArgumentError",
    "AuthError",
    "EngineError",
    "FileError",
    "HdkitError",
    "HelpdeskError",
    "LimitError",
    "Location",
    "ModelError",
    "PathError",
    "TemplateError",
    "TemplateExecError",
    "TemplateSyntaxError",
    "UnsupportedPathError",
    "ValidationFailed",
    "XMLFormatError",
    "caret_snippet",
]


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is: a template section and field, and a position inside its value.

    ``line`` and ``column`` are 1-based. ``source`` names a file or template when there is one.
    """

    section: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.source:
            parts.append(self.source)
        where = " > ".join(p for p in (self.section, self.field) if p)
        if where:
            parts.append(where)
        if self.line is not None:
            pos = f"line {self.line}"
            if self.column is not None:
                pos += f", column {self.column}"
            parts.append(pos)
        return ": ".join(parts) if parts else "<unknown location>"

    def at(self, line: int | None, column: int | None) -> Location:
        """The same section and field, at a position inside the value."""
        return Location(self.section, self.field, line, column, self.source)

    def within(self, section: str | None = None, field: str | None = None) -> Location:
        """Fill in the section/field this location sits in, keeping its position."""
        return Location(
            section if self.section is None else self.section,
            field if self.field is None else self.field,
            self.line,
            self.column,
            self.source,
        )


def caret_snippet(text: str, line: int, column: int, width: int = 100) -> str:
    """Quote line ``line`` of ``text`` with a caret under ``column`` (both 1-based).

    Long lines are windowed around the column so the caret stays visible.
    """
    lines = text.splitlines() or [""]
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1].expandtabs(1)
    col = max(1, column)
    start = 0
    if len(src) > width:
        start = max(0, min(col - 1 - width // 2, len(src) - width))
        src = src[start : start + width]
    return f"    {src}\n    {' ' * (col - 1 - start)}^"


class HdkitError(Exception):
    """Root of every error hdkit raises on purpose.

    ``message`` says what is wrong, ``location`` where, ``hint`` how to fix it, and
    ``snippet`` (optional) quotes the offending text with a caret.
    """

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        *,
        hint: str | None = None,
        snippet: str | None = None,
    ) -> None:
        self.message = message
        self.location = location
        self.hint = hint
        self.snippet = snippet
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.snippet:
            text += "\n" + self.snippet
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __reduce__(self):  # keep keyword-only args through pickling (multiprocessing, nbclient)
        return (_rebuild, (type(self), self.message, self.location, self.hint, self.snippet))


def _rebuild(cls, message, location, hint, snippet):  # pragma: no cover - pickling helper
    err = cls.__new__(cls)
    HdkitError.__init__(err, message, location, hint=hint, snippet=snippet)
    return err


class TemplateError(HdkitError, ValueError):
    """A Go text/template that cannot be compiled or rendered."""


class TemplateSyntaxError(TemplateError):
    """The template does not parse (Go's ``template: name:line:col: ...`` errors)."""


class TemplateExecError(TemplateError):
    """The template parsed but failed while rendering (Go's ``executing ...`` errors)."""


class PathError(HdkitError, ValueError):
    """A GJSON or JSONPath expression that cannot be compiled or applied."""


class UnsupportedPathError(PathError):
    """No longer raised: hdkit answers every GJSON path the way Go's gjson does (issue 13).
    Kept, still a :class:`PathError`, so that code catching it keeps working."""


class ModelError(HdkitError, ValueError):
    """A template model value that breaks a rule of the product (type, enum, required)."""


class LimitError(ModelError):
    """A documented limit is exceeded (6th custom field, 21st header, 11th template...)."""


class ArgumentError(HdkitError, ValueError, TypeError):
    """A Python API call given what it cannot take: ``None`` or a number where text belongs, a
    lone surrogate (text no file or request can carry), an empty list of call events.

    Both a ValueError and a TypeError, so code written against the builtins keeps working.
    """


class FileError(HdkitError, OSError):
    """A file hdkit was asked to write could not be written (a missing folder, no permission).

    The message names the file asked for, never the temporary file beside it; ``errno`` and
    ``strerror`` are the operating system's, so it is also an OSError.
    """

    def __init__(self, message: str, location: Location | None = None, *, errno: int | None = None,
                 strerror: str | None = None, filename: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, location, hint=hint)
        self.errno, self.strerror, self.filename = errno, strerror, filename

    def __str__(self) -> str:  # OSError's would print "[Errno 2] ..." and lose the file's name
        return self._render()


class XMLFormatError(HdkitError, ValueError):
    """A template XML file that cannot be read; the location carries file line/column."""


class ValidationFailed(HdkitError):
    """An action (export, run) refused because validation found errors.

    ``message`` says what was refused (``2 error(s); not exported``: see
    :func:`hdkit.validate.require_valid`, the one place that raises it); ``problems`` holds every
    problem found, warnings too. The text lists the errors, each with its location.
    """

    def __init__(self, message: str, problems: list[Any], location: Location | None = None) -> None:
        self.problems = list(problems)
        super().__init__(message, location)

    @property
    def errors(self) -> list[Any]:
        """The problems that block the action."""
        return [p for p in self.problems if getattr(p, "is_error", True)]

    def _render(self) -> str:
        return "\n".join([super()._render(), *(f"  {p}" for p in self.errors)])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.problems, self.location))


class EngineError(HdkitError, RuntimeError):
    """A scenario could not run (unreachable helpdesk, missing input, bad response)."""


class AuthError(EngineError):
    """Authentication failed or needs the user (OAuth2 consent, expired refresh token)."""


class HelpdeskError(EngineError):
    """The helpdesk answered with an error the engine cannot recover from."""
