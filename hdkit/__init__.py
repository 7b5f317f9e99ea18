"""hdkit: build, test and export Yeastar P-Series Helpdesk integration templates.

The public surface is re-exported here; everything else is private to its module.
"""

from hdkit.errors import (
    AuthError,
    EngineError,
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
from hdkit.secrets import Secret

__version__ = "0.1.0"

__all__ = sorted(
    [
        "AuthError",
        "EngineError",
        "HdkitError",
        "HelpdeskError",
        "LimitError",
        "Location",
        "ModelError",
        "PathError",
        "Secret",
        "TemplateError",
        "TemplateExecError",
        "TemplateSyntaxError",
        "UnsupportedPathError",
        "ValidationFailed",
        "XMLFormatError",
        "__version__",
    ]
)
