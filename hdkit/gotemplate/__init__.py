"""Go ``text/template``, as the Yeastar PBX renders it (Go 1.19 plus four Yeastar functions)."""

from .spans import ActionSpan, action_spans, fix_quotes

__all__ = ["ActionSpan", "action_spans", "fix_quotes"]
