"""The template library: at most 10 custom templates, like the PBX's Template Management page.

Templates are keyed by ``General.key``. Adding an 11th raises :class:`~hdkit.errors.LimitError`
and leaves the library as it was. With a directory, the library persists itself as one XML file
per template (``<key>.xml``, or the name a user gave the file), each written atomically, so a
crash mid-save never loses a template that was already there.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from pathlib import Path

from hdkit import arguments, limits
from hdkit.errors import LimitError, Location, ModelError
from hdkit.model import Template
from hdkit.yeastar_xml import load, save

__all__ = ["TemplateLibrary"]

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.-]+$")
_SECTION = "Template Library"


class TemplateLibrary:
    """Up to :data:`~hdkit.limits.MAX_TEMPLATES` templates by key, optionally kept in a directory."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self._templates: dict[str, Template] = {}
        self._files: dict[str, Path] = {}  # key -> its file, which a user may have renamed
        self.directory = arguments.path(directory, "TemplateLibrary", "directory") if directory is not None else None
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            for path in sorted(self.directory.glob("*.xml")):
                self._open(path)

    def _open(self, path: Path) -> None:
        """Read one file of the directory; a refusal (a duplicate key, an 11th) names the file."""
        template = load(path)
        try:
            self._put(template, replace=False, persist=False)
        except ModelError as err:
            where = dataclasses.replace(err.location or Location(_SECTION), source=str(path))
            raise type(err)(err.message, where, hint=err.hint) from err
        self._files[template.key] = path

    def __len__(self) -> int:
        return len(self._templates)

    def __iter__(self) -> Iterator[Template]:
        return iter(list(self._templates.values()))

    def __contains__(self, key: object) -> bool:
        return key in self._templates

    def keys(self) -> list[str]:
        return list(self._templates)

    def get(self, key: str) -> Template:
        try:
            return self._templates[key]
        except KeyError:
            raise ModelError(f"no template with key {key!r}", Location(_SECTION, "Key")) from None

    def add(self, template: Template) -> Template:
        """Add a new template; its key must be new and the library not full."""
        return self._put(template, replace=False)

    def replace(self, template: Template) -> Template:
        """Replace the template with the same key (which must exist)."""
        arguments.instance(template, Template, "TemplateLibrary.replace", "template", arguments.TEMPLATE_FROM)
        if template.key not in self._templates:
            raise ModelError(f"no template with key {template.key!r} to replace", Location(_SECTION, "Key"))
        return self._put(template, replace=True)

    def remove(self, key: str) -> Template:
        template = self.get(key)
        if self.directory is not None:
            self._path(key).unlink(missing_ok=True)
            self._files.pop(key, None)
        del self._templates[key]
        return template

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self._files.get(key, self.directory / f"{key}.xml")

    def _put(self, template: Template, *, replace: bool, persist: bool = True) -> Template:
        arguments.instance(template, Template, "TemplateLibrary.replace" if replace else "TemplateLibrary.add",
                           "template", arguments.TEMPLATE_FROM)
        key = template.key
        where = Location(_SECTION, "Key")
        if not key or not _SAFE_KEY.match(key):
            raise ModelError(f"template key {key!r} must be letters, digits, '_', '-' or '.'", where)
        if key in self._templates and not replace:
            raise ModelError(f"a template with key {key!r} is already in the library", where,
                             hint="use replace() to update it")
        if key not in self._templates and len(self._templates) >= limits.MAX_TEMPLATES:
            raise LimitError(
                f"the library holds at most {limits.MAX_TEMPLATES} custom templates; "
                f"remove one before adding {key!r}",
                Location(_SECTION, f"Template {limits.MAX_TEMPLATES + 1}"),
            )
        if persist and self.directory is not None:
            save(template, self._path(key), check=False)
            self._files[key] = self._path(key)
        self._templates[key] = template
        return template
