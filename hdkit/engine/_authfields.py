"""What the auth flows share: the form section their errors point at, and template fields
rendered from the inputs, with secrets revealed at send time only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hdkit.secrets import reveal

SECTION = "Authentication"
Render = Callable[[str, Mapping[str, Any], str], str]


def render_template(source: str, data: Mapping[str, Any], name: str) -> str:
    """Render a Go text/template (``hdkit.gotemplate``), failing on a missing variable."""
    from hdkit import gotemplate

    return gotemplate.compile(source, name).render(dict(data), missingkey="error")



def plain_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs with secrets revealed, for rendering at send time only."""
    return {k: reveal(v) for k, v in inputs.items()}
