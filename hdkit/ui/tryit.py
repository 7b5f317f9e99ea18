"""Try it: run the template against the helpdesk from the workbench, without blocking the kernel.

Each button builds a fresh :class:`~hdkit.engine.Engine` from the store's template and the
typed inputs and hands an async scenario (``engine.ausers()``, ``asearch``, ``acall``...) to
:class:`~hdkit.ui.jobs.Jobs`, the one place work leaves the kernel's loop. The click returns at
once; the result lands in the :class:`~hdkit.ui.debug.DebugPanel` (records, each request and
response, path box, suggestions) and, for a call, the :class:`~hdkit.ui.callsim.CallSimulator`.
Refusals (validation errors, a missing input, an auth failure) are messages on the status line.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import ipywidgets as widgets
import pandas as pd

from hdkit.engine import Engine
from hdkit.engine.auth import TokenStore
from hdkit.errors import Location, ModelError, ValidationFailed
from hdkit.model import AuthMethod
from hdkit.ui.callsim import CallSimulator
from hdkit.ui.debug import DebugPanel, describe
from hdkit.ui.fields import message_html
from hdkit.ui.inputs import InputsForm
from hdkit.ui.jobs import Job, Jobs
from hdkit.ui.render import frame_html
from hdkit.ui.state import Store
from hdkit.ui.suggestions import Apply, Current

__all__ = ["TryPanel", "frame_html"]

T = TypeVar("T")


class TryPanel:
    """Buttons that run users / search / format matrix / call (and OAuth2 consent), and the views."""

    def __init__(self, store: Store, inputs: InputsForm, *, phone: str = "",
                 engine_options: Mapping[str, Any] | None = None,
                 authorize_options: Mapping[str, Any] | None = None,
                 apply: Apply | None = None, current: Current | None = None,
                 jobs: Jobs | None = None) -> None:
        self.store, self.inputs_form = store, inputs
        self.engine_options = dict(engine_options or {})
        self.authorize_options = dict(authorize_options or {})
        self.tokens = TokenStore()
        self.jobs = jobs or Jobs()
        self.result: Any = None

        self.phone = widgets.Text(value=phone, description="Phone", placeholder="caller's number, e.g. +14155550123",
                                  style={"description_width": "90px"})
        self.simulator = CallSimulator()
        self.call_kind, self.call_button = self.simulator.kind, self.simulator.button
        self.authorize_button = widgets.Button(description="Authorize (OAuth2)", icon="key",
                                               layout=widgets.Layout(width="auto"))
        self.users_button = widgets.Button(description="Sync users", icon="users")
        self.search_button = widgets.Button(description="Search contact", icon="search")
        self.matrix_button = widgets.Button(description="Match formats", icon="table")
        self.authorize_button.on_click(lambda b: self.start(b, self._authorize, self._authorized))
        self.users_button.on_click(lambda b: self.start(b, lambda e: e.ausers(), self.show))
        self.search_button.on_click(lambda b: self.start(b, lambda e: e.asearch(self._phone()), self.show))
        self.matrix_button.on_click(lambda b: self.start(b, lambda e: e.amatch_matrix(self._phone()), self.show))
        self.call_button.on_click(lambda b: self.start(b, self._call, self.show))

        self.status = widgets.HTML()
        self.debug = DebugPanel(apply or (lambda kind, key, path: "suggestions cannot be applied here"),
                                current or (lambda kind, key: ""))
        self.records_view = self.debug.records_view
        store.observe(self._follow, "template")
        self._follow({})
        self.box = widgets.VBox([
            self.inputs_form.box,
            self.phone,
            widgets.HBox([self.authorize_button, self.users_button, self.search_button, self.matrix_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.simulator.box,
        ])
        # shown under the section tabs, so a Try's result is in view whichever tab started it
        self.results_box = widgets.VBox([widgets.HTML("<h4 style='margin:6px 0 2px 0'>Last result</h4>"),
                                         self.status, self.debug.box])

    @property
    def records(self) -> pd.DataFrame:
        """The main table of the last result (users, contacts, the matrix, a call's steps)."""
        return self.debug.records

    @property
    def exchanges(self) -> pd.DataFrame:
        """Every exchange of the last result, redacted."""
        return self.result.exchanges() if self.result is not None and hasattr(self.result, "exchanges") else pd.DataFrame()

    def _follow(self, change: Mapping[str, Any]) -> None:
        """Show the Authorize button only for templates that need a consent."""
        needs = self.store.template.auth.method is AuthMethod.OAUTH2
        self.authorize_button.layout.display = None if needs else "none"

    # -- the one place a button drives work -------------------------------------------------

    def engine(self) -> Engine:
        """A fresh engine for the template as it is now; refused while it has errors."""
        errors = self.store.errors
        if errors:
            raise ValidationFailed(f"fix {len(errors)} error(s) first", errors)
        return Engine(self.store.template, self.inputs_form.inputs(), tokens=self.tokens, **self.engine_options)

    def start(self, button: widgets.Button, work: Callable[[Engine], Awaitable[T]],
              done: Callable[[T], None]) -> Job:
        """Run ``work(engine)`` off the kernel's loop with ``button`` disabled; ``done`` shows the result."""
        async def run() -> T:
            return await work(self.engine())
        return self.jobs.start(button.description, run, done, status=self.status, button=button,
                               failed=self._failed)

    def wait(self, timeout: float = 60.0) -> None:
        """Wait until every run started is shown (scripts and tests; a person just watches)."""
        self.jobs.wait(timeout)

    def _failed(self, err: BaseException) -> None:
        if isinstance(err, ValidationFailed):
            self.status.value = message_html(err.problems, err.message)
        else:
            self.status.value = message_html([], str(err))

    async def _authorize(self, engine: Engine) -> str:
        await engine.aauthorize(**self.authorize_options)
        return "authorized: the token is kept for the next runs"

    def _authorized(self, message: str) -> None:
        self.status.value = html.escape(message)

    def _phone(self) -> str:
        phone = self.phone.value.strip()
        if not phone:
            raise ModelError("enter the caller's phone number first", Location("Try it", "Phone"))
        return phone

    async def _call(self, engine: Engine) -> Any:
        return await engine.acall(engine.event(self.call_kind.value, self._phone()))

    # -- views ------------------------------------------------------------------------------

    def show(self, result: Any) -> None:
        """Show a result object: its records, requests and responses, and (a call) its steps."""
        self.result = result
        steps = None
        if hasattr(result, "steps") and hasattr(result, "event"):
            steps = self.simulator.show(result, self.store.template)
        self.debug.show(result, phone=self.phone.value.strip(), records=steps)
        self.status.value = html.escape(describe(result))

    def clear(self) -> None:
        """Forget the last result (the template it came from was replaced)."""
        self.result = None
        self.status.value = ""
        self.debug.clear()
        self.simulator.clear()

