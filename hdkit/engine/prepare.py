"""Model + variables -> the exact request the PBX would send. The one place requests are rendered.

A preview that passes while the real run fails is the bug users of similar tools complain
about most, so the dry run and the real run share this code: :meth:`Renderer.render` turns a
:class:`Spec` (what a template section declares) and a variable scope into a
:class:`Prepared` request, and the only difference between the two runs is whether the client
then sends it.

Rendering is faithful (``hdkit.gotemplate``, Go's ``text/template``: no escaping, ``<no value>``
for a missing key); :func:`hdkit.rendering.render_checked` adds the problems it finds (a value
that broke a JSON body) to the step. A variable that is one of the template's custom fields
(or an auth value) but has no input is a clear :class:`~hdkit.errors.EngineError` naming the
step and the variable: the user forgot an input, and sending ``<no value>`` would only hide it.

Authentication renders here too: its requests (the token refresh) are :class:`Spec` objects
like any other, and its fields that are no request of their own (the Basic credential, the
OAuth2 endpoints) go through :meth:`Renderer.render_field`. Both are *strict*: every variable
they use must have a value, since a token request with ``<no value>`` in it only fails later
and further from the cause.

Variable scope order (format reference, section 5): inputs, auth values, event data, rendered
subject/description, outputs of earlier requests; later layers win (:func:`scope`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from hdkit import gotemplate
from hdkit.errors import EngineError, Location
from hdkit.model import AuthMethod, FollowUpRequest, Template
from hdkit.model.requests import _Request
from hdkit.problems import Problem
from hdkit.rendering import Kind, body_kind, render_checked
from hdkit.validate import authorization_not_sent
from hdkit.vocabulary import AUTH_VARIABLES, FOLLOW_UPS, HEADERS

__all__ = [
    "Prepared",
    "Renderer",
    "Spec",
    "defaults",
    "scope",
]

NO_VALUE = "<no value>"




def defaults(section: object) -> dict[str, object]:
    """A scenario's own variables with a value (the file's CustomScenarioParameter): the lowest
    layer of its requests' scope, so an input or a run's variable of the same name wins."""
    return {v.name: v.value for v in getattr(section, "variables", ()) if v.name and v.value}


def scope(*layers: Mapping[str, object] | None) -> dict[str, object]:
    """Merge variable layers in order; a later layer's value wins (section 5)."""
    out: dict[str, object] = {}
    for layer in layers:
        if layer:
            out.update(layer)
    return out


@dataclass(frozen=True)
class Spec:
    """One request as the template file states it (sources, not rendered).

    ``headers`` are the request's own header parameters (``<Parameter Type="Header">``, in file
    order); ``headers_json`` is a follow-up's headers, one JSON object template;
    ``template_headers`` says whether the template's custom headers apply (scenario requests
    yes; auth and follow-ups no); ``strict`` that every variable it uses must have a value
    (auth requests).
    """

    step: str
    section: str
    method: str
    url: str
    body: str = ""
    headers_json: str = ""
    template_headers: bool = True
    headers: tuple[tuple[str, str], ...] = ()
    strict: bool = False

    @classmethod
    def of(cls, request: _Request, section: str, step: str | None = None) -> Spec:
        """A scenario request as written: method, URL, body and its own header parameters."""
        return cls(step or request.name, section, request.method, request.url, request.body,
                   headers=tuple(request.header_params()))

    @classmethod
    def follow_up(cls, request: FollowUpRequest) -> Spec:
        """A follow-up request: its own headers (JSON object and parameters), never the
        template's custom headers."""
        return cls(request.name, FOLLOW_UPS, request.method, request.url, request.body,
                   headers_json=request.headers, template_headers=False,
                   headers=tuple(request.header_params()))


@dataclass(frozen=True)
class Prepared:
    """A rendered request, ready to send (or to show, in a dry run)."""

    step: str
    method: str
    url: str
    headers: dict[str, str]
    body: str | None
    problems: tuple[Problem, ...] = field(default=())


@lru_cache(maxsize=512)
def _compiled(source: str, name: str) -> gotemplate.CompiledTemplate:
    return gotemplate.compile(source, name)


class Renderer:
    """Renders :class:`Spec` objects for one template and one set of input names.

    Without a template it renders what needs none: auth fields and requests that use no
    template headers (an auth flow built on its own, in a test or a script).
    """

    def __init__(self, template: Template | None = None) -> None:
        self.template = template if template is not None else Template()
        self._required = {f.name for f in self.template.auth.custom_fields}
        self._auth_sets_authorization = self.template.auth.method is not AuthMethod.NONE

    def render(self, spec: Spec, variables: Mapping[str, object]) -> Prepared:
        problems: list[Problem] = []
        url = self._text(spec, "URL", spec.url, variables, "url", problems).strip()
        headers = self._headers(spec, variables, problems)
        kind = body_kind(headers.items())
        body = self._text(spec, "Body", spec.body, variables, kind, problems) if spec.body else None
        return Prepared(spec.step, spec.method.upper() or "GET", url, headers, body, tuple(problems))

    def render_text(self, spec: Spec, field_name: str, source: str, variables: Mapping[str, object],
                    problems: list[Problem]) -> str:
        """Render one more template string of a step (a subject, a pop-up URL, a path)."""
        return self._text(spec, field_name, source, variables, "text", problems)

    def render_field(self, section: str, field_name: str, source: str, variables: Mapping[str, object]) -> str:
        """A field of ``section`` that is no request of its own (the Basic credential, an OAuth2
        endpoint), rendered strictly: a variable with no value is an error located at the field."""
        where = Location(section, field_name)
        if not source or "{{" not in source:
            return source
        compiled = self.require(section, where, source, variables, strict=True)
        return render_checked(compiled, variables, "text", where).text

    def _headers(self, spec: Spec, variables: Mapping[str, object], problems: list[Problem]) -> dict[str, str]:
        """Template headers, then the request's own (a request header of the same name wins),
        then a follow-up's JSON headers; the auth method's Authorization is never overridden and
        a header without a name is not sent."""
        pairs = [(h.name, h.value) for h in self.template.headers] if spec.template_headers else []
        pairs += list(spec.headers)
        out: dict[str, str] = {}
        for name, source in pairs:
            if not name.strip():  # a header still being written: validation asks for its name
                continue
            if name.lower() == "authorization" and self._auth_sets_authorization:
                problems.append(Problem(
                    "warning",
                    authorization_not_sent(name, self.template.auth.method),
                    Location(HEADERS, name),
                    fix="remove the Authorization header from the template",
                    code="authorization-header-ignored",
                ))
                continue
            for known in [k for k in out if k.lower() == name.lower()]:
                del out[known]
            out[name] = self._text(spec, f"Header {name}", source, variables, "text", problems)
        if spec.headers_json.strip():
            out.update(self._json_headers(spec, variables, problems))
        return out

    def require(self, step: str, where: Location, source: str, variables: Mapping[str, object], *,
                strict: bool = False) -> gotemplate.CompiledTemplate:
        """Compile ``source``; raise when it uses an input (or auth value) that has no value, or,
        when ``strict``, any variable that has none."""
        compiled = _compiled(source, where.field or step)
        for ref in compiled.fields():
            name = ref.path[0] if ref.path else ""
            if not name or name in variables:
                continue
            if strict or name in self._required or name in AUTH_VARIABLES:
                raise EngineError(
                    f"{step}: variable {name!r} has no value",
                    where.at(ref.line, ref.column),
                    hint="authenticate first (hdkit auth TEMPLATE)" if name in AUTH_VARIABLES else
                    f"give the input {name!r} (--input {name}=VALUE, --inputs FILE.json, "
                    f"HDKIT_INPUT_{name.upper()}, or Engine(inputs={{{name!r}: ...}}))",
                )
        return compiled

    def _json_headers(self, spec: Spec, variables: Mapping[str, object],
                      problems: list[Problem]) -> dict[str, str]:
        where = Location(spec.section, f"{spec.step} Headers")
        text = self._text(spec, "Headers", spec.headers_json, variables, "json", problems)
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise EngineError(f"{spec.step}: the headers are not a JSON object once rendered: {exc}",
                              where, hint='write them as {"Name": "value", ...}') from exc
        if not isinstance(data, dict):
            raise EngineError(f"{spec.step}: the headers must be a JSON object", where,
                              hint='write them as {"Name": "value", ...}')
        return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}

    def _text(self, spec: Spec, field_name: str, source: str, variables: Mapping[str, object],
              kind: Kind, problems: list[Problem]) -> str:
        if not source or "{{" not in source:
            return source
        where = Location(spec.section, f"{spec.step} {field_name}")
        compiled = self.require(spec.step, where, source, variables, strict=spec.strict)
        checked = render_checked(compiled, variables, kind, where)
        problems.extend(checked.problems)
        if NO_VALUE in checked.text:
            missing = sorted({r.path[0] for r in compiled.fields() if r.path and r.path[0] not in variables})
            problems.append(Problem(
                "warning",
                f"{', '.join(missing) or 'a variable'} not set; rendered {NO_VALUE} as Go does",
                where,
                code="no-value",
            ))
        return checked.text
