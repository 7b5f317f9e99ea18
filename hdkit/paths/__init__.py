"""Response field paths: GJSON (what the PBX uses) and JSONPath (``$``-rooted), one API.

The PBX picks response fields with tidwall's GJSON (Go, v1.14.4). hdkit answers GJSON with
pygjson (tidwall's gjson.rs): one native call per lookup, but not identical to Go everywhere.
Diffing against the Go oracle sorted every difference into *patched* (search order and number
presentation, :mod:`.gjson`) or *refused* at compile time with an
:class:`~hdkit.errors.UnsupportedPathError` that names the part and its column (:mod:`.syntax`).
Never a wrong answer, as far as the oracle can tell.

* :mod:`.results`: values as Go's ``Result.String()`` prints them; ``MISSING`` is not ``null``;
* :mod:`.syntax`: splitting a GJSON path, and what is refused;
* :mod:`.gjson`: lookups in Go's order;
* :mod:`.document`: response bodies (valid JSON, bounded nesting);
* :mod:`.compiled`: :func:`compile_path` for GJSON and JSONPath, and templated paths.
"""

from .compiled import CompiledPath, PathKind, compile_path, escape_query_value, render_path
from .document import check_json, load_json
from .gjson import gjson_get, oracle_gjson
from .results import MISSING, GJSONResult, format_go_float, go_string

__all__ = [
    "MISSING",
    "CompiledPath",
    "GJSONResult",
    "PathKind",
    "check_json",
    "compile_path",
    "escape_query_value",
    "format_go_float",
    "gjson_get",
    "go_string",
    "load_json",
    "oracle_gjson",
    "render_path",
]
