"""Try it: run the current template against the helpdesk and show what came back.

Each button builds an :class:`~hdkit.engine.Engine` from the store's template and the inputs
form, and calls one of its sync methods. That is the one way work is driven from a button: the
engine's sync wrapper runs the async core on its own loop in a worker thread when the notebook's
loop is running, so the click handler simply blocks until the result is there, with its button
disabled meanwhile (:meth:`TryPanel.run`, the only place that happens). The result is shown as
the mapped records and the exchanges as DataFrames, plus the raw (redacted) request and response
of the exchange picked. Refusals (validation errors, a bad input, an auth failure) are messages.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from hdkit.engine import CallKind, Engine, TokenStore
from hdkit.errors import HdkitError, Location, ModelError, ValidationFailed
from hdkit.model import AuthMethod
from hdkit.results import frame_of
from hdkit.ui.fields import message_html
from hdkit.ui.inputs import InputsForm
from hdkit.ui.state import Store

__all__ = ["TryPanel", "frame_html"]

_ROWS = 20  # rows of a frame shown; the whole frame stays on the panel (``records``)
_PRE = "max-height:24em;overflow:auto;white-space:pre-wrap;word-break:break-all"


def frame_html(frame: pd.DataFrame) -> str:
    """A DataFrame as an escaped HTML table, at most a screenful of rows."""
    return frame.to_html(max_rows=_ROWS, escape=True, border=0, na_rep="")


class TryPanel:
    """Buttons that run users / search / format matrix / call (and OAuth2 consent), and the views."""

    def __init__(self, store: Store, inputs: InputsForm, *, phone: str = "",
                 engine_options: Mapping[str, Any] | None = None,
                 authorize_options: Mapping[str, Any] | None = None) -> None:
        self.store, self.inputs_form = store, inputs
        self.engine_options = dict(engine_options or {})
        self.authorize_options = dict(authorize_options or {})
        self.tokens = TokenStore()
        self.result: Any = None
        self.records = pd.DataFrame()
        self.exchanges = pd.DataFrame()
        self._log: tuple[Any, ...] = ()

        self.phone = widgets.Text(value=phone, description="Phone", placeholder="+14155550123")
        self.call_kind = widgets.Dropdown(options=[k.value for k in CallKind], description="Call event")
        self.authorize_button = widgets.Button(description="Authorize (OAuth2)", icon="key", layout=widgets.Layout(width="auto"))
        self.users_button = widgets.Button(description="Sync users", icon="users")
        self.search_button = widgets.Button(description="Search contact", icon="search")
        self.matrix_button = widgets.Button(description="Match formats", icon="table")
        self.call_button = widgets.Button(description="Simulate call", icon="phone")
        self.authorize_button.on_click(lambda b: self.run(b, self._authorize))
        self.users_button.on_click(lambda b: self.run(b, lambda e: e.users()))
        self.search_button.on_click(lambda b: self.run(b, lambda e: e.search(self._phone())))
        self.matrix_button.on_click(lambda b: self.run(b, lambda e: e.match_matrix(self._phone())))
        self.call_button.on_click(lambda b: self.run(b, self._call))

        self.status = widgets.HTML()
        self.records_view = widgets.HTML()
        self.exchanges_view = widgets.HTML()
        self.exchange_pick = widgets.Dropdown(options=[], description="Exchange")
        self.exchange_pick.observe(lambda _: self._show_raw(), "value")
        self.raw_view = widgets.HTML()
        store.observe(self._follow, "template")
        self._follow({})
        self.box = widgets.VBox([
            self.inputs_form.box,
            widgets.HBox([self.phone, self.call_kind]),
            widgets.HBox([self.authorize_button, self.users_button, self.search_button, self.matrix_button,
                          self.call_button]),
            self.status,
            widgets.HTML("<h4>Mapped records</h4>"), self.records_view,
            widgets.HTML("<h4>Exchanges</h4>"), self.exchanges_view,
            self.exchange_pick, self.raw_view,
        ])

    def _follow(self, change: Mapping[str, Any]) -> None:
        """Show the Authorize button only for templates that need a consent."""
        needs = self.store.template.auth.method is AuthMethod.OAUTH2
        self.authorize_button.layout.display = None if needs else "none"

    # -- the one place a button drives work -------------------------------------------------

    def run(self, button: widgets.Button, work: Callable[[Engine], Any]) -> None:
        """Run ``work`` on a fresh engine with ``button`` disabled; show the result or the refusal."""
        button.disabled = True
        self.status.value = f"<i>{html.escape(button.description)}: running...</i>"
        try:
            # Engine refuses a template with errors (ValidationFailed), as export does
            engine = Engine(self.store.template, self.inputs_form.inputs(), tokens=self.tokens,
                            **self.engine_options)
            result = work(engine)
        except ValidationFailed as err:
            self.status.value = message_html(err.errors, err.message)
        except (HdkitError, ValueError) as err:
            self.status.value = message_html([], str(err))
        else:
            self.show(result)
        finally:
            button.disabled = False

    def _authorize(self, engine: Engine) -> str:
        engine.authorize(**self.authorize_options)
        return "authorized: the token is kept for the next runs"

    def _phone(self) -> str:
        phone = self.phone.value.strip()
        if not phone:
            raise ModelError("enter the caller's phone number first", Location("Try it", "Phone"))
        return phone

    def _call(self, engine: Engine) -> Any:
        return engine.call(engine.event(self.call_kind.value, self._phone()))

    # -- views ------------------------------------------------------------------------------

    def show(self, result: Any) -> None:
        """Show a result object (or a plain message)."""
        self.result = result
        if isinstance(result, str):
            self.status.value = html.escape(result)
            return
        self.records = frame_of(result)
        self.exchanges = result.exchanges()
        self._log = tuple(result.log)
        self.status.value = html.escape(repr(result))
        self.records_view.value = frame_html(self.records)
        self.exchanges_view.value = frame_html(self.exchanges.drop(
            columns=["request_headers", "request_body", "response_body", "extracted"], errors="ignore"))
        self.exchange_pick.options = [(f"{i + 1}. {e.step}: {e.method} {e.url} -> {e.status}", i)
                                      for i, e in enumerate(self._log)]
        self.exchange_pick.value = 0 if self._log else None
        self._show_raw()

    def _show_raw(self) -> None:
        index = self.exchange_pick.value
        if index is None or index >= len(self._log):
            self.raw_view.value = ""
            return
        e = self._log[index]
        headers = "\n".join(f"{k}: {v}" for k, v in dict(e.request_headers).items())
        text = (f"{e.method} {e.url}\n{headers}\n\n{e.request_body or ''}\n\n"
                f"--> {e.status} {e.outcome} {e.error or ''}\n{e.response_body or ''}")
        self.raw_view.value = f"<pre style='{_PRE}'>{html.escape(text)}</pre>"
