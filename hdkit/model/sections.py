"""The sections of the template form: typed settings, and the requests they are views of.

Each section keeps the settings the product form shows as its own fields (switches, options,
pagination, the pop-up, authentication) and holds the file's requests. What the form shows as
one field of a section but the file keeps in a request (a journal's URL, method, body and
outputs; the User and Contact Field Mappings) is a view (:func:`~hdkit.model.base.view`): it
reads the first request (or, for the Contact Field Mapping, the outputs of the first contact
type), and writing it writes the request (every contact type's outputs). No value is kept twice.
"""

from __future__ import annotations

import dataclasses
import struct
from typing import Any, ClassVar

from hdkit import limits
from hdkit.errors import LimitError, ModelError
from hdkit.model.base import (
    Part,
    Unrecognized,
    at_most,
    fld,
    item_where,
    model,
    view,
)
from hdkit.model.enums import (
    AuthMethod,
    ContentType,
    CredentialType,
    FieldType,
    PaginationMode,
    PopupMode,
    Provider,
)
from hdkit.model.requests import ContactType, CreationType, Output, Request, method_help, with_paths
from hdkit.vocabulary import (
    AUTHENTICATION,
    CALL_JOURNAL,
    CONTACT_CREATION,
    CONTACT_ID_ALIASES,
    CONTACT_SEARCH,
    CONTACT_VARIABLES,
    EXTRAS,
    GENERAL,
    HEADERS,
    KEYWORD_SEARCH,
    NEW_TICKET,
    USER_ASSOCIATION,
    USER_VARIABLES,
)

__all__ = [
    "Auth",
    "BasicAuth",
    "CallJournal",
    "CallOption",
    "ContactCreation",
    "ContactFields",
    "ContactSearch",
    "ContactSwitches",
    "CustomField",
    "CustomVariable",
    "Extra",
    "FieldMapping",
    "General",
    "Header",
    "KeywordSearch",
    "Logo",
    "NewTicket",
    "OAuth2",
    "Pagination",
    "Popup",
    "UserAssociation",
    "UserFields",
]


class _FirstRequest(Part):
    """A section whose URL, method, body and outputs are views of its first request.

    ``FIRST`` names the request hdkit creates when a view is written before any request
    exists (its name and method): a new journal's request is ``CallJournal``, ``POST``.
    """

    __slots__ = ()
    FIRST: ClassVar[tuple[str, str]] = ("", "GET")

    def _first(self) -> Request | None:
        requests: tuple[Request, ...] = getattr(self, "requests")
        return requests[0] if requests else None

    def _edit_first(self, **changes: Any) -> None:
        first = self._first() or Request(name=self.FIRST[0], method=self.FIRST[1])
        self._set(requests=(dataclasses.replace(first, **changes), *getattr(self, "requests")[1:]))

    def _get_url(self) -> str:
        first = self._first()
        return first.url if first else ""

    def _put_url(self, value: str) -> None:
        self._edit_first(url=value)

    def _get_method(self) -> str:
        first = self._first()
        return first.method if first else self.FIRST[1]

    def _put_method(self, value: str) -> None:
        self._edit_first(method=value)

    def _get_body(self) -> str:
        first = self._first()
        return first.body if first else ""

    def _put_body(self, value: str) -> None:
        self._edit_first(body=value)

    def _get_outputs(self) -> tuple[Output, ...]:
        first = self._first()
        return first.outputs if first else ()

    def _put_outputs(self, value: tuple[Output, ...]) -> None:
        self._edit_first(outputs=value)


def _requests(help: str) -> Any:
    return fld("Requests", (), hidden=True, help=help)


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


@model
class Logo(Part):
    """The logo shown in the Helpdesk list: PNG/JPG/JPEG, under 500 KB, 150x150 suggested.

    ``data`` may be empty when only the file name is known (a template XML names its logo but
    does not embed it); format and size are then checked once the bytes are loaded.
    """

    SECTION: ClassVar[str] = GENERAL
    filename: str = fld("Logo", example="helpdesk.png",
                        help="Shown in the Helpdesk list on the Integration page: PNG (recommended), JPG or "
                             "JPEG, 150 x 150 suggested, less than 500 KB.")
    data: bytes = fld("Logo file", b"", limit=limits.LOGO_MAX_BYTES)

    def __repr__(self) -> str:
        return f"Logo(filename={self.filename!r}, {len(self.data)} bytes)"

    def _check(self) -> None:
        where = self._where("filename")
        size = len(self.filename.encode("utf-8", "surrogatepass"))
        if size > limits.LOGO_NAME_MAX_BYTES:
            raise LimitError(f"logo file name is {size} bytes long ({self.filename[:20]!r}...); a file name has at "
                             f"most {limits.LOGO_NAME_MAX_BYTES}", where)
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


@model
class General(Part):
    SECTION: ClassVar[str] = GENERAL
    name: str = fld("Helpdesk Name", "", required=True, example="Example Desk", help="The name of the Helpdesk.")
    max_concurrent_requests: int = fld(
        "Max Concurrent Request",
        limits.DEFAULT_MAX_CONCURRENT_REQUESTS,
        help="The maximum number of concurrent HTTP requests allowed to the Helpdesk (a positive integer).",
        example="8",
    )
    remark: str = fld("Remark", "", example="Tickets and call logs for the support team",
                      help="Optional. A description of the template, shown on the Template Management page.")
    logo: Logo | None = fld("Logo", None, example="helpdesk.png",
                             help="Shown in the Helpdesk list on the Integration page: PNG (recommended), JPG "
                                  "or JPEG, 150 x 150 suggested, less than 500 KB.")
    key: str = fld("Key", "", required=True, help="Stable machine key, unique per template.")
    version: str = fld("Version", "1.0.0")
    provider: Provider | Unrecognized = fld("Provider", Provider.HELPDESK)



# --------------------------------------------------------------------------- User association


@model
class Pagination(Part):
    """How the user list is fetched in batches; the numbers a mode needs are checked by validate."""

    SECTION: ClassVar[str] = USER_ASSOCIATION
    mode: PaginationMode | Unrecognized = fld(
        "Pagination Type", PaginationMode.DISABLED, example="Page Number Pagination",
        help="Disabled: one request returns every user. Page Number, Offset or Link Pagination: the PBX "
             "fetches the users in batches, at most 100 requests per synchronization.")
    page_param: str = fld("Page Parameter Name", "", example="page",
                          help="The parameter name used to specify the page number in API requests.")
    page_start: int | None = fld("Page Start Value", None, example="1",
                                 help="The initial page number from which to start querying data.")
    size_param: str = fld("Page Size Parameter Name", "", example="per_page",
                          help="The parameter name used to specify the number of records per page in API requests.")
    size: int | None = fld("Page Size Value", None, example="100",
                           help="The maximum number of records to return in a single page.")
    offset_param: str = fld("Offset Parameter Name", "", example="offset",
                            help="The parameter name used to specify the initial offset position for pagination.")
    offset_start: int | None = fld("Offset Value", None, example="0",
                                   help="The starting position for data retrieval: the number of records to skip.")
    limit_param: str = fld("Limit Parameter Name", "", example="limit",
                           help="The parameter name used to specify the number of records per page in API requests.")
    limit: int | None = fld("Limit Value", None, example="100",
                            help="The maximum number of records to return in a single page.")
    next_link_path: str = fld("Next Page Link Path", "", example="links.next",
                              help="The JSON path of the link to the next page of data in the API response.")


@model
class UserFields(Part):
    SECTION: ClassVar[str] = USER_ASSOCIATION
    user_id: str = fld("User Unique ID", "", required=True, example="users.#.id", help="The unique ID of the user.")
    first_name: str = fld("First Name", "", example="users.#.First_Name",
                          help="The first name of the user, shown in the Helpdesk user list.")
    last_name: str = fld("Last Name", "", example="users.#.Last_Name",
                         help="The last name of the user, shown in the Helpdesk user list.")
    email: str = fld("Email", "", example="users.#.Email",
                     help="The email of the user, shown in the Helpdesk user list and used to associate "
                          "Helpdesk users with PBX extensions automatically.")



@model
class CustomVariable(Part):
    """A variable a scenario defines for its own requests (the file's ``CustomScenarioParameter``):
    ``{{.name}}`` there renders ``value`` unless a run sets it (the PBX admin's value)."""

    ITEM: ClassVar[str] = "Custom Variable"
    name: str = fld("Name", "", required=True, example="DepartmentId")
    value: str = fld("Value", "", help="Its default; empty means the run must set it.")


def _variables() -> Any:
    return fld("Custom Variables", (), help="Variables this scenario's requests can use, e.g. {{.DepartmentId}}.")


@model
class UserAssociation(_FirstRequest):
    """Get User: its URL, method and User Field Mapping are views of the first request."""

    SECTION: ClassVar[str] = USER_ASSOCIATION
    FIRST: ClassVar[tuple[str, str]] = ("UserAssociation", "GET")
    enabled: bool = fld("User Association", False,
                        help="Associate Helpdesk users with PBX extensions (the Get User request lists them).")
    url: str = view("Get User", example="https://www.api.example.com/v1/users?type=ActiveUsers",
                             help="The Helpdesk API request URL for getting the list of Helpdesk users; the values "
                                  "users enter when integrating can be used as variables.")
    method: str = view("Request Method", example="GET", help=method_help("GET"))
    pagination: Pagination = fld("Pagination", factory=Pagination)
    fields: UserFields = view("User Field Mapping", example='data.#(key=="value").field',
                                       help="Map the Helpdesk fields to the PBX fields with the JSON (GJSON) "
                                            "path of each field in the response.")
    variables: tuple[CustomVariable, ...] = _variables()
    requests: tuple[Request, ...] = _requests("The scenario's requests; the first is the Get User request.")

    def _get_fields(self) -> UserFields:
        first = self._first()
        mapping = first.mapping() if first else {}
        return UserFields(**{name: mapping.get(variable, "") for name, variable in USER_VARIABLES.items()})

    def _put_fields(self, value: UserFields) -> None:
        first = self._first()
        paths = {variable: getattr(value, name) for name, variable in USER_VARIABLES.items()}
        self._edit_first(outputs=with_paths(first.outputs if first else (), paths))


# --------------------------------------------------------------------------- Authentication


@model
class CustomField(Part):
    """An input the user fills in when integrating; its value is the variable ``{{.name}}``."""

    SECTION: ClassVar[str] = AUTHENTICATION
    ITEM: ClassVar[str] = "Custom Field"
    name: str = fld("Name", required=True, example="client_id",
                    help="The variable name of the field, referenced in the template as {{.name}}.")
    title: str = fld("Title", "", example="Client ID", help="The title shown above the input on the integration page.")
    type: FieldType | Unrecognized = fld(
        "Type", FieldType.TEXT, example="Password Input",
        help="Text Input: plain text. Password Input: masked, for sensitive information. Dropdown List: "
             "a choice among pre-defined options.")
    options: tuple[str, ...] = fld("Dropdown Options", (), example="option1,option2",
                                    help="The options of a Dropdown List, separated by commas.")

    def _check(self) -> None:
        # a template file lists the options comma separated, so an option can hold no comma
        options = tuple(option.strip() for option in self.options)
        for i, option in enumerate(options, 1):
            if not option or limits.LIST_SEPARATOR in option:
                raise ModelError(
                    f"dropdown option {self.options[i - 1]!r} must be non-empty and hold no "
                    f"{limits.LIST_SEPARATOR!r}",
                    item_where(self._where("options"), i),
                )
        object.__setattr__(self, "options", options)


@model
class BasicAuth(Part):
    SECTION: ClassVar[str] = AUTHENTICATION
    credential_type: CredentialType | Unrecognized = fld(
        "Credential Type", CredentialType.USERNAME_PASSWORD, example="API Key",
        help="Username and Password, or API Key, as the Helpdesk requires.")
    credential_format: str = fld(
        "Base64 Encoded Credential",
        "",
        help="The combination of credential variables that is Base64 encoded into basic_string; every "
             "request then carries Authorization: Basic {{.basic_string}}.",
        example="{{.username}}:{{.password}}",
    )


@model
class OAuth2(Part):
    """OAuth2 (and Bearer token) endpoints and refresh settings; never holds a token."""

    SECTION: ClassVar[str] = AUTHENTICATION
    authorization_endpoint: str = fld(
        "Authorization Endpoint", "", example="https://www.api.example.com/auth/v2/authorize?client_id={{.client_id}}",
        help="The Helpdesk authorization URL, to which users are redirected for authorization during integration.",
    )
    token_endpoint: str = fld(
        "Token Endpoint", "",
        example="https://www.api.example.com/oauth/v2/token?client_id={{.client_id}}&client_secret={{.client_secret}}",
        help="The Helpdesk API request URL for obtaining an access token and refresh token.")
    content_type: ContentType | Unrecognized = fld("Content Type", ContentType.FORM, example="application/json",
                                                   help="The content type of the token retrieval request.")
    scope: str = fld("Scope", "", example="contacts.read,contacts.write,calls.read,calls.write,user.read,user.write",
                     help="Optional. The data the PBX is allowed to access, separated by commas.")
    additional_query: str = fld(
        "Additional Query String", "", example="client_id={{.client_id}}&redirect_uri={{.redirect_uri}}",
        help="Optional. Query parameters for a Helpdesk that authenticates requests with them instead of a scope.",
    )
    refresh_method: str = fld("Token Refresh Request Method", "POST", example="POST",
                              help="The HTTP request method of the token refresh API.")
    refresh_endpoint: str = fld("Token Refresh Endpoint", "", example="https://www.api.example.com/oauth/v2/token",
                                help="The API request URL for refreshing the access token.")
    refresh_content_type: ContentType | Unrecognized = fld(
        "Token Refresh Content Type", ContentType.FORM, example="application/x-www-form-urlencoded",
        help="The content type of the token refresh request.")
    refresh_minutes: int | None = fld(
        "Token Refresh Time (min)",
        None,
        help=f"How often (in minutes) the access token is refreshed automatically: blank refreshes every "
             f"{limits.DEFAULT_REFRESH_MINUTES} minutes, 0 never refreshes.",
        example="25",
    )
    refresh_body: str = fld("Token Refresh Request Body", "",
                            example="grant_type=refresh_token&refresh_token={{.RefreshToken}}&client_id={{.client_id}}",
                            help="The request body of the token refresh API.")
    token_type: str = fld("Token Type", "Bearer")
    token_invalid: tuple[str, ...] = fld(
        "Token Invalid Errors", (), help="Error texts that mark the access token as invalid."
    )
    no_refresh: bool = fld("Tokens Never Expire", False,
                           help="The file's NoNeedRefreshAccessToken: never refresh, whatever the refresh time says.")

    @property
    def refresh_interval_minutes(self) -> int:
        """Effective refresh interval: 0 (never) when the tokens never expire or the time is 0;
        blank means the default."""
        if self.no_refresh:
            return 0
        if self.refresh_minutes is None:
            return limits.DEFAULT_REFRESH_MINUTES
        return self.refresh_minutes


@model
class Auth(Part):
    SECTION: ClassVar[str] = AUTHENTICATION
    method: AuthMethod | Unrecognized = fld(
        "Authentication Method", AuthMethod.NONE, example="OAuth2",
        help="None, Basic, OAuth2 or Bearer Token, as the Helpdesk requires. Basic sends Authorization: Basic "
             "{{.basic_string}}; Bearer Token sends Authorization: Bearer {{.AccessToken}}.")
    custom_fields: tuple[CustomField, ...] = fld(
        "Custom Fields", (), limit=limits.MAX_CUSTOM_FIELDS,
        help="Inputs shown on the integration page (at most 5); their values are variables of the template.",
    )
    basic: BasicAuth = fld("Basic", factory=BasicAuth)
    oauth2: OAuth2 = fld("OAuth2", factory=OAuth2)

    def _check(self) -> None:
        at_most(self.custom_fields, limits.MAX_CUSTOM_FIELDS, CustomField)

    @property
    def refresh_interval_minutes(self) -> int:
        return self.oauth2.refresh_interval_minutes

    @property
    def bearer_fetched(self) -> bool:
        """Bearer token fetched from the Token Endpoint (else pasted into a Password input)."""
        return self.method is AuthMethod.BEARER and bool(self.oauth2.token_endpoint.strip())

    def token_inputs(self) -> list[CustomField]:
        """The Password inputs a pasted bearer token can come from."""
        return [f for f in self.custom_fields if f.type is FieldType.PASSWORD]

    def bearer_input(self) -> CustomField | None:
        """The Password input a pasted bearer token is taken from: the only one, else the first
        whose name mentions a token, else the first (validation says which when in doubt)."""
        candidates = self.token_inputs()
        named = [f for f in candidates if "token" in f.name.lower()]
        return (named or candidates)[0] if candidates else None


# --------------------------------------------------------------------------- Headers


@model
class Header(Part):
    SECTION: ClassVar[str] = HEADERS
    ITEM: ClassVar[str] = "Header"
    name: str = fld("Name", required=True, example="Content-Type",
                    help="The header name, such as Content-Type for the content type or Accept for the expected format.")
    value: str = fld("Value", "", example="application/json",
                     help="The header value, a fixed value or a variable (those of the Authentication Method too, "
                          "e.g. {{.client_id}}).")
    description: str = fld("Description", "", example="Send and accept JSON",
                           help="A brief explanation of the header's function, for reference.")


# --------------------------------------------------------------------------- Contact search


@model
class Popup(Part):
    SECTION: ClassVar[str] = CONTACT_SEARCH
    mode: PopupMode | Unrecognized = fld(
        "Contact Popup URL", PopupMode.URL_FORMAT, example="Retrieve from Contact Fields",
        help="Specify URL Format: build the URL with variables. Retrieve from Contact Fields: read it from a field "
             "of the contact search response.")
    url_format: str = fld("URL Format", "", example="https://desk.example.com/users/{{.ContactId}}",
                          help="The call popup URL, built with variables.")
    contact_field_path: str = fld(
        "Contact Field for URL", "", example="data.#.contactUrl",
        help="The JSON (GJSON) path of the contact URL in the contact search response.")


@model
class FieldMapping(Part):
    """Whether a PBX field is synced, and the GJSON path(s) it is read from (comma separated)."""

    SECTION: ClassVar[str] = CONTACT_SEARCH
    enabled: bool = fld("Enabled", False)
    path: str = fld("Path", "")


def _map(title: str, limit: int | None = None, required: bool = False, example: str = "", help: str = "") -> Any:
    return fld(title, factory=FieldMapping, limit=limit, required=required, example=example, help=help)


def _optional(title: str, limit: int, what: str, example: str, note: str = "") -> Any:
    """A PBX contact field mapped only when enabled, explained as the product explains them all."""
    return _map(title, limit, example=example,
                help=f"Optional. Enable it and give the JSON path of the contact's {what} in the search response "
                     f"(several paths separated by commas).{note}")


def _phone(title: str, what: str, example: str) -> Any:
    return _optional(title, limits.NUMBER_MAX_CHARS, what, example, " Enable and map at least one phone number.")


@model
class ContactFields(Part):
    """Helpdesk response field -> PBX contact field (format reference 3.3)."""

    SECTION: ClassVar[str] = CONTACT_SEARCH
    contact_id: FieldMapping = _map("Contact ID", required=True, example="data.#.id",
                                    help="Required. The ID of the searched contact.")
    first_name: FieldMapping = _map(
        "First Name", limits.NAME_MAX_CHARS, required=True, example="data.#.first_name",
        help="Required. The first name of the searched contact.",
    )
    last_name: FieldMapping = _optional("Last Name", limits.NAME_MAX_CHARS, "last name", "data.#.last_name")
    company: FieldMapping = _optional("Company", limits.COMPANY_MAX_CHARS, "company", "data.#.company_name")
    email: FieldMapping = _optional("Email", limits.EMAIL_MAX_CHARS, "email address", "data.#.email")
    business_number: FieldMapping = _phone("Business Number", "business number", "data.#.phone")
    business_number2: FieldMapping = _phone("Business Number 2", "second business number", "data.#.work_phone")
    business_fax_number: FieldMapping = _phone("Business Fax", "business fax number", "data.#.fax")
    mobile_number: FieldMapping = _phone("Mobile", "mobile number", "data.#.mobile")
    mobile_number2: FieldMapping = _phone("Mobile 2", "second mobile number", "data.#.mobile_2")
    home_number: FieldMapping = _phone("Home", "home number", "data.#.home_phone")
    home_number2: FieldMapping = _phone("Home 2", "second home number", "data.#.home_phone_2")
    home_fax_number: FieldMapping = _phone("Home Fax", "home fax number", "data.#.home_fax")
    other_number: FieldMapping = _phone("Other", "other number", "data.#.other_phone")
    remark: FieldMapping = _optional("Remark", limits.REMARK_MAX_CHARS, "remark", "data.#.description")
    custom_value: FieldMapping = _map(
        "Custom Value", example="data.#.owner_id",
        help="A response field for building the Contact URL as {{.CustomValue}}; not shown in the PBX contact details.")
    zip: FieldMapping = _optional("ZIP Code", limits.ADDRESS_MAX_CHARS, "ZIP code", "data.#.address.zip")
    street: FieldMapping = _optional("Street", limits.ADDRESS_MAX_CHARS, "street", "data.#.address.street")
    city: FieldMapping = _optional("City", limits.ADDRESS_MAX_CHARS, "city", "data.#.address.city")
    state: FieldMapping = _optional("State", limits.ADDRESS_MAX_CHARS, "state", "data.#.address.state")
    country: FieldMapping = _optional("Country", limits.ADDRESS_MAX_CHARS, "country", "data.#.address.country")

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


def _switches() -> type:
    """ContactSwitches: which PBX contact fields are synced (the file's ``<Field>Enable``), one
    switch per field of :class:`ContactFields`, titled alike."""
    specs = [(f.name, bool, dataclasses.field(default=False, metadata=f.metadata))
             for f in dataclasses.fields(ContactFields)]
    cls = dataclasses.make_dataclass("ContactSwitches", specs, bases=(Part,), frozen=True, slots=True,
                                     namespace={"SECTION": CONTACT_SEARCH, "__module__": __name__,
                                                "__doc__": "Which PBX contact fields are synced."})
    return cls


ContactSwitches = _switches()


@model
class ContactSearch(Part):
    """Contact types (one request each, with its own outputs), the pop-up, and the mapping view.

    The Contact Field Mapping reads the first contact type's outputs and the switches; writing
    it sets the switches and every contact type's outputs. A mapping written before any contact
    type exists creates a blank one to hold it (validation then asks for its name and URL).
    """

    SECTION: ClassVar[str] = CONTACT_SEARCH
    contact_types: tuple[ContactType, ...] = fld("Contact Types", (), required=True)
    popup: Popup = fld("Call Popup", factory=Popup)
    fields: ContactFields = view(
        "Contact Field Mapping", example='data.#(phone=="{{.Phone}}")#.street,data.#(mobile=="{{.Phone}}")#.street',
        help="Map the Helpdesk fields to the PBX fields with the JSON (GJSON) path of each; several paths for one "
             "field are separated by commas. Contact ID and First Name are required, and at least one phone number.")
    switches: ContactSwitches = fld("Synced Fields", factory=ContactSwitches, hidden=True)  # type: ignore[valid-type]
    variables: tuple[CustomVariable, ...] = _variables()

    def _get_fields(self) -> ContactFields:
        mapping = self.contact_types[0].mapping() if self.contact_types else {}
        found = {}
        for name, variable in CONTACT_VARIABLES.items():
            names = CONTACT_ID_ALIASES if name == "contact_id" else (variable,)
            path = next((mapping[n] for n in names if n in mapping), "")
            found[name] = FieldMapping(getattr(self.switches, name), path)
        return ContactFields(**found)

    def _put_fields(self, value: ContactFields) -> None:
        """Set the switches, and every contact type's path of each field that changed (a field
        left as the view showed it keeps each contact type's own path)."""
        shown = self._get_fields()
        paths = {CONTACT_VARIABLES[name]: mapping.path for name, mapping in value.items()
                 if mapping.path != getattr(shown, name).path}
        types = self.contact_types
        if not types and any(paths.values()):
            types = (ContactType(),)
        aliases = {CONTACT_VARIABLES["contact_id"]: CONTACT_ID_ALIASES}
        self._set(
            switches=ContactSwitches(**{name: mapping.enabled for name, mapping in value.items()}),
            contact_types=tuple(dataclasses.replace(t, outputs=with_paths(t.outputs, paths, aliases))
                                for t in types),
        )

    def mapped_differently(self) -> list[tuple[ContactType, str]]:
        """(contact type, output name) where a later contact type maps a field unlike the first."""
        if len(self.contact_types) < 2:
            return []
        first = self.contact_types[0].mapping()
        return [(t, name) for t in self.contact_types[1:]
                for name in sorted(first.keys() | t.mapping().keys())
                if first.get(name) != t.mapping().get(name)]


@model
class KeywordSearch(Part):
    """The keyword search from Linkus (the file's ``SearchContact`` scenario): its own requests."""

    SECTION: ClassVar[str] = KEYWORD_SEARCH
    contact_types: tuple[ContactType, ...] = fld("Contact Types", ())


# --------------------------------------------------------------------------- Contact creation


@model
class ContactCreation(Part):
    SECTION: ClassVar[str] = CONTACT_CREATION
    enabled: bool = fld("Create New Contact", False,
                        help="Create a contact in the Helpdesk when the caller's number matches no contact.")
    contact_types: tuple[CreationType, ...] = fld("Contact Types", ())
    variables: tuple[CustomVariable, ...] = _variables()


# --------------------------------------------------------------------------- Call journal, ticket


@model
class CallOption(Part):
    """An option offered to the integrating user, and its default value."""

    ITEM: ClassVar[str] = "Call Option"
    enabled: bool = fld("Enabled", False)
    default: str = fld("Default", "")


@model
class CallJournal(_FirstRequest):
    """The call journal: options of its own; URL, body, method and outputs are its first request's.

    Further requests of the scenario run after the first, in file order.
    """

    SECTION: ClassVar[str] = CALL_JOURNAL
    FIRST: ClassVar[tuple[str, str]] = ("CallJournal", "POST")
    enabled: bool = fld("Call Journal", False, help="Log call activities and details in the Helpdesk automatically.")
    url: str = view("Create Call Journal URL (POST)", required=True, example="https://www.api.example.com/v2/Calls",
                             help="The Helpdesk API request URL used to create a call log.")
    body: str = view(
        "Call Journal Creation Request Data",
        example='{ "data": [ { "Subject": "{{.Subject}}", "Call_Result": "{{.Call_Log_Status}}", '
                '"Call_Duration": "{{.Talk_Duration_Sec}}" } ] }',
        help="The request body (JSON) passing the call details; the call journal variables can be used.")
    method: str = view("Request Method", example="POST", help=method_help("POST"))
    subject: CallOption = fld("Subject", factory=CallOption, example="{{.Communication_Type}} call {{.Call_Status}}",
                              help="If enabled, the default subject of every synchronized call log, offered in the "
                                   "integration; its value is also the variable {{.Subject}}.")
    description: CallOption = fld(
        "Description", factory=CallOption,
        example="Call: {{.Time}} {{.Call_Log_Status}} from {{.Call_From}} to {{.Call_To}} {{.Talk_Duration}}",
        help="If enabled, the details of the synchronized call logs, offered in the integration; its value is also "
             "the variable {{.Description}}.")
    play_recording: CallOption = fld("Play Call Recording", factory=CallOption, example="true",
                                     help="If enabled, the integration offers playing call recordings within the "
                                          "Helpdesk.")
    hide_missed_for_unanswered: CallOption = fld(
        "Disable Display Missed Call Records in Unanswered Agents", factory=CallOption, example="true",
        help="If enabled, queue and ring group call logs go only to the agent who answered; the missed logs of the "
             "same call are not synchronized to agents who did not answer."
    )
    need_contact_match: bool = fld("Need Contact Match", True)
    outputs: tuple[Output, ...] = view("Outputs")
    variables: tuple[CustomVariable, ...] = _variables()
    requests: tuple[Request, ...] = _requests("The scenario's requests, run in order.")


@model
class NewTicket(_FirstRequest):
    """Ticket creation: options of its own; URL, body, method and outputs are its first request's.

    Further requests (the sample's ``UpdateTicket``) run after the first, each seeing the
    outputs of the earlier ones.
    """

    SECTION: ClassVar[str] = NEW_TICKET
    FIRST: ClassVar[tuple[str, str]] = ("CreateNewTicket", "POST")
    enabled: bool = fld("Create New Ticket Automatically", False, help="Create a ticket in the Helpdesk for calls automatically.")
    url: str = view("Create New Ticket URL (POST)", required=True,
                             example="https://www.api.example.com/api/v1/tickets",
                             help="The Helpdesk API request URL used to create a new ticket.")
    body: str = view(
        "New Ticket Creation Request Body",
        example='{ "subject":"{{.Subject}}", "contactId":"{{.ContactId}}", "phone":"{{.ContactNumber}}", '
                '"description":"{{.Description}}" }',
        help="The request body (JSON) passing the ticket details; the new ticket variables can be used.")
    method: str = view("Request Method", example="POST", help=method_help("POST"))
    subject: CallOption = fld("Subject", factory=CallOption,
                              example="{{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} to {{.Call_To}}",
                              help="If enabled, the default subject of the ticket, which users can customize.")
    description: CallOption = fld(
        "Description", factory=CallOption,
        example="{{.Time}} {{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} to {{.Call_To}} "
                "{{.Talk_Duration}}",
        help="If enabled, the default details of the ticket, which users can customize.")
    need_contact_match: bool = fld("Need Contact Match", True)
    outputs: tuple[Output, ...] = view("Outputs", help="Response values kept, e.g. TicketId.")
    variables: tuple[CustomVariable, ...] = _variables()
    requests: tuple[Request, ...] = _requests("The scenario's requests, run in order.")


# --------------------------------------------------------------------------- Extras


@model
class Extra(Part):
    """Something in a template file hdkit does not model, kept so export writes it back.

    ``where`` names the place in the file (``Scenario[CallJournal]/Parameters``); ``xml`` is
    the element's markup. For an unknown attribute, ``where`` ends in ``/@Name`` and ``xml``
    is the attribute's value.
    """

    SECTION: ClassVar[str] = EXTRAS
    where: str = fld("Where")
    xml: str = fld("XML")
