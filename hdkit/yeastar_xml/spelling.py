"""How the Yeastar template file spells things the model names differently.

**Reconstructed spellings.** The reference could not see how the PBX spells pagination, follow-up
events and headers, the dropdown field type and its options, the "from contact field" popup mode,
the OAuth2 content types and refresh settings, the Basic credential types or the "hide missed
calls" option. Every such name is in :data:`SPELLING` below and nowhere else, so one edit fixes
them once a real PBX export is available. Everything outside that table is seen in the sample.
"""

from __future__ import annotations

from typing import Any

from hdkit.model import CONTACT_VARIABLES, FieldType, PaginationMode, PopupMode

# Reconstructed or unknown spellings ([I] in the format reference). Change them here only.
SPELLING: dict[str, Any] = {
    "pagination_father": "Pagination",  # 2.6 [I]
    "pagination": {  # model field -> Parameter Name, 2.6 [I]
        "mode": "Mode",
        "page_param": "PageParam",
        "page_start": "PageStart",
        "size_param": "SizeParam",
        "size": "PageSize",
        "offset_param": "OffsetParam",
        "offset_start": "OffsetStart",
        "limit_param": "LimitParam",
        "limit": "Limit",
        "next_link_path": "NextLinkPath",
    },
    "pagination_mode": {  # 2.6 [I]
        PaginationMode.DISABLED: "disabled",
        PaginationMode.PAGE: "page",
        PaginationMode.OFFSET: "offset",
        PaginationMode.NEXT_LINK: "next_link",
    },
    "field_editor": {FieldType.TEXT: "string", FieldType.PASSWORD: "password", FieldType.DROPDOWN: "select"},
    "field_options_attr": "Options",  # dropdown options, comma separated [I]
    "header_description_attr": "Description",  # [I]
    "popup_mode": {PopupMode.URL_FORMAT: "specify_url_format", PopupMode.CONTACT_FIELD: "contact_field"},
    "popup_output": "ContactUrl",  # 4.2 [I]: output that carries the contact-field popup URL
    "credential_type": {"username_password": "username_password", "api_key": "api_key"},  # [I]
    "oauth2": {  # 3.1: refresh settings and content types are [I]
        "content_type": "TokenContentType",
        "refresh_method": "RefreshTokenMethod",
        "refresh_endpoint": "RefreshTokenEndPoint",
        "refresh_content_type": "RefreshTokenContentType",
        "refresh_minutes": "RefreshTokenInterval",
        "refresh_body": "RefreshTokenBody",
    },
    "follow_up_event": "TriggerEvent",  # request Parameter holding the event [I]
    "follow_up_headers": "Headers",  # request Parameter (Type="Header") with the JSON object [I]
    "hide_missed": ("EnableHideMissedCallRecords", "HideMissedCallRecords"),  # [I]
}

# Output names of the PBX contact fields are the model's variable names (format reference 3.3).
CONTACT_OUTPUTS = CONTACT_VARIABLES
CONTACT_ID_ALIASES = ("ContactsId", "ContactId")  # 3.3 [S]: both spellings occur
USER_OUTPUTS = {"user_id": "UserUniqueId", "first_name": "FirstName", "last_name": "LastName",
                "email": "Email"}
_RESPONSE_TYPE = "application/json"
