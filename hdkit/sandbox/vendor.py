"""What the four vendor APIs have in common, written once.

Each vendor keeps its own auth rule and its own answer shapes; what they share is the way a
write is taken in (auth first, then a JSON object, maybe wrapped as ``{"ticket": {...}}``),
the records created through the API (kept in the server's :class:`~hdkit.sandbox.context.Store`
under the vendor's name) and their timestamps.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from starlette.requests import Request
from starlette.responses import Response

from hdkit.sandbox.context import Context
from hdkit.sandbox.web import json_body, json_response


def not_text(body: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    """The first of ``fields`` that ``body`` gives as something other than a string (or null)."""
    return next((f for f in fields if body.get(f) is not None and not isinstance(body[f], str)), None)


class VendorAPI:
    """Base of a vendor API: subclasses set ``name`` and answer ``guard``, ``bad_body`` and
    ``missing`` in their own shapes."""

    name: ClassVar[str]
    #: Zoho writes times with milliseconds (``...:00.000Z``), the others without.
    millis: ClassVar[bool] = False

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def guard(self, request: Request, write: bool = False) -> Response | None:
        """None when the request may go on, else the vendor's 401 or 403."""
        raise NotImplementedError

    def bad_body(self, wrapper: str | None) -> Response:
        """The vendor's 400 for a write whose body is not a JSON object (inside ``wrapper``)."""
        raise NotImplementedError

    def missing(self) -> Response:
        """The vendor's 404 for a record it does not have."""
        raise NotImplementedError

    async def write_body(self, request: Request, wrapper: str | None = None) -> dict[str, Any] | Response:
        """The JSON object a write sends (``body[wrapper]`` when given), or the vendor's refusal."""
        if refused := self.guard(request, write=True):
            return refused
        body = await json_body(request)
        if wrapper is not None and isinstance(body, dict):
            body = body.get(wrapper)
        return body if isinstance(body, dict) else self.bad_body(wrapper)

    async def show(self, request: Request, kind: str, record_id: object) -> Response:
        """A created record as JSON, or the vendor's 401/403/404."""
        if refused := self.guard(request):
            return refused
        found = self.stored(kind, record_id)
        return json_response(found) if found else self.missing()

    async def update(self, request: Request, kind: str, fields: tuple[str, ...],
                     stamp: str) -> Response:
        """Copy a write's ``fields`` onto a created record, set ``stamp`` to now, answer it."""
        body = await self.write_body(request)
        if isinstance(body, Response):
            return body
        record = self.stored(kind, request.path_params["tid"])
        if record is None:
            return self.missing()
        record.update({key: body[key] for key in fields if key in body})
        record[stamp] = self.now()
        return json_response(record)

    def now(self) -> str:
        """Now as ISO 8601 UTC, ``2024-05-01T10:00:00Z`` (``...:00.000Z`` when ``millis``)."""
        return time.strftime("%Y-%m-%dT%H:%M:%S" + (".000Z" if self.millis else "Z"), time.gmtime())

    def created(self, kind: str) -> list[dict[str, Any]]:
        """Records of ``kind`` created through this vendor's API, oldest first."""
        return self.ctx.store.all(self.name, kind)

    def stored(self, kind: str, record_id: object) -> dict[str, Any] | None:
        return self.ctx.store.get(self.name, kind, record_id)

    def keep(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        """Store a created record (readable back through the API and ``hd.state``)."""
        return self.ctx.store.put(self.name, kind, record)
