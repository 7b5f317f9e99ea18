"""Response field paths: GJSON (what the PBX uses) and JSONPath (``$``-rooted), one API.

The PBX picks response fields with tidwall's GJSON (Go, v1.14.4), and hdkit answers every GJSON
path the way it does (the Go oracle's 2,831 recorded cases and ~300,000 fuzzed ones agree).
Two engines give that answer: pygjson (tidwall's gjson.rs, one native call) for the ordinary
paths it answers like Go, with a few patches (:mod:`.gjson`), and hdkit's own evaluator for
everything else (:mod:`.evaluate`). Only a path too long or too deeply nested is refused.

* :mod:`.values`: values as Go's ``Result.String()`` prints them; ``MISSING`` is not ``null``;
* :mod:`.syntax`: splitting a GJSON path, its size limits, and which engine answers it;
* :mod:`.gjson`: lookups in Go's order; :mod:`.evaluate` (with :mod:`.lenient`,
  :mod:`.modifiers`, :mod:`.pretty`, :mod:`.wildcard`): hdkit's own evaluator;
* :mod:`.traps`: paths that work on the PBX but mean something surprising (validation warns);
* :mod:`.bodies`: response bodies (valid JSON, bounded nesting);
* :mod:`.compiled`: :func:`compile_path` for GJSON and JSONPath, and templated paths.
"""

from .bodies import check_json, load_json
from .compiled import (
    CompiledPath,
    PathKind,
    compile_path,
    escape_query_value,
    render_path,
)
from .gjson import gjson_get, oracle_gjson
from .traps import PathTrap, path_traps
from .values import MISSING, GJSONResult, format_go_float, go_string

__all__ = [
    "MISSING",
    "CompiledPath",
    "GJSONResult",
    "PathKind",
    "PathTrap",
    "check_json",
    "compile_path",
    "escape_query_value",
    "format_go_float",
    "gjson_get",
    "go_string",
    "load_json",
    "oracle_gjson",
    "path_traps",
    "render_path",
]
