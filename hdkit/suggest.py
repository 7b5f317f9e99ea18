"""Mapping suggestions: which GJSON path of a sample response fills each PBX field.

Finding ``data.#.properties.mobilephone`` in a 3 kB response is the slowest part of writing a
template. Given a response body (the last one a Try returned), :func:`suggest_paths` finds the
record lists in it (arrays of objects, or one object), lists every field of those records
(nested objects flattened, typed sub-lists such as ``phones: [{"type": "mobile", ...}]`` turned
into queries), and scores each candidate for each PBX field by its name and by what it holds (an
email looks like one, a phone number has 7-15 digits, the number just searched for wins).

Every candidate is then asked of the body through :mod:`hdkit.paths`, the same GJSON the engine
uses, so the values shown beside a suggestion are exactly what the PBX would read with it;
candidates that yield nothing are dropped. Usable from Python, the CLI and the workbench (which
applies one through its store's one edit function).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from hdkit.errors import HdkitError
from hdkit.paths import MISSING, compile_path, go_string, load_json
from hdkit.responses import gjson_key

__all__ = [
    "CONTACT_TARGETS",
    "USER_TARGETS",
    "Suggestion",
    "Target",
    "suggest_paths",
]


@dataclass(frozen=True)
class Target:
    """A PBX field a path can be suggested for. ``key`` names it as the model does."""

    key: str
    title: str
    kind: str  # id, first_name, last_name, email, phone, url
    words: tuple[str, ...]  # key names that mean this field, normalised (lower case, no _ - space)


_ID = ("id", "contactid", "userid", "uid", "uuid", "key", "objectid", "recordid", "externalid")
_FIRST = ("firstname", "givenname", "fname", "first", "forename")
_LAST = ("lastname", "surname", "familyname", "lname", "last")
_EMAIL = ("email", "emailaddress", "mail", "primaryemail", "workemail")
_URL = ("url", "contacturl", "htmlurl", "weburl", "link", "profileurl", "permalink", "href", "self", "appurl")

CONTACT_TARGETS: tuple[Target, ...] = (
    Target("contact_id", "Contact ID", "id", _ID),
    Target("first_name", "First Name", "first_name", _FIRST),
    Target("last_name", "Last Name", "last_name", _LAST),
    Target("email", "Email", "email", _EMAIL),
    Target("business_number", "Business Number",
           "phone", ("phone", "phonenumber", "workphone", "businessphone", "telephone", "tel", "office", "officephone",
                     "work", "business", "directphone", "main")),
    Target("business_number2", "Business Number 2", "phone", ("phone2", "workphone2", "businessphone2", "otherphone")),
    Target("business_fax_number", "Business Fax", "phone", ("fax", "businessfax", "workfax", "faxnumber")),
    Target("mobile_number", "Mobile", "phone", ("mobile", "mobilephone", "cell", "cellphone", "mobilenumber", "cellular")),
    Target("mobile_number2", "Mobile 2", "phone", ("mobile2", "mobilephone2", "cell2")),
    Target("home_number", "Home", "phone", ("home", "homephone", "homenumber", "privatephone")),
    Target("home_number2", "Home 2", "phone", ("home2", "homephone2")),
    Target("home_fax_number", "Home Fax", "phone", ("homefax",)),
    Target("other_number", "Other", "phone", ("other", "otherphone", "otherphonenumber", "alternatephone")),
    Target("popup_url", "Contact Popup URL", "url", _URL),
)

USER_TARGETS: tuple[Target, ...] = (
    Target("user_id", "User Unique ID", "id", _ID),
    Target("first_name", "First Name", "first_name", _FIRST),
    Target("last_name", "Last Name", "last_name", _LAST),
    Target("email", "Email", "email", _EMAIL),
)


@dataclass(frozen=True)
class Suggestion:
    """One candidate path for one PBX field, with the values it yields on the sample."""

    target: str
    title: str
    path: str
    values: tuple[str, ...]
    score: float
    why: str

    def __str__(self) -> str:
        shown = ", ".join(self.values[:3]) + (" ..." if len(self.values) > 3 else "")
        return f"{self.title}: {self.path} -> {shown} ({self.why})"


# --------------------------------------------------------------------------- candidates

_MAX_RECORDS = 20  # records sampled per list for field names
_MAX_DEPTH = 3  # nesting followed inside a record (properties.address.city)
_LABELS = ("type", "label", "kind", "name", "category", "purpose")
_VALUES = ("value", "number", "phone", "address", "email", "url", "uri")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _record_lists(doc: Any) -> Iterator[tuple[str, list[dict[str, Any]], bool]]:
    """(path, records, is_array) of every list of records (arrays of objects, breadth-first),
    else of the document itself when it is one object."""
    found = False
    queue: list[tuple[Any, str, int]] = [(doc, "", 0)]
    while queue:
        item, path, depth = queue.pop(0)
        if isinstance(item, list) and any(isinstance(v, dict) for v in item[:_MAX_RECORDS]):
            found = True
            yield path, [v for v in item if isinstance(v, dict)], True
            continue
        if isinstance(item, dict) and depth < _MAX_DEPTH:
            queue += [(v, _join(path, k), depth + 1) for k, v in item.items() if isinstance(v, (dict, list))]
    if not found and isinstance(doc, dict):
        yield "", [doc], False


def _join(parent: str, key: str) -> str:
    return f"{parent}.{gjson_key(key)}" if parent else gjson_key(key)


def _fields(records: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Sub-path inside a record -> the last key's name (for scoring), in first-seen order."""
    out: dict[str, str] = {}

    def walk(obj: dict[str, Any], prefix: str, depth: int) -> None:
        for key, value in obj.items():
            sub = _join(prefix, key)
            if isinstance(value, dict) and depth < _MAX_DEPTH:
                walk(value, sub, depth + 1)
            elif isinstance(value, list):
                _typed(value, sub, key)
            else:
                out.setdefault(sub, key)

    def _typed(items: list[Any], sub: str, key: str) -> None:
        objects = [v for v in items if isinstance(v, dict)]
        if not objects:
            if items:
                out.setdefault(f"{sub}.0", key)
            return
        label = next((k for k in _LABELS if all(k in o for o in objects)), None)
        value = next((k for k in objects[0] if _norm(k) in _VALUES), None)
        if label and value:
            for o in objects:
                name = str(o[label])
                query = name.replace("\\", "\\\\").replace('"', '\\"')
                out.setdefault(f'{sub}.#({gjson_key(label)}=="{query}").{gjson_key(value)}', name)
        elif value:
            out.setdefault(f"{sub}.0.{gjson_key(value)}", key)

    for record in records[:_MAX_RECORDS]:
        walk(record, "", 0)
    return out


def _candidates(doc: Any) -> dict[str, str]:
    """Full GJSON path -> the name it is scored by."""
    out: dict[str, str] = {}
    for path, records, is_array in _record_lists(doc):
        base = f"{path}.#" if path else "#"
        for sub, name in _fields(records).items():
            full = f"{base}.{sub}" if is_array else (f"{path}.{sub}" if path else sub)
            out.setdefault(full, name)
    return out


# --------------------------------------------------------------------------- scoring

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_NAME_RE = re.compile(r"^[^\W\d_][^\d@/]{0,60}$")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _is_phone(text: str) -> bool:
    return bool(re.fullmatch(r"[+()\d\s./-]{7,25}", text)) and 7 <= len(_digits(text)) <= 15


def _share(values: Sequence[str], test: Any) -> float:
    filled = [v for v in values if v]
    return sum(1 for v in filled if test(v)) / len(filled) if filled else 0.0


def _name_score(name: str, target: Target) -> tuple[float, str]:
    key = _norm(name)
    if key in target.words:
        return 3.0, f"named {name!r}"
    if any(w in key for w in target.words if len(w) >= 4):
        return 1.5, f"named {name!r}"
    return 0.0, ""


def _qualifies(target: Target, by_name: float, why_value: str) -> bool:
    """Name evidence is needed, except where the value says it all: an email address, a link,
    or (for the main phone field) the very number that was searched for."""
    if by_name > 0:
        return True
    if target.kind in ("email", "url"):
        return bool(why_value)
    return target.key == _MAIN_PHONE and why_value == _SEARCHED


_MAIN_PHONE = "business_number"
_SEARCHED = "holds the number searched for"


def _value_score(values: Sequence[str], target: Target, phone: str) -> tuple[float, str]:
    filled = [v for v in values if v]
    if not filled:
        return -2.0, "always empty"
    if target.kind == "email":
        share = _share(values, _EMAIL_RE.match)
        return (2.0 * share, "holds email addresses") if share else (-1.0, "")
    if target.kind == "url":
        share = _share(values, _URL_RE.match)
        return (2.0 * share, "holds links") if share else (-2.0, "")
    if target.kind == "phone":
        share = _share(values, _is_phone)
        if not share:
            return -2.0, ""
        wanted = _digits(phone)[-7:]
        if wanted and any(_digits(v).endswith(wanted) for v in filled):
            return 2.0 * share + 2.0, _SEARCHED
        return 2.0 * share, "holds phone numbers"
    if target.kind == "id":
        unique = len(set(filled)) == len(filled)
        bare = all(re.fullmatch(r"[\w.:-]{1,64}", v) for v in filled)
        if _share(values, _EMAIL_RE.match) or _share(values, _is_phone) == 1.0 and not bare:
            return -1.0, ""
        return (1.0, "unique values") if unique and bare else (-1.0, "")
    share = _share(values, _NAME_RE.match)  # first or last name
    return (0.5 * share, "holds names") if share else (-1.5, "")


def _values(doc_text: str, path: str) -> tuple[str, ...] | None:
    """What GJSON yields for ``path`` on the body, as Go strings; None when nothing."""
    try:
        result = compile_path(path).get(doc_text)
    except HdkitError:
        return None
    if not result.exists:
        return None
    value = result.value()
    items = value if isinstance(value, list) else [value]
    return tuple("" if v is None or v is MISSING else go_string(v) for v in items)


def suggest_paths(body: str, targets: Sequence[Target] = CONTACT_TARGETS, *, phone: str = "",
                  limit: int = 3) -> dict[str, list[Suggestion]]:
    """For each target (by ``key``), up to ``limit`` candidate paths, best first.

    ``body`` is a JSON response (a contact search's for :data:`CONTACT_TARGETS`, a user list's
    for :data:`USER_TARGETS`); ``phone`` the number that was searched, so the field holding it
    ranks first. A body that is not JSON gives no suggestions (a :class:`~hdkit.errors.PathError`
    says where it breaks).
    """
    doc = load_json(body)
    candidates = _candidates(doc)
    values = {path: _values(body, path) for path in candidates}
    out: dict[str, list[Suggestion]] = {}
    for target in targets:
        ranked: list[Suggestion] = []
        for path, name in candidates.items():
            got = values[path]
            if got is None:
                continue
            by_name, why_name = _name_score(name, target)
            by_value, why_value = _value_score(got, target, phone)
            score = by_name + by_value
            if score <= 1.0 or not _qualifies(target, by_name, why_value):
                continue
            why = ", ".join(w for w in (why_name, why_value) if w)
            ranked.append(Suggestion(target.key, target.title, path, got, round(score, 2), why))
        ranked.sort(key=lambda s: (-s.score, len(s.path)))
        out[target.key] = ranked[:limit]
    _full_name_fallback(out, candidates, values, targets)
    return out


def _full_name_fallback(out: dict[str, list[Suggestion]], candidates: dict[str, str],
                        values: dict[str, tuple[str, ...] | None], targets: Sequence[Target]) -> None:
    """A helpdesk that keeps one ``name`` field: offer it for First Name (the PBX shows it whole)."""
    if "first_name" not in out or out["first_name"] or not any(t.key == "first_name" for t in targets):
        return
    for path, name in candidates.items():
        got = values[path]
        if _norm(name) in ("name", "fullname", "displayname", "contactname") and got and any(got):
            out["first_name"].append(Suggestion("first_name", "First Name", path, got, 1.5,
                                                f"named {name!r}: the whole name, shown as the first name"))
            return
