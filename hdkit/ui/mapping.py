"""Where a suggested path goes in the template: the one bridge from a suggestion to an edit.

A suggestion names a PBX field (``contact``/``user`` and the field's key, see
:mod:`hdkit.suggest`); :func:`mapping_edit` turns it into the store edit that maps that field
(a contact field is enabled too; the pop-up URL switches to "Retrieve from Contact Fields"), and
:func:`mapped_path` says what the field reads now.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hdkit.model import PopupMode, Template
from hdkit.ui.state import Path

__all__ = ["mapped_path", "mapping_edit"]

POPUP = "popup_url"


def mapped_path(template: Template, kind: str, key: str) -> str:
    """The path field ``key`` of ``kind`` (``contact`` or ``user``) is mapped to now ("" if none)."""
    if kind == "user":
        return str(getattr(template.user_association.fields, key, ""))
    search = template.contact_search
    if key == POPUP:
        return search.popup.contact_field_path if search.popup.mode is PopupMode.CONTACT_FIELD else ""
    mapping = getattr(search.fields, key, None)
    return mapping.path if mapping is not None and mapping.enabled else ""


def mapping_edit(template: Template, kind: str, key: str, path: str) -> tuple[Path, Any]:
    """The (store path, value) that maps field ``key`` of ``kind`` to ``path``."""
    if kind == "user":
        return ("user_association", "fields", key), path
    search = template.contact_search
    if key == POPUP:
        popup = dataclasses.replace(search.popup, mode=PopupMode.CONTACT_FIELD, contact_field_path=path)
        return ("contact_search", "popup"), popup
    mapping = getattr(search.fields, key)
    return ("contact_search", "fields", key), dataclasses.replace(mapping, enabled=True, path=path)
