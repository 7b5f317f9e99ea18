"""hdkit: build, test and export Yeastar P-Series Helpdesk integration templates.

The public surface is re-exported here and pinned by ``tests/test_architecture.py``; everything
else is private to its module. The engine (httpx), results (pandas) and the sandbox (starlette,
uvicorn) load on first use, so ``import hdkit`` stays light for validation and XML work.
"""

from importlib import import_module
from typing import Any

from hdkit.errors import (
    ArgumentError,
    AuthError,
    EngineError,
    FileError,
    HdkitError,
    HelpdeskError,
    LimitError,
    Location,
    ModelError,
    PathError,
    TemplateError,
    TemplateExecError,
    TemplateSyntaxError,
    UnsupportedPathError,
    ValidationFailed,
    XMLFormatError,
)
from hdkit.extract import extract_records, extract_values
from hdkit.library import TemplateLibrary
from hdkit.model import (
    Auth,
    AuthMethod,
    BasicAuth,
    CallJournal,
    CallOption,
    ContactCreation,
    ContactFields,
    ContactSearch,
    ContactType,
    ContentType,
    CreationType,
    CredentialType,
    CustomField,
    FieldMapping,
    FieldType,
    FollowUpEvent,
    FollowUpRequest,
    General,
    Header,
    Inputs,
    Logo,
    NewTicket,
    OAuth2,
    Output,
    Pagination,
    PaginationMode,
    Popup,
    PopupMode,
    Template,
    UserAssociation,
    UserFields,
)
from hdkit.paths import MISSING, compile_path, gjson_get
from hdkit.problems import Problem, Severity
from hdkit.rendering import JSON_ESCAPER, lint, render_checked, render_safe
from hdkit.secrets import Secret
from hdkit.validate import require_valid, validate
from hdkit.yeastar_xml import from_xml, load, save, to_xml

__version__ = "0.1.0"  # the one place: pyproject reads it, `hdkit --version` prints it

# name -> module, imported on first attribute access (heavy dependencies).
_LAZY = {
    "CallEvent": "hdkit.engine",
    "CallKind": "hdkit.engine",
    "Engine": "hdkit.engine",
    "Sandbox": "hdkit.sandbox",
    "samples": "hdkit.samples",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hdkit' has no attribute {name!r}")
    mod = import_module(module)
    value = mod if name == module.rsplit(".", 1)[1] else getattr(mod, name)
    globals()[name] = value
    return value


__all__ = sorted(
    [
        "JSON_ESCAPER",
        "MISSING",
        "Auth",
        "ArgumentError",
        "AuthError",
        "AuthMethod",
        "BasicAuth",
        "CallEvent",
        "CallJournal",
        "CallKind",
        "CallOption",
        "ContactCreation",
        "ContactFields",
        "ContactSearch",
        "ContactType",
        "ContentType",
        "CreationType",
        "CredentialType",
        "CustomField",
        "Engine",
        "EngineError",
        "FieldMapping",
        "FieldType",
        "FileError",
        "FollowUpEvent",
        "FollowUpRequest",
        "General",
        "HdkitError",
        "Header",
        "HelpdeskError",
        "Inputs",
        "LimitError",
        "Location",
        "Logo",
        "ModelError",
        "NewTicket",
        "OAuth2",
        "Output",
        "Pagination",
        "PaginationMode",
        "PathError",
        "Popup",
        "PopupMode",
        "Problem",
        "Sandbox",
        "Secret",
        "Severity",
        "Template",
        "TemplateError",
        "TemplateExecError",
        "TemplateLibrary",
        "TemplateSyntaxError",
        "UnsupportedPathError",
        "UserAssociation",
        "UserFields",
        "ValidationFailed",
        "XMLFormatError",
        "__version__",
        "compile_path",
        "extract_records",
        "extract_values",
        "from_xml",
        "gjson_get",
        "lint",
        "load",
        "render_checked",
        "render_safe",
        "require_valid",
        "samples",
        "save",
        "to_xml",
        "validate",
    ]
)
