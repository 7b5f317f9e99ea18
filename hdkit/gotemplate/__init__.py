"""Go ``text/template``, as the Yeastar PBX renders it (Go 1.19 plus four Yeastar functions).

``compile(source)`` parses once into an immutable :class:`Template`; ``Template.render(data)``
runs it with Go's semantics (``<no value>`` for missing keys, Go's ``%v`` printing, int64 vs
float64 numbers). :func:`action_spans` locates every ``{{...}}`` even in a broken template and
:func:`fix_quotes` repairs the single-quoted strings Go rejects.
"""

from .execute import FieldRef, Hook, Template, render
from .execute import compile_template as compile
from .spans import ActionSpan, action_spans, fix_quotes

__all__ = ["ActionSpan", "FieldRef", "Hook", "Template", "action_spans", "compile", "fix_quotes", "render"]
