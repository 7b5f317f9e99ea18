"""What the auth flows share: the form section their errors point at, and template fields
rendered from the inputs, with secrets revealed at send time only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


SECTION = "Authentication"
Render = Callable[[str, Mapping[str, Any], str], str]


def render_template(source: str, data: Mapping[str, Any], name: str) -> str:
    """Render a Go text/template (``hdkit.gotemplate``), failing on a missing variable."""
    from hdkit import gotemplate

    return gotemplate.compile(source, name).render(dict(data), missingkey="error")



def plain_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs for rendering an auth field. Secrets stay :class:`~hdkit.secrets.Secret`: the
    renderer prints their value into the output only, so an error (``{{ToMillis .api_key}}``)
    quotes them masked."""
    return dict(inputs)
