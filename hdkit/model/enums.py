"""The closed sets of the template form.

Each enum's values are the words users and the product form use; how a template file spells
them is :mod:`hdkit.yeastar_xml`'s business. A file value hdkit does not know is kept as
:class:`~hdkit.model.base.Unrecognized`, never refused.
"""

from __future__ import annotations

import enum

__all__ = [
    "AuthMethod",
    "ContentType",
    "CredentialType",
    "FieldType",
    "FollowUpEvent",
    "LABELS",
    "PaginationMode",
    "PopupMode",
    "Provider",
]


class _Choice(str, enum.Enum):
    """A closed set whose values are the strings users and files spell."""

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """What the product form calls this choice (``Bearer Token``, not ``bearer_token``)."""
        return LABELS.get(self, self.value)


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
    """Where the pop-up URL comes from: a URL template, or a contact field of the search response."""

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


# The words of the product form for each choice (dropdowns show these, never the codes).
LABELS: dict[_Choice, str] = {
    Provider.HELPDESK: "Helpdesk",
    Provider.CRM: "CRM",
    AuthMethod.NONE: "None",
    AuthMethod.BASIC: "Basic",
    AuthMethod.OAUTH2: "OAuth2",
    AuthMethod.BEARER: "Bearer Token",
    CredentialType.USERNAME_PASSWORD: "Username and Password",
    CredentialType.API_KEY: "API Key",
    FieldType.TEXT: "Text Input",
    FieldType.PASSWORD: "Password Input",
    FieldType.DROPDOWN: "Dropdown List",
    PaginationMode.DISABLED: "Disabled",
    PaginationMode.PAGE: "Page Number Pagination",
    PaginationMode.OFFSET: "Offset Pagination",
    PaginationMode.NEXT_LINK: "Link Pagination",
    PopupMode.URL_FORMAT: "Specify URL Format",
    PopupMode.CONTACT_FIELD: "Retrieve from Contact Fields",
    FollowUpEvent.AUTHENTICATED: "Authenticated",
    FollowUpEvent.CALL_RINGING: "Call Ringing",
    FollowUpEvent.CALL_ANSWERED: "Call Answered",
    FollowUpEvent.CALL_ENDED: "Call Ended",
    FollowUpEvent.CONTACT_MATCHED: "Contact Matched",
    FollowUpEvent.CONTACT_NOT_FOUND: "Contact Not Found",
    FollowUpEvent.CONTACT_CREATED: "Contact Created",
    FollowUpEvent.CALL_JOURNAL_CREATED: "Call Journal Created",
    FollowUpEvent.TICKET_CREATED: "Ticket Created",
}
