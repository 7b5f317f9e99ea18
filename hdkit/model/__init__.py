"""The template model: the file's requests, and the form's sections as views over them.

Everything in hdkit reads or writes this model: the forms edit it, the engine runs it, the XML
adapter (``yeastar_xml``) reads and writes it. Its unit is the file's own unit, the request
(:class:`Request` and its per-scenario kinds), kept with every parameter, output and attribute
the file gave it; the form's fields that a request holds (a journal's URL, the Contact Field
Mapping) are views that read and write those requests, never a second copy.

The model is immutable (edit with :func:`replace` or ``Part.replace``) and checks its data at
the edge: a wrong type, an unknown enum value, a non-numeric number or more items than a hard
limit allows raises :class:`~hdkit.errors.ModelError` / :class:`~hdkit.errors.LimitError` naming
the section and field, as does text XML cannot store. A value a *file* holds that hdkit does not
know is kept as :class:`Unrecognized` and warned about by validation, never refused. Everything
softer (required fields, template syntax, paths, unknown variables) is reported all at once by
:func:`hdkit.validate.validate`.

Field metadata (title, help, example, limit) lives once, on the fields and views, and feeds
validation messages and form labels: see :func:`field_info` and :func:`form_fields`.

One module per concept: :mod:`.base` (checks, metadata, views), :mod:`.enums`,
:mod:`.requests` (the file's requests), :mod:`.sections` (the form's sections) and
:mod:`.template` (the template, its file record, and the user's :class:`Inputs`).
"""

from hdkit.model.base import (
    AUTHENTICATION,
    CALL_JOURNAL,
    CONTACT_CREATION,
    CONTACT_SEARCH,
    EXTRAS,
    FOLLOW_UPS,
    GENERAL,
    HEADERS,
    KEYWORD_SEARCH,
    NEW_TICKET,
    UNSET,
    USER_ASSOCIATION,
    FieldInfo,
    Part,
    Unrecognized,
    field_info,
    form_fields,
    replace,
    split_list,
    type_hints,
    view_names,
)
from hdkit.model.enums import (
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
)
from hdkit.model.requests import ContactType, CreationType, FollowUpRequest, Output, Param, Request
from hdkit.model.sections import (
    Auth,
    BasicAuth,
    CallJournal,
    CallOption,
    ContactCreation,
    ContactFields,
    ContactSearch,
    ContactSwitches,
    CustomField,
    CustomVariable,
    Extra,
    FieldMapping,
    General,
    Header,
    KeywordSearch,
    Logo,
    NewTicket,
    OAuth2,
    Pagination,
    Popup,
    UserAssociation,
    UserFields,
)
from hdkit.model.template import FileRecord, Inputs, Template

__all__ = [
    "AUTHENTICATION",
    "Auth",
    "AuthMethod",
    "BasicAuth",
    "CALL_JOURNAL",
    "CONTACT_CREATION",
    "CONTACT_ID_ALIASES",
    "CONTACT_SEARCH",
    "CONTACT_VARIABLES",
    "CallJournal",
    "CallOption",
    "ContactCreation",
    "ContactFields",
    "ContactSearch",
    "ContactSwitches",
    "ContactType",
    "ContentType",
    "CreationType",
    "CredentialType",
    "CustomField",
    "CustomVariable",
    "EXTRAS",
    "Extra",
    "FOLLOW_UPS",
    "FieldInfo",
    "FieldMapping",
    "FieldType",
    "FileRecord",
    "FollowUpEvent",
    "FollowUpRequest",
    "GENERAL",
    "General",
    "HEADERS",
    "Header",
    "Inputs",
    "KEYWORD_SEARCH",
    "KeywordSearch",
    "Logo",
    "NEW_TICKET",
    "NewTicket",
    "OAuth2",
    "Output",
    "Pagination",
    "PaginationMode",
    "Param",
    "Part",
    "Popup",
    "PopupMode",
    "Provider",
    "Request",
    "Template",
    "UNSET",
    "USER_ASSOCIATION",
    "USER_VARIABLES",
    "Unrecognized",
    "UserAssociation",
    "UserFields",
    "field_info",
    "form_fields",
    "replace",
    "split_list",
    "type_hints",
    "view_names",
]
