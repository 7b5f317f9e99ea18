"""Go ``text/template``, as the Yeastar PBX renders it (Go 1.19 plus four Yeastar functions).

``gotemplate.compile(source)`` parses once into an immutable :class:`CompiledTemplate` (not
:class:`hdkit.model.Template`, a whole template file); ``.render(data)`` runs it with Go's
semantics (``<no value>`` for missing keys, Go's ``%v`` printing, int64 vs float64 numbers). :func:`action_spans` locates every ``{{...}}`` even in a broken template and
:func:`fix_quotes` repairs the single-quoted strings Go rejects.

Checked against Go itself: every case in tests/data/oracle was answered by the Go oracle.
Known, deliberate differences from Go:

* ``missingkey="zero"`` renders a missing key (and any chain through it) as ``""``; Go still
  prints ``<no value>`` for ``map[string]any`` data.
* ``{{template}}`` calls nest at most 3,000 deep (Go: 100,000) and the parser nests at most
  100 levels (Go: unbounded), so hostile input fails cleanly instead of exhausting Python's stack.
* ``slice`` stops at the length of a list; Go may reach into spare capacity that its JSON
  decoder happened to allocate.
* ``TimeFormat`` timestamps outside the platform's ``time`` range are an error (Go formats
  any year); a POSIX ``TZ`` string such as ``EST5`` is honoured (Go falls back to UTC).
* Strings are bytes as in Go (:mod:`.gostr`): halves of a character printed side by side give
  it back, but a half printed alone shows as U+FFFD where Go writes the raw byte.
"""

import warnings
from typing import Any

from .execute import CompiledTemplate, Hook, render
from .execute import compile_template as compile  # called as gotemplate.compile, like re.compile
from .refs import FieldRef
from .spans import ActionSpan, action_spans, fix_quotes

__all__ = ["ActionSpan", "CompiledTemplate", "FieldRef", "Hook", "action_spans", "compile", "fix_quotes", "render"]


def __getattr__(name: str) -> Any:
    if name == "Template":  # renamed: hdkit has one public class called Template, the model's
        warnings.warn("hdkit.gotemplate.Template is now hdkit.gotemplate.CompiledTemplate",
                      DeprecationWarning, stacklevel=2)
        return CompiledTemplate
    raise AttributeError(f"module 'hdkit.gotemplate' has no attribute {name!r}")
