"""How the Yeastar template file spells things: every variant seen, and the one hdkit writes.

**Read every spelling, write back the one read.** Where the format reference records more than
one spelling of a setting or a value (refresh settings with and without ``Father="AuthOption"``,
``RefreshTokenTime`` beside ``RefreshTokenInterval``, the pop-up modes ``specify_url_format``,
``retrieve_from_contact`` and ``contact_field``), :data:`SPELLING` lists them all; import accepts
each, and export writes a file back in the spelling it came in (the reader records it in the
template's :class:`~hdkit.model.FileRecord`). The first spelling of each list is the one a new
template gets.

**Reconstructed spellings.** The reference could not see how the PBX spells pagination,
follow-up events and headers, the dropdown field type and its options, the OAuth2 content types
and refresh settings, the Basic credential types or the "hide missed calls" option ([I] there).
Every such name is in this module and nowhere else, so one edit fixes them once a real PBX
export is available.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hdkit.model import (
    CONTACT_ID_ALIASES,
    CONTACT_VARIABLES,
    USER_VARIABLES,
    AuthMethod,
    ContentType,
    CredentialType,
    FieldType,
    FollowUpEvent,
    PaginationMode,
    PopupMode,
    Provider,
    Unrecognized,
)

__all__ = ["CONTACT_ID_ALIASES", "CONTACT_OUTPUTS", "SPELLING", "Setting", "USER_OUTPUTS", "is_credential",
           "parse_value", "value_text"]


@dataclass(frozen=True)
class Setting:
    """One scenario setting: where it lives in the model and how a file may spell it.

    ``path`` is the dotted attribute of the scenario's model part (``oauth2.refresh_minutes``);
    ``names`` and ``fathers`` are the ``Name`` and ``Father`` spellings ("" = no Father), the
    first of each written for a new template. ``kind`` is ``text``, ``flag`` (``1``/``0``),
    ``number``, or the name of a value table of :data:`SPELLING`. ``optional`` settings are
    written for a new template only when they differ from their default.
    """

    path: str
    names: tuple[str, ...]
    fathers: tuple[str, ...] = ("",)
    kind: str = "text"
    optional: bool = False


def _s(path: str, *names: str, fathers: tuple[str, ...] = ("",), kind: str = "text",
       optional: bool = False) -> Setting:
    return Setting(path, names, fathers, kind, optional)


_OPTION = ("", "AuthOption")  # refresh settings are seen with and without Father="AuthOption" [2]


def _options(*pairs: tuple[str, str]) -> tuple[Setting, ...]:
    """The switch and the default value of each call option (``EnableSubject`` + ``Subject``)."""
    return tuple(s for attr, name in pairs
                 for s in (_s(f"{attr}.enabled", f"Enable{name}", kind="flag"), _s(f"{attr}.default", name)))


_HIDE = ("EnableHideMissedCallRecords", "HideMissedCallRecords")  # [I]

SPELLING: dict[str, Any] = {
    # Scenario settings (plain <Parameter> elements of a scenario), in the order a new file has them.
    "settings": {
        "AuthMethod": (
            _s("method", "AuthMethod", kind="auth_method"),
            _s("oauth2.token_type", "TokenType"),
            _s("oauth2.authorization_endpoint", "AuthEndPoint"),
            _s("oauth2.token_endpoint", "TokenEndPoint"),
            _s("oauth2.content_type", "TokenContentType", kind="content_type"),  # [I]
            _s("oauth2.additional_query", "AdditionalQueryString"),
            _s("oauth2.scope", "Scope"),
            _s("oauth2.refresh_method", "RefreshTokenMethod", fathers=_OPTION),  # [I]
            _s("oauth2.refresh_endpoint", "RefreshTokenEndPoint", fathers=_OPTION),  # [I]
            _s("oauth2.refresh_content_type", "RefreshTokenContentType", fathers=_OPTION, kind="content_type"),
            _s("oauth2.refresh_minutes", "RefreshTokenInterval", "RefreshTokenTime", fathers=_OPTION,
               kind="number"),  # [I]; both names are seen
            _s("oauth2.no_refresh", "NoNeedRefreshAccessToken", fathers=("AuthOption", ""), kind="flag",
               optional=True),  # [S]
            _s("oauth2.refresh_body", "RefreshTokenBody", fathers=_OPTION),  # [I]
            _s("basic.credential_type", "CredentialType", kind="credential_type"),
            _s("basic.credential_format", "Base64EncodedCredential"),
        ),
        "SyncContactAuto": (
            _s("popup.mode", "ContactUrlType", kind="popup_mode"),
            _s("popup.url_format", "URLFormat"),
            _s("popup.contact_field_path", "ContactFieldForUri"),  # a GJSON path (3.3)
            *(_s(f"switches.{name}", f"{variable}Enable", kind="flag") for name, variable in CONTACT_VARIABLES.items()),
        ),
        "UserAssociation": tuple(  # 2.6 [I]: pagination is not in anything we could read
            _s(f"pagination.{path}", name, fathers=("Pagination",), kind=kind, optional=path != "mode")
            for path, name, kind in (
                ("mode", "Mode", "pagination_mode"), ("page_param", "PageParam", "text"),
                ("page_start", "PageStart", "number"), ("size_param", "SizeParam", "text"),
                ("size", "PageSize", "number"), ("offset_param", "OffsetParam", "text"),
                ("offset_start", "OffsetStart", "number"), ("limit_param", "LimitParam", "text"),
                ("limit", "Limit", "number"), ("next_link_path", "NextLinkPath", "text"),
            )
        ),
        "CallJournal": (
            *_options(("subject", "Subject"), ("description", "Description"),
                      ("play_recording", "PlayCallRecording")),
            _s("hide_missed_for_unanswered.enabled", _HIDE[0], kind="flag"),
            _s("hide_missed_for_unanswered.default", _HIDE[1]),
            _s("need_contact_match", "NeedSyncContact", kind="flag"),
        ),
        "CreateNewTicket": (
            *_options(("subject", "Subject"), ("description", "Description")),
            _s("need_contact_match", "NeedSyncContact", kind="flag"),
        ),
    },
    # Value spellings: model value -> every spelling seen, the first written for a new template.
    "values": {
        "auth_method": {m: (m.value,) for m in AuthMethod},
        "provider": {p: (p.value,) for p in Provider},
        "content_type": {c: (c.value,) for c in ContentType},  # [I]
        "credential_type": {c: (c.value,) for c in CredentialType},  # [I]
        "pagination_mode": {m: (m.value,) for m in PaginationMode},  # 2.6 [I]
        "popup_mode": {  # 3.3: specify_url_format [S]; retrieve_from_contact [S-ai]; contact_field [I]
            PopupMode.URL_FORMAT: ("specify_url_format",),
            PopupMode.CONTACT_FIELD: ("retrieve_from_contact", "contact_field"),
        },
        "field_editor": {FieldType.TEXT: ("string",), FieldType.PASSWORD: ("password",),
                         FieldType.DROPDOWN: ("select",)},  # select [I]
        "follow_up_event": {e: (e.value,) for e in FollowUpEvent},  # [I]
    },
    # Lists of the AuthMethod scenario: Father (and Type) of each item.
    "custom_field_father": "CustomFieldList",
    "field_options_attr": "Options",  # dropdown options, comma separated [I]
    "header_father": "PopulateTemplateString",
    "header_type": "Header",
    "header_description_attr": "Description",  # seen [S-ai]
    "token_invalid": ("TokenErrorMap", "TokenInvalid", "TokenInvalid"),  # Father, Type, Name [S]
    # A scenario's own variables.
    "variable_father": "CustomScenarioParameter",  # [S]
    # Request parameters.
    "body": ("Data", "Body"),  # Name, Type [S]
    "follow_up_event": "TriggerEvent",  # request Parameter holding a follow-up's event [I]
    "follow_up_headers": "Headers",  # request Parameter (Type="Header") with the JSON object [I]
}

# The method a request of each scenario has when its file gives none (and a new one gets).
FIRST_METHOD = {"SyncContactAuto": "GET", "SearchContact": "GET", "UserAssociation": "GET", "Common": "GET",
                "CreateNewContact": "POST", "CallJournal": "POST", "CreateNewTicket": "POST"}

# Output names of the PBX contact and user fields are the model's variable names (format reference 3.3).
CONTACT_OUTPUTS = CONTACT_VARIABLES
USER_OUTPUTS = USER_VARIABLES

# The names of parameters whose literal value *is* a credential: a client secret, an issued
# token, a key or a password. Only these (and Password inputs) are secrets on import; a name
# that merely mentions a token (TokenType, RefreshTokenMethod) never is.
_CREDENTIALS = frozenset({
    "clientsecret", "accesstoken", "refreshtoken", "idtoken", "bearertoken", "authtoken", "token",
    "apikey", "apitoken", "apisecret", "secret", "password", "passwd", "authorization", "privatekey",
})


def is_credential(name: str, value: str) -> bool:
    """Whether ``value`` of a parameter called ``name`` is a pasted credential (not a template)."""
    return (bool(value.strip()) and "{{" not in value
            and re.sub(r"[^a-z0-9]", "", name.lower()) in _CREDENTIALS)


def parse_value(kind: str, text: str, default: Any) -> Any:
    """The model value a setting's text stands for.

    A blank enum or number is the default; an enum spelling hdkit does not know is kept as
    :class:`~hdkit.model.Unrecognized` (verbatim); a non-numeric number raises ValueError.
    """
    if kind == "text":
        return text
    if kind == "flag":
        return text.strip() == "1"
    if not text.strip():
        return default
    if kind == "number":
        return int(text.strip())
    wanted = text.strip().lower()
    for member, spellings in SPELLING["values"][kind].items():
        if wanted in {s.lower() for s in spellings} or wanted == member.value.lower():
            return member
    return Unrecognized(text)


def value_text(kind: str, value: Any) -> str:
    """How a new file spells a setting's value (an Unrecognized one exactly as read)."""
    if kind == "text":
        return value
    if kind == "flag":
        return "1" if value else "0"
    if kind == "number":
        return "" if value is None else str(value)
    if isinstance(value, Unrecognized):
        return str(value)
    return SPELLING["values"][kind][value][0]
