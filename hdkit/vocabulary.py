"""The PBX's words, once: form sections, the variables each scenario provides, contact and user
fields with the variables they are read into, and what authentication provides.

The model titles its parts with these names, validation reports under them, the XML adapter
maps fields to the outputs they name, the engine fills the scopes with them and the forms show
them. Each name is written here and nowhere else: when two copies disagree, a problem silently
moves away from its field, or a variable one layer provides is unknown to another.

Where a name comes from is tagged as in the format reference: [B] the product description,
[S] a sample template, [I] inferred (not seen in any sample).
"""

from __future__ import annotations

__all__ = [
    "AUTHENTICATION",
    "AUTH_VARIABLES",
    "CALL_JOURNAL",
    "CALL_VARIABLES",
    "CONTACT_CREATION",
    "CONTACT_ID_ALIASES",
    "CONTACT_SEARCH",
    "CONTACT_VARIABLES",
    "CONTACT_VARIABLE_NAMES",
    "EXTRAS",
    "FOLLOW_UPS",
    "GENERAL",
    "HEADERS",
    "KEYWORD_SEARCH",
    "NEW_TICKET",
    "PAGING_VARIABLES",
    "PREDEFINED_VARIABLES",
    "REFRESH_VARIABLES",
    "SECTIONS",
    "USER_ASSOCIATION",
    "USER_VARIABLES",
]

# --------------------------------------------------------------------------- form sections

# Section names as the product's template form titles them; every Location uses these.
GENERAL = "General"
AUTHENTICATION = "Authentication"
HEADERS = "Headers"
USER_ASSOCIATION = "User Association"
FOLLOW_UPS = "Follow-up Requests"
CONTACT_SEARCH = "Contact Search"
KEYWORD_SEARCH = "Keyword Search"
CONTACT_CREATION = "Contact Creation"
CALL_JOURNAL = "Call Journal"
NEW_TICKET = "New Ticket"
EXTRAS = "Extras"

# In form order.
SECTIONS = (GENERAL, AUTHENTICATION, HEADERS, USER_ASSOCIATION, FOLLOW_UPS, CONTACT_SEARCH, KEYWORD_SEARCH,
            CONTACT_CREATION, CALL_JOURNAL, NEW_TICKET, EXTRAS)

# --------------------------------------------------------------------------- fields -> variables

# The template variable (and output name) of each PBX contact field, format reference 3.3 [S];
# the address names are not seen in any sample [I]. Keys are the fields of the Contact Field
# Mapping (hdkit.model.ContactFields), in form order.
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
# The contact ID's output has two spellings (3.3 [S]); the first is written.
CONTACT_ID_ALIASES = ("ContactsId", "ContactId")

# The output names of the User Field Mapping (3.2); keys are hdkit.model.UserFields' fields.
USER_VARIABLES: dict[str, str] = {
    "user_id": "UserUniqueId",
    "first_name": "FirstName",
    "last_name": "LastName",
    "email": "Email",
}

# --------------------------------------------------------------------------- provided variables

# What authentication gives every request once it ran (3.1): the access token (OAuth2, bearer),
# the encoded Basic credential, the OAuth2 redirect URI. A request that uses one before
# authentication ran cannot be rendered.
AUTH_VARIABLES = frozenset({"AccessToken", "basic_string", "redirect_uri"})
# The token refresh request also sees the refresh token [I].
REFRESH_VARIABLES = AUTH_VARIABLES | {"RefreshToken"}

# A call's event data (3.6-3.8).
CALL_VARIABLES = frozenset({
    "Phone", "CallerNumber", "CallerDisplayName", "CalleeNumber", "StartTimeUnix", "Time",
    "Communication_Type", "Call_Status", "Call_From", "Call_To", "Talk_Duration",
    "Talk_Duration_Sec", "RecordPath", "Call_Log_Status",
})
# A contact's data: its mapped fields, both ID spellings, and what the PBX adds (3.3-3.5).
CONTACT_VARIABLE_NAMES = frozenset({
    *CONTACT_VARIABLES.values(), *CONTACT_ID_ALIASES, "ContactNumber", "DisplayName", "WhoModule",
})
# The agent a call belongs to (3.6).
_USER = frozenset({"UserUniqueId", "Owner"})
# The pagination values of the Get User request (2.6 [I]).
PAGING_VARIABLES = frozenset({"Page", "PageSize", "Offset", "Limit", "NextLink"})
# The journal's and ticket's rendered options (3.7, 3.8).
_TEXTS = frozenset({"Subject", "Description"})

# Variables the PBX provides to the requests of each section (format reference 3.1-3.9).
PREDEFINED_VARIABLES: dict[str, frozenset[str]] = {
    AUTHENTICATION: REFRESH_VARIABLES,
    HEADERS: AUTH_VARIABLES,
    USER_ASSOCIATION: AUTH_VARIABLES | PAGING_VARIABLES,
    CONTACT_SEARCH: AUTH_VARIABLES | CALL_VARIABLES | CONTACT_VARIABLE_NAMES | {"SearchValue"},
    KEYWORD_SEARCH: AUTH_VARIABLES | CONTACT_VARIABLE_NAMES | {"SearchValue", "Phone"},
    CONTACT_CREATION: AUTH_VARIABLES | CALL_VARIABLES | CONTACT_VARIABLE_NAMES | _USER,
    CALL_JOURNAL: AUTH_VARIABLES | CALL_VARIABLES | CONTACT_VARIABLE_NAMES | _USER | _TEXTS | {"TicketId"},
    NEW_TICKET: AUTH_VARIABLES | CALL_VARIABLES | CONTACT_VARIABLE_NAMES | _USER | _TEXTS | {"TicketId", "DepartmentId"},
    FOLLOW_UPS: AUTH_VARIABLES | CALL_VARIABLES | CONTACT_VARIABLE_NAMES | _USER | _TEXTS | {"TicketId", "SearchValue"},
}
