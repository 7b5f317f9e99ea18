"""The template: one frozen dataclass per section of the Yeastar Helpdesk template form.

Everything in hdkit reads or writes this model: the forms edit it, the engine runs it, the XML
adapter (``yeastar_xml``) reads and writes it. It is immutable (edit with
``dataclasses.replace``) and checks its data at the edge, the way attrs does: constructing a
section with a wrong type, an unknown enum value, a non-numeric number or more items than a hard
limit allows raises :class:`~hdkit.errors.ModelError` / :class:`~hdkit.errors.LimitError`
naming the section and field, as does text holding a character XML cannot store (a template
that could be exported but never imported again). A nested part given as a mapping
(``CallJournal(subject={"enabled": True})``) is built in place, so its errors name the section
and the place (``Call Journal > Subject > Enabled``); a small part built alone (``CallOption``,
``Output``) can only name itself. Everything softer (required fields, template syntax, paths,
unknown variables) is reported all at once by :func:`hdkit.validate.validate`.

Field metadata (title, help, example, limit) lives once, on the fields, and feeds validation
messages and form labels: see :func:`field_info`.

:class:`Inputs` holds the values a user types into the template's custom fields when
integrating; it is *not* part of the template and is never exported.
"""

from __future__ import annotations

import contextvars
import dataclasses
import enum
import re
import struct
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hdkit import limits
from hdkit.errors import LimitError, Location, ModelError
from hdkit.secrets import Secret

__all__ = [
    "Auth",
    "AuthMethod",
    "BasicAuth",
    "CONTACT_VARIABLES",
    "CallJournal",
    "CallOption",
    "ContactCreation",
    "ContactFields",
    "ContactSearch",
    "ContactType",
    "ContentType",
    "CreationType",
    "CredentialType",
    "CustomField",
    "Extra",
    "FieldInfo",
    "FieldMapping",
    "FieldType",
    "FollowUpEvent",
    "FollowUpRequest",
    "General",
    "Header",
    "Inputs",
    "Logo",
    "NewTicket",
    "OAuth2",
    "Output",
    "Pagination",
    "PaginationMode",
    "Popup",
    "PopupMode",
    "Provider",
    "Template",
    "UserAssociation",
    "UserFields",
    "field_info",
    "split_list",
]

# Section names as the product's template form titles them; every Location uses these.
GENERAL = "General"
USER_ASSOCIATION = "User Association"
AUTHENTICATION = "Authentication"
HEADERS = "Headers"
FOLLOW_UPS = "Follow-up Requests"
CONTACT_SEARCH = "Contact Search"
CONTACT_CREATION = "Contact Creation"
CALL_JOURNAL = "Call Journal"
NEW_TICKET = "New Ticket"
EXTRAS = "Extras"


# --------------------------------------------------------------------------- enums


class _Choice(str, enum.Enum):
    """A closed set whose values are the strings users and files spell."""

    def __str__(self) -> str:
        return self.value


class Provider(_Choice):
    HELPDESK = "helpdesk"
    CRM = "crm"


class AuthMethod(_Choice):
    NONE = "none"
    BASIC = "basic"
    OAUTH2 = "oauth2"
    BEARER = "bearer_token"

    @property
    def sets_authorization(self) -> bool:
        """Whether the PBX adds an ``Authorization`` header itself for this method."""
        return self is not AuthMethod.NONE


class CredentialType(_Choice):
    USERNAME_PASSWORD = "username_password"
    API_KEY = "api_key"


class ContentType(_Choice):
    FORM = "application/x-www-form-urlencoded"
    JSON = "application/json"


class FieldType(_Choice):
    TEXT = "text"
    PASSWORD = "password"
    DROPDOWN = "dropdown"


class PaginationMode(_Choice):
    DISABLED = "disabled"
    PAGE = "page"
    OFFSET = "offset"
    NEXT_LINK = "next_link"


class PopupMode(_Choice):
    URL_FORMAT = "url_format"
    CONTACT_FIELD = "contact_field"


class FollowUpEvent(_Choice):
    """System events that trigger a follow-up request (the engine dispatches on these)."""

    AUTHENTICATED = "authenticated"
    CALL_RINGING = "call_ringing"
    CALL_ANSWERED = "call_answered"
    CALL_ENDED = "call_ended"
    CONTACT_MATCHED = "contact_matched"
    CONTACT_NOT_FOUND = "contact_not_found"
    CONTACT_CREATED = "contact_created"
    CALL_JOURNAL_CREATED = "call_journal_created"
    TICKET_CREATED = "ticket_created"


# --------------------------------------------------------------------------- field metadata


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """What a form label, a hint and a validation message say about one field."""

    title: str
    help: str = ""
    example: str = ""
    limit: int | None = None
    required: bool = False


def _f(
    title: str,
    default: Any = dataclasses.MISSING,
    *,
    factory: Any = dataclasses.MISSING,
    help: str = "",
    example: str = "",
    limit: int | None = None,
    required: bool = False,
) -> Any:
    info = FieldInfo(title, help, example, limit, required)
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata={"info": info})
    return field(default=default, metadata={"info": info})


def field_info(cls_or_obj: Any, name: str) -> FieldInfo:
    """The metadata of field ``name`` of a model class or instance."""
    for f in dataclasses.fields(cls_or_obj):
        if f.name == name:
            return f.metadata.get("info") or FieldInfo(name)
    raise KeyError(name)


def split_list(text: str) -> list[str]:
    """Split a comma separated setting (dropdown options, variable names), dropping blanks."""
    return [part.strip() for part in text.split(limits.LIST_SEPARATOR) if part.strip()]


# --------------------------------------------------------------------------- checking at the edge

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, globals())
    return _HINTS[cls]


def _describe(hint: Any) -> str:
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return "one of " + ", ".join(repr(m.value) for m in hint)
    names = {bool: "true or false", int: "a whole number", str: "text", bytes: "bytes"}
    if hint in names:
        return names[hint]
    if typing.get_origin(hint) is tuple:
        return "a list of " + _describe(typing.get_args(hint)[0])
    return getattr(hint, "__name__", str(hint))


# XML 1.0 cannot hold these characters, not even escaped: a template value holding one could be
# exported but never imported again, so the model refuses it where it is typed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# The part whose construction is under way, so a nested part built from a mapping (a form row,
# a JSON document) names the section and the place it belongs to, like any other field.
_PARENT: contextvars.ContextVar[Location | None] = contextvars.ContextVar("hdkit_model_parent", default=None)


# The text fields holding an HTTP method (a request's, the OAuth2 token refresh's).
_METHODS = frozenset({"method", "refresh_method"})


def _check_text(value: str, where: Location) -> str:
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


def _item(where: Location, index: int) -> Location:
    """The location of item ``index`` (1-based) of a list field: "Outputs" -> "Output 2"."""
    head, sep, last = (where.field or where.section or "").rpartition(" > ")
    return Location(where.section, f"{head}{sep}{last.removesuffix('s')} {index}")


def _part(value: Any, cls: type[_Section], where: Location) -> _Section:
    """A nested part: kept as is, or built from a mapping with its errors located under ``where``."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ModelError(f"expected {cls.__name__}, got {type(value).__name__}", where)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = [str(k) for k in value if k not in known]
    if unknown:
        raise ModelError(f"unknown setting {unknown[0]!r}; expected one of {', '.join(sorted(known))}", where)
    token = _PARENT.set(where)
    try:
        return cls(**value)
    finally:
        _PARENT.reset(token)


def _coerce(value: Any, hint: Any, where: Location) -> Any:
    """Return ``value`` checked against ``hint`` (lists become tuples, strings become enums)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _coerce(value, inner, where)
    if origin is tuple:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise ModelError(f"expected {_describe(hint)}, got {type(value).__name__}", where)
        item = typing.get_args(hint)[0]
        return tuple(_coerce(v, item, _item(where, i)) for i, v in enumerate(value, 1))
    if isinstance(hint, type) and issubclass(hint, _Section):
        return _part(value, hint, where)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        if isinstance(value, hint):
            return value
        if isinstance(value, str):
            for member in hint:
                if value.strip().lower() in (member.value.lower(), member.name.lower()):
                    return member
        raise ModelError(f"unknown value {value!r}; expected {_describe(hint)}", where)
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
        return _check_text(value, where)
    return value


class _Section:
    """Base of every model class: type checks in ``__post_init__``, then ``_check()``.

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

    def __post_init__(self) -> None:
        for name, hint in _hints(type(self)).items():
            if name.isupper() or typing.get_origin(hint) is ClassVar:
                continue
            value = _coerce(getattr(self, name), hint, self._where(name))
            if name in _METHODS and hint is str:  # HTTP methods are sent and written upper-case
                value = value.strip().upper()
            object.__setattr__(self, name, value)
        self._check()

    def _check(self) -> None:
        """Hard limits a section enforces at construction (none by default)."""


def _model(cls: type) -> type:
    return dataclass(frozen=True, slots=True)(cls)


def _at_most(items: tuple[Any, ...], limit: int, section: str, noun: str) -> None:
    """Refuse a list longer than its documented limit, naming the first item too many."""
    if len(items) > limit:
        raise LimitError(
            f"at most {limit} {noun.lower()}s are allowed; {noun.lower()} {limit + 1} "
            f"({items[limit].name!r}) is one too many",
            Location(section, f"{noun} {limit + 1}"),
        )


# --------------------------------------------------------------------------- General


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG IHDR or a JPEG SOFn segment; None when not found."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 <= len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + length
    return None


@_model
class Logo(_Section):
    """The logo shown in the Helpdesk list: PNG/JPG/JPEG, under 500 KB, 150x150 suggested.

    ``data`` may be empty when only the file name is known (a template XML names its logo but
    does not embed it); format and size are then checked once the bytes are loaded.
    """

    SECTION: ClassVar[str] = GENERAL
    filename: str = _f("Logo", example="helpdesk.png")
    data: bytes = _f("Logo file", b"", limit=limits.LOGO_MAX_BYTES)

    def __repr__(self) -> str:
        return f"Logo(filename={self.filename!r}, {len(self.data)} bytes)"

    def _check(self) -> None:
        where = self._where("filename")
        if any(sep in self.filename for sep in "/\\") or self.filename.startswith("."):
            # load() reads and save() writes the logo beside the template under this name
            raise ModelError(f"logo {self.filename!r} must be a plain file name, not a path", where)
        ext = self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""
        allowed = ", ".join(e.upper() for e in limits.LOGO_FORMATS)
        if ext not in limits.LOGO_FORMATS:
            raise LimitError(f"logo {self.filename!r} must be a {allowed} file", where)
        if not self.data:
            return
        if len(self.data) >= limits.LOGO_MAX_BYTES:
            raise LimitError(
                f"logo {self.filename!r} is {len(self.data)} bytes; it must be less than "
                f"{limits.LOGO_MAX_BYTES // 1024} KB",
                where,
            )
        is_png = self.data.startswith(b"\x89PNG\r\n\x1a\n")
        is_jpeg = self.data.startswith(b"\xff\xd8\xff")
        if not (is_png or is_jpeg) or (is_png and ext != "png") or (is_jpeg and ext == "png"):
            raise LimitError(
                f"logo {self.filename!r} content is not a {ext.upper()} image "
                f"(allowed: {allowed})",
                where,
            )

    @property
    def size(self) -> tuple[int, int] | None:
        """(width, height) read from the image header, or None when unknown."""
        return _image_size(self.data) if self.data else None

    @property
    def width(self) -> int | None:
        return self.size[0] if self.size else None

    @property
    def height(self) -> int | None:
        return self.size[1] if self.size else None


@_model
class General(_Section):
    SECTION: ClassVar[str] = GENERAL
    name: str = _f("Helpdesk Name", "", required=True, example="Example Desk")
    max_concurrent_requests: int = _f(
        "Max Concurrent Request",
        limits.DEFAULT_MAX_CONCURRENT_REQUESTS,
        help="Maximum number of concurrent HTTP requests to the Helpdesk (a positive integer).",
    )
    remark: str = _f("Remark", "", help="Shown on the Template Management page.")
    logo: Logo | None = _f("Logo", None, help="PNG (recommended), JPG or JPEG, under 500 KB.")
    key: str = _f("Key", "", required=True, help="Stable machine key, unique per template.")
    version: str = _f("Version", "1.0.0")
    provider: Provider = _f("Provider", Provider.HELPDESK)


# --------------------------------------------------------------------------- User association


@_model
class Pagination(_Section):
    """How the user list is fetched in batches; the numbers a mode needs are checked by validate."""

    SECTION: ClassVar[str] = USER_ASSOCIATION
    mode: PaginationMode = _f("Pagination Type", PaginationMode.DISABLED)
    page_param: str = _f("Page Parameter Name", "", example="page")
    page_start: int | None = _f("Page Start Value", None, example="1")
    size_param: str = _f("Page Size Parameter Name", "", example="per_page")
    size: int | None = _f("Page Size Value", None, example="100")
    offset_param: str = _f("Offset Parameter Name", "", example="offset")
    offset_start: int | None = _f("Offset Value", None, example="0")
    limit_param: str = _f("Limit Parameter Name", "", example="limit")
    limit: int | None = _f("Limit Value", None, example="100")
    next_link_path: str = _f("Next Page Link Path", "", example="links.next")


@_model
class UserFields(_Section):
    SECTION: ClassVar[str] = USER_ASSOCIATION
    user_id: str = _f("User Unique ID", "", required=True, example="users.#.id")
    first_name: str = _f("First Name", "", example="users.#.first_name")
    last_name: str = _f("Last Name", "", example="users.#.last_name")
    email: str = _f("Email", "", example="users.#.email")


@_model
class UserAssociation(_Section):
    SECTION: ClassVar[str] = USER_ASSOCIATION
    enabled: bool = _f("User Association", False)
    url: str = _f("Get User", "", example="https://www.api.example.com/v1/users?type=ActiveUsers")
    method: str = _f("Request Method", "GET")
    pagination: Pagination = _f("Pagination", factory=Pagination)
    fields: UserFields = _f("User Field Mapping", factory=UserFields)


# --------------------------------------------------------------------------- Authentication


@_model
class CustomField(_Section):
    """An input the user fills in when integrating; its value is the variable ``{{.name}}``."""

    SECTION: ClassVar[str] = AUTHENTICATION
    name: str = _f("Name", required=True, example="client_id")
    title: str = _f("Title", "", example="Client ID")
    type: FieldType = _f("Type", FieldType.TEXT)
    options: tuple[str, ...] = _f("Dropdown Options", (), help="Options of a Dropdown List.")

    def _check(self) -> None:
        # a template file lists the options comma separated, so an option can hold no comma
        options = tuple(option.strip() for option in self.options)
        for i, option in enumerate(options, 1):
            if not option or limits.LIST_SEPARATOR in option:
                raise ModelError(
                    f"dropdown option {self.options[i - 1]!r} must be non-empty and hold no "
                    f"{limits.LIST_SEPARATOR!r}",
                    _item(self._where("options"), i),
                )
        object.__setattr__(self, "options", options)


@_model
class BasicAuth(_Section):
    SECTION: ClassVar[str] = AUTHENTICATION
    credential_type: CredentialType = _f("Credential Type", CredentialType.USERNAME_PASSWORD)
    credential_format: str = _f(
        "Base64 Encoded Credential",
        "",
        help="Combination of the credential variables that is Base64 encoded (basic_string).",
        example="{{.username}}:{{.password}}",
    )


@_model
class OAuth2(_Section):
    """OAuth2 (and Bearer token) endpoints and refresh settings; never holds a token."""

    SECTION: ClassVar[str] = AUTHENTICATION
    authorization_endpoint: str = _f(
        "Authorization Endpoint", "", example="https://www.api.example.com/auth/v2/authorize"
    )
    token_endpoint: str = _f("Token Endpoint", "", example="https://www.api.example.com/oauth/v2/token")
    content_type: ContentType = _f("Content Type", ContentType.FORM)
    scope: str = _f("Scope", "", example="contacts.read,contacts.write")
    additional_query: str = _f(
        "Additional Query String", "", example="client_id={{.client_id}}&redirect_uri={{.redirect_uri}}"
    )
    refresh_method: str = _f("Token Refresh Request Method", "POST")
    refresh_endpoint: str = _f("Token Refresh Endpoint", "")
    refresh_content_type: ContentType = _f("Token Refresh Content Type", ContentType.FORM)
    refresh_minutes: int | None = _f(
        "Token Refresh Time (min)",
        None,
        help=f"Blank refreshes every {limits.DEFAULT_REFRESH_MINUTES} minutes; 0 never refreshes.",
    )
    refresh_body: str = _f("Token Refresh Request Body", "")
    token_type: str = _f("Token Type", "Bearer")
    token_invalid: tuple[str, ...] = _f(
        "Token Invalid Errors", (), help="Error texts that mark the access token as invalid."
    )

    @property
    def refresh_interval_minutes(self) -> int:
        """Effective refresh interval: blank means the default, 0 means never refresh."""
        if self.refresh_minutes is None:
            return limits.DEFAULT_REFRESH_MINUTES
        return self.refresh_minutes


@_model
class Auth(_Section):
    SECTION: ClassVar[str] = AUTHENTICATION
    method: AuthMethod = _f("Authentication Method", AuthMethod.NONE)
    custom_fields: tuple[CustomField, ...] = _f(
        "Custom Fields", (), limit=limits.MAX_CUSTOM_FIELDS
    )
    basic: BasicAuth = _f("Basic", factory=BasicAuth)
    oauth2: OAuth2 = _f("OAuth2", factory=OAuth2)

    def _check(self) -> None:
        _at_most(self.custom_fields, limits.MAX_CUSTOM_FIELDS, AUTHENTICATION, "Custom Field")

    @property
    def refresh_interval_minutes(self) -> int:
        return self.oauth2.refresh_interval_minutes


# --------------------------------------------------------------------------- Headers


@_model
class Header(_Section):
    SECTION: ClassVar[str] = HEADERS
    name: str = _f("Name", required=True, example="Content-Type")
    value: str = _f("Value", "", example="application/json")
    description: str = _f("Description", "")


# --------------------------------------------------------------------------- Follow-up requests


@_model
class Output(_Section):
    """A response value kept as variable ``name``, picked with a GJSON path."""

    PART: ClassVar[str] = "Output"
    name: str = _f("Variable", required=True)
    path: str = _f("Path", "")


@_model
class FollowUpRequest(_Section):
    """A request fired by a system event, or reached by name through another request's ``next``."""

    SECTION: ClassVar[str] = FOLLOW_UPS
    name: str = _f("Name", required=True, example="GetIdentities")
    event: FollowUpEvent | None = _f(
        "Triggered Event", None, help="None when the request only runs as another's next step."
    )
    method: str = _f("Request Method", "GET")
    url: str = _f("URL", "", required=True, example="https://api.example.com/rest-services/login")
    headers: str = _f(
        "Headers", "", help="A JSON object.", example='{"X-Custom-Header": "{{.DynamicValue}}"}'
    )
    body: str = _f("Request Body", "", example='{"lastName":"{{.LastName}}"}')
    response_paths: str = _f("Response Field Path", "", example="data.token,data.refresh")
    target_variables: str = _f("Target Variable Name", "", example="token,refresh")
    next: str = _f("Next Request", "", help="A follow-up to run once per matched record.")

    def _check(self) -> None:
        # kept as a template file holds them (one item per Output), so a round trip is equal
        object.__setattr__(self, "response_paths", limits.LIST_SEPARATOR.join(self.paths()))
        object.__setattr__(self, "target_variables", limits.LIST_SEPARATOR.join(self.variables()))

    def paths(self) -> list[str]:
        """The response field paths, in order (commas inside GJSON filters do not split)."""
        from hdkit.extract import split_paths

        return split_paths(self.response_paths)

    def variables(self) -> list[str]:
        """The target variable names, in order."""
        return split_list(self.target_variables)

    def outputs(self) -> list[tuple[str, str]]:
        """(variable, path) pairs, in order. Validation reports a count mismatch."""
        return list(zip(self.variables(), self.paths(), strict=False))


# --------------------------------------------------------------------------- Contact search


@_model
class ContactType(_Section):
    SECTION: ClassVar[str] = CONTACT_SEARCH
    name: str = _f("Contact Type", required=True, example="Contacts")
    url: str = _f(
        "Contact Match Query URL",
        "",
        required=True,
        example="https://www.api.example.com/v1/contacts?phone={{UrlEncode .Phone}}",
    )
    method: str = _f("Request Method", "GET")
    next: str = _f("Next Request", "", help="A follow-up to run once per matched contact.")


@_model
class Popup(_Section):
    SECTION: ClassVar[str] = CONTACT_SEARCH
    mode: PopupMode = _f("Contact Popup URL", PopupMode.URL_FORMAT)
    url_format: str = _f("URL Format", "", example="https://desk.example.com/users/{{.ContactId}}")
    contact_field_path: str = _f("Contact Field for URL", "", example="data.#.contactUrl")


@_model
class FieldMapping(_Section):
    """Whether a PBX field is synced, and the GJSON path(s) it is read from (comma separated)."""

    SECTION: ClassVar[str] = CONTACT_SEARCH
    enabled: bool = _f("Enabled", False)
    path: str = _f("Path", "")


def _map(title: str, limit: int | None = None, required: bool = False, example: str = "") -> Any:
    return _f(title, factory=FieldMapping, limit=limit, required=required, example=example)


@_model
class ContactFields(_Section):
    """Helpdesk response field -> PBX contact field (format reference 3.3)."""

    SECTION: ClassVar[str] = CONTACT_SEARCH
    contact_id: FieldMapping = _map("Contact ID", required=True, example="data.#.id")
    first_name: FieldMapping = _map(
        "First Name", limits.NAME_MAX_CHARS, required=True, example="data.#.first_name"
    )
    last_name: FieldMapping = _map("Last Name", limits.NAME_MAX_CHARS)
    company: FieldMapping = _map("Company", limits.COMPANY_MAX_CHARS)
    email: FieldMapping = _map("Email", limits.EMAIL_MAX_CHARS)
    business_number: FieldMapping = _map("Business Number", limits.NUMBER_MAX_CHARS)
    business_number2: FieldMapping = _map("Business Number 2", limits.NUMBER_MAX_CHARS)
    business_fax_number: FieldMapping = _map("Business Fax", limits.NUMBER_MAX_CHARS)
    mobile_number: FieldMapping = _map("Mobile", limits.NUMBER_MAX_CHARS)
    mobile_number2: FieldMapping = _map("Mobile 2", limits.NUMBER_MAX_CHARS)
    home_number: FieldMapping = _map("Home", limits.NUMBER_MAX_CHARS)
    home_number2: FieldMapping = _map("Home 2", limits.NUMBER_MAX_CHARS)
    home_fax_number: FieldMapping = _map("Home Fax", limits.NUMBER_MAX_CHARS)
    other_number: FieldMapping = _map("Other", limits.NUMBER_MAX_CHARS)
    remark: FieldMapping = _map("Remark", limits.REMARK_MAX_CHARS)
    custom_value: FieldMapping = _map("Custom Value")
    zip: FieldMapping = _map("ZIP Code", limits.ADDRESS_MAX_CHARS)
    street: FieldMapping = _map("Street", limits.ADDRESS_MAX_CHARS)
    city: FieldMapping = _map("City", limits.ADDRESS_MAX_CHARS)
    state: FieldMapping = _map("State", limits.ADDRESS_MAX_CHARS)
    country: FieldMapping = _map("Country", limits.ADDRESS_MAX_CHARS)

    PHONE_FIELDS: ClassVar[tuple[str, ...]] = (
        "business_number",
        "business_number2",
        "business_fax_number",
        "mobile_number",
        "mobile_number2",
        "home_number",
        "home_number2",
        "home_fax_number",
        "other_number",
    )

    def items(self) -> list[tuple[str, FieldMapping]]:
        """(field name, mapping) for every PBX field, in form order."""
        return [(f.name, getattr(self, f.name)) for f in dataclasses.fields(self)]


# The template variable (and XML output) name of each PBX contact field, format reference 3.3 [S];
# the address names are not seen in any sample [I].
CONTACT_VARIABLES: dict[str, str] = {
    "contact_id": "ContactsId",
    "first_name": "FirstName",
    "last_name": "LastName",
    "company": "Company",
    "email": "Email",
    "business_number": "BusinessNumber",
    "business_number2": "BusinessNumber2",
    "business_fax_number": "BusinessFaxNumber",
    "mobile_number": "MobileNumber",
    "mobile_number2": "MobileNumber2",
    "home_number": "HomeNumber",
    "home_number2": "HomeNumber2",
    "home_fax_number": "HomeFaxNumber",
    "other_number": "OtherNumber",
    "remark": "Remark",
    "custom_value": "CustomValue",
    "zip": "Zip",
    "street": "Street",
    "city": "City",
    "state": "State",
    "country": "Country",
}


@_model
class ContactSearch(_Section):
    SECTION: ClassVar[str] = CONTACT_SEARCH
    contact_types: tuple[ContactType, ...] = _f("Contact Types", (), required=True)
    popup: Popup = _f("Call Popup", factory=Popup)
    fields: ContactFields = _f("Contact Field Mapping", factory=ContactFields)


# --------------------------------------------------------------------------- Contact creation


@_model
class CreationType(_Section):
    SECTION: ClassVar[str] = CONTACT_CREATION
    name: str = _f("Contact Type", required=True, example="Contacts")
    url: str = _f("Contact Creation URL (POST)", "", required=True)
    body: str = _f(
        "Contact Creation Request Body",
        "",
        example='{"first_name":"{{.FirstName}}","phone":"{{.BusinessNumber}}"}',
    )
    method: str = _f("Request Method", "POST")
    outputs: tuple[Output, ...] = _f("Outputs", (), help="Response values kept, e.g. ContactId.")


@_model
class ContactCreation(_Section):
    SECTION: ClassVar[str] = CONTACT_CREATION
    enabled: bool = _f("Create New Contact", False)
    contact_types: tuple[CreationType, ...] = _f("Contact Types", ())


# --------------------------------------------------------------------------- Call journal, ticket


@_model
class CallOption(_Section):
    """An option offered to the integrating user, and its default value."""

    PART: ClassVar[str] = "Call Option"
    enabled: bool = _f("Enabled", False)
    default: str = _f("Default", "")


@_model
class CallJournal(_Section):
    SECTION: ClassVar[str] = CALL_JOURNAL
    enabled: bool = _f("Call Journal", False)
    url: str = _f("Create Call Journal URL (POST)", "", required=True)
    body: str = _f("Call Journal Creation Request Data", "")
    method: str = _f("Request Method", "POST")
    subject: CallOption = _f("Subject", factory=CallOption)
    description: CallOption = _f("Description", factory=CallOption)
    play_recording: CallOption = _f("Play Call Recording", factory=CallOption)
    hide_missed_for_unanswered: CallOption = _f(
        "Disable Display Missed Call Records in Unanswered Agents", factory=CallOption
    )
    need_contact_match: bool = _f("Need Contact Match", True)
    outputs: tuple[Output, ...] = _f("Outputs", ())


@_model
class NewTicket(_Section):
    SECTION: ClassVar[str] = NEW_TICKET
    enabled: bool = _f("Create New Ticket Automatically", False)
    url: str = _f("Create New Ticket URL (POST)", "", required=True)
    body: str = _f("New Ticket Creation Request Body", "")
    method: str = _f("Request Method", "POST")
    subject: CallOption = _f("Subject", factory=CallOption)
    description: CallOption = _f("Description", factory=CallOption)
    need_contact_match: bool = _f("Need Contact Match", True)
    outputs: tuple[Output, ...] = _f("Outputs", (), help="Response values kept, e.g. TicketId.")


# --------------------------------------------------------------------------- Template


@_model
class Extra(_Section):
    """Something in a template file hdkit does not model, kept so export writes it back.

    ``where`` names the place in the file (``Scenario[CallJournal]/Parameters``); ``xml`` is
    the element's markup. For an unknown attribute, ``where`` ends in ``/@Name`` and ``xml``
    is the attribute's value.
    """

    SECTION: ClassVar[str] = EXTRAS
    where: str = _f("Where")
    xml: str = _f("XML")


@_model
class Template(_Section):
    general: General = _f("General", factory=General)
    auth: Auth = _f("Authentication", factory=Auth)
    headers: tuple[Header, ...] = _f("Headers", (), limit=limits.MAX_HEADERS)
    user_association: UserAssociation = _f("User Association", factory=UserAssociation)
    follow_ups: tuple[FollowUpRequest, ...] = _f("Follow-up Requests", ())
    contact_search: ContactSearch = _f("Contact Search", factory=ContactSearch)
    contact_creation: ContactCreation = _f("Contact Creation", factory=ContactCreation)
    call_journal: CallJournal = _f("Call Journal", factory=CallJournal)
    new_ticket: NewTicket = _f("New Ticket", factory=NewTicket)
    extras: tuple[Extra, ...] = _f("Extras", ())

    def _check(self) -> None:
        _at_most(self.headers, limits.MAX_HEADERS, HEADERS, "Header")

    @property
    def key(self) -> str:
        return self.general.key

    def follow_up(self, name: str) -> FollowUpRequest | None:
        """The follow-up request called ``name``, or None."""
        return next((f for f in self.follow_ups if f.name == name), None)


# --------------------------------------------------------------------------- Inputs


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
            if spec.type is FieldType.PASSWORD:
                checked[name] = value if isinstance(value, Secret) else Secret(str(value))
                continue
            if isinstance(value, Secret):
                value = value.reveal()
            if not isinstance(value, str):
                raise ModelError(f"expected text, got {type(value).__name__}", where)
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

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Inputs({self._values!r})"

    def secrets(self) -> list[Secret]:
        """Every secret value, for a :class:`~hdkit.secrets.Redactor`."""
        return [v for v in self._values.values() if isinstance(v, Secret)]
