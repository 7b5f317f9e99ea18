"""Sample templates, one per sandbox helpdesk API, ready to run.

``load("freshdesk")`` gives a :class:`~hdkit.model.Template` read from the bundled XML (written
by hdkit's own exporter, see :mod:`hdkit.samples.build`). Every sample takes its helpdesk
address from the custom field ``base_url``, so the same template runs against the sandbox
(:func:`demo_inputs` gives the sandbox's demo credentials) or a real helpdesk.

==========  =============================================  ==================
sample      auth                                           users pagination
==========  =============================================  ==================
freshdesk   Basic, API key (``{{.api_key}}:X``)            page number
keydesk     None, API key in an ``X-API-Key`` header       page number
zendesk     OAuth2, rotating refresh tokens                next link
zoho        OAuth2, kept (non-rotating) refresh token      offset
==========  =============================================  ==================
"""

from __future__ import annotations

from importlib import resources

from hdkit.errors import Location, ModelError
from hdkit.model import Template
from hdkit.sandbox.accounts import DEMO
from hdkit.yeastar_xml import from_xml

__all__ = ["demo_inputs", "demo_phone", "load", "names", "text"]

_INPUTS: dict[str, tuple[str, ...]] = {
    "freshdesk": ("api_key",),
    "keydesk": ("api_key",),
    "zendesk": ("client_id", "client_secret"),
    "zoho": ("client_id", "client_secret", "org_id", "department_id"),
}
_PHONE = "+14155550123"  # Ada Lovelace, stored in E.164 in every sandbox phone book


def names() -> list[str]:
    """The bundled samples, sorted."""
    return sorted(_INPUTS)


def _check(name: str) -> None:
    if name not in _INPUTS:
        raise ModelError(f"no sample template {name!r} (samples: {', '.join(names())})",
                         Location(field="sample"))


def text(name: str) -> str:
    """The sample's XML text."""
    _check(name)
    return resources.files(__name__).joinpath(f"{name}.xml").read_text(encoding="utf-8")


def load(name: str) -> Template:
    """The sample template ``name``."""
    return from_xml(text(name), source=f"{name}.xml")


def demo_inputs(name: str, sandbox_url: str) -> dict[str, str]:
    """Inputs that run sample ``name`` against a sandbox at ``sandbox_url``."""
    _check(name)
    demo = DEMO[name]
    values = {"base_url": sandbox_url.rstrip("/") + demo["base"]}
    values.update({key: str(demo[key]) for key in _INPUTS[name]})
    return values


def demo_phone(name: str) -> str:
    """A number the sample's sandbox phone book knows."""
    _check(name)
    return _PHONE
