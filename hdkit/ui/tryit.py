"""Try it: run each request of the template against the helpdesk, without blocking the kernel.

Every request has a Try button beside it in its section (the Get User request, each contact
type's search, each contact creation, the call journal, the new ticket, each follow-up), and
the Try it tab has the scenario buttons (sync users, search, match formats, simulate a call).
A Try is refused only by what stops *that* request (:func:`hdkit.readiness.blocking`: its own
problems and what every request needs) and the inputs it uses that have no value
(:func:`hdkit.readiness.missing_inputs`); the refusal is a short list of lines, each a link
that opens the field to fix. Otherwise it builds a fresh :class:`~hdkit.engine.Engine` and
hands the async scenario to :class:`~hdkit.ui.jobs.Jobs`, the one place work leaves the
kernel's loop. The result lands in the :class:`~hdkit.ui.debug.DebugPanel` (records, each
request and response, path box, suggestions), the :class:`~hdkit.ui.sync.SyncView` for a user
sync and the :class:`~hdkit.ui.callsim.CallSimulator` for a call.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import ipywidgets as widgets
import pandas as pd

from hdkit import model
from hdkit.engine import Engine
from hdkit.engine.runner import token_key
from hdkit.engine.tokens import TokenStore
from hdkit.engine.variables import parse_pair
from hdkit.errors import EngineError, HdkitError, Location, ModelError, ValidationFailed
from hdkit.model import AuthMethod
from hdkit.problems import Problem
from hdkit.readiness import Target, blocking, missing_inputs
from hdkit.results import CallTrace, UsersResult
from hdkit.ui.callsim import CallSimulator
from hdkit.ui.debug import DebugPanel, describe
from hdkit.ui.fields import message_html
from hdkit.ui.inputs import InputsForm
from hdkit.ui.jobs import Job, Jobs
from hdkit.ui.lifecycle import close_tree
from hdkit.ui.oauth import ConnectView
from hdkit.ui.render import frame_html
from hdkit.ui.state import Path, Store
from hdkit.ui.suggestions import Apply, Current
from hdkit.ui.sync import SyncView
from hdkit.validate import require_valid

__all__ = ["GoTo", "TryPanel", "frame_html"]

T = TypeVar("T")
GoTo = Callable[[str, str], None]  # (section, field): show that field

# (tab, class of the part) -> the kind of Try beside it, and its button's words
_TRIES: dict[tuple[str, type], tuple[str, str]] = {
    ("user_association", model.UserAssociation): ("users", "Try Get User"),
    ("contact_search", model.ContactType): ("search", "Try search"),
    ("keyword_search", model.ContactType): ("keyword", "Try keyword search"),
    ("contact_creation", model.CreationType): ("create", "Try create contact"),
    ("call_journal", model.CallJournal): ("journal", "Try call journal"),
    ("new_ticket", model.NewTicket): ("ticket", "Try new ticket"),
    ("follow_ups", model.FollowUpRequest): ("followup", "Try follow-up"),
}
_LINK = {"button_color": "transparent"}


def _cli_free(err: HdkitError) -> str:
    """An error as the workbench says it: where and what, without command-line advice."""
    where = f"{err.location}: " if err.location is not None and str(err.location) else ""
    hint = err.hint if err.hint and "--" not in err.hint and "hdkit " not in err.hint else ""
    return f"{where}{err.message}" + (f" ({hint})" if hint else "")


class TryPanel:
    """The Try buttons, what they need, and the views of what they did."""

    def __init__(self, store: Store, inputs: InputsForm, *, phone: str = "",
                 engine_options: Mapping[str, Any] | None = None,
                 consent_options: Mapping[str, Any] | None = None,
                 apply: Apply | None = None, current: Current | None = None,
                 go_to: GoTo | None = None, jobs: Jobs | None = None) -> None:
        self.store, self.inputs_form = store, inputs
        self.engine_options = dict(engine_options or {})
        self.go_to = go_to or (lambda section, field: None)
        self.tokens = TokenStore()
        self.jobs = jobs or Jobs()
        self.result: Any = None

        self.phone = widgets.Text(value=phone, description="Phone", placeholder="the caller's number, e.g. +14155550123",
                                  style={"description_width": "90px"}, layout=widgets.Layout(width="420px"))
        self.variables = widgets.Text(description="Variables", placeholder="optional, e.g. TicketId=7, Subject=Test",
                                      style={"description_width": "90px"}, layout=widgets.Layout(width="420px"),
                                      tooltip="variables set by hand for every Try (NAME=VALUE, comma separated)")
        self.preview_only = widgets.Checkbox(value=False, description="Preview only: render every request, send nothing",
                                             indent=False, layout=widgets.Layout(width="auto"))
        self.simulator = CallSimulator()
        self.call_kind, self.call_button = self.simulator.kind, self.simulator.button
        self.users_button = widgets.Button(description="Sync users", icon="users")
        self.search_button = widgets.Button(description="Search contact", icon="search")
        self.matrix_button = widgets.Button(description="Match formats", icon="table")
        self.refusal = widgets.VBox()
        self.users_button.on_click(lambda b: self.try_target(Target("users"), b, self.refusal))
        self.search_button.on_click(lambda b: self.try_target(Target("search"), b, self.refusal))
        self.matrix_button.on_click(lambda b: self.try_target(Target("search"), b, self.refusal,
                                                              lambda e: e.amatch_matrix(self._phone(),
                                                                                        variables=self._variables())))
        self.call_button.on_click(lambda b: self.try_target(Target("call"), b, self.refusal))

        self.connect = ConnectView(self._engine, self.jobs, lambda: token_key(self.store.template),
                                   dict(consent_options or {}))
        self.sync = SyncView()
        self.status = widgets.HTML()
        self.debug = DebugPanel(apply or (lambda kind, key, path: "suggestions cannot be applied here"),
                                current or (lambda kind, key: ""))
        self.records_view = self.debug.records_view
        store.observe(self._follow, "template")
        self._follow({})
        self.box = widgets.VBox([
            widgets.HTML("<h4 style='margin:4px 0'>Inputs</h4>"), self.inputs_form.box,
            self.connect.box,
            widgets.HTML("<h4 style='margin:4px 0'>Try a scenario</h4>"),
            self.phone, self.variables, self.preview_only,
            widgets.HBox([self.users_button, self.search_button, self.matrix_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.simulator.box, self.refusal,
        ])
        # shown under the section tabs, so a Try's result is in view whichever tab started it
        self.results_box = widgets.VBox([widgets.HTML("<h4 style='margin:6px 0 2px 0'>Last result</h4>"),
                                         self.status, self.sync.box, self.debug.box])

    @property
    def records(self) -> pd.DataFrame:
        """The main table of the last result (users, contacts, the matrix, a call's steps)."""
        return self.debug.records

    @property
    def exchanges(self) -> pd.DataFrame:
        """Every exchange of the last result, redacted."""
        return self.result.exchanges() if self.result is not None and hasattr(self.result, "exchanges") else pd.DataFrame()

    def _follow(self, change: Mapping[str, Any]) -> None:
        """Show Connect only for templates whose token comes from a consent."""
        self.connect.box.layout.display = None if _needs_consent(self.store.template) else "none"

    # -- the Try beside each request --------------------------------------------------------

    def actions(self, tab: str, path: Path, cls: type) -> list[widgets.Widget]:
        """The Try button (and where its refusal shows) for the form of a request."""
        found = _TRIES.get((tab, cls))
        if found is None:
            return []
        kind, words = found
        button = widgets.Button(description=words, icon="play", layout=widgets.Layout(width="auto"),
                                tooltip="send this request now, as the PBX would")
        preview = widgets.Button(description="Preview", icon="eye", layout=widgets.Layout(width="auto"),
                                 tooltip="render this request exactly as the PBX would, and send nothing")
        refusal = widgets.VBox()

        def target() -> Target:
            part = self.store.get(path)
            return Target(kind, part.name if kind in ("search", "keyword", "create", "followup") else "")
        button.on_click(lambda b: self.try_target(target(), b, refusal))
        preview.on_click(lambda b: self.try_target(target(), b, refusal, dry_run=True))
        return [widgets.VBox([widgets.HBox([button, preview]), refusal], layout=widgets.Layout(margin="2px 0"))]

    def needs(self, target: Target) -> list[Problem]:
        """Why ``target`` cannot run now (empty: it can)."""
        template = self.store.template
        problems = blocking(template, self.store.all_problems, target)
        problems += missing_inputs(template, self.inputs_form.values(), target)
        if target.kind != "users" and not self.phone.value.strip():
            problems.append(Problem("error", "enter the caller's phone number first", Location("Try it", "Phone"),
                                    code="no-phone"))
        if _needs_consent(template) and self.tokens.get(token_key(template)) is None:
            problems.append(Problem("error", "connect first: the helpdesk has not given this workbench a token yet",
                                    Location("Try it", "Connect (OAuth2)"), code="not-connected"))
        return problems

    def try_target(self, target: Target, button: widgets.Button, refusal: widgets.VBox,
                   work: Callable[[Engine], Awaitable[Any]] | None = None, *, dry_run: bool | None = None) -> Job | None:
        """Run ``target`` (its default scenario, or ``work``) unless something it needs is missing.

        With ``dry_run`` (default: the Try it tab's "preview only" box) every request is rendered
        by the same code and shown, and nothing is sent.
        """
        problems = self.needs(target)
        self._refuse(refusal, target, problems)
        if problems:
            self.status.value = message_html([], f"{target} not sent: {len(problems)} thing(s) to fix first (listed "
                                                 f"under its button)")
            return None
        preview = self.preview_only.value if dry_run is None else dry_run
        return self.start(button, work or self._scenario(target), self._shown(target), dry_run=preview)

    def _refuse(self, box: widgets.VBox, target: Target, problems: list[Problem]) -> None:
        """Short lines under the button, each opening the field it names."""
        old = list(box.children)
        lines: list[widgets.Widget] = []
        if problems:
            lines.append(widgets.HTML(f"<span style='color:#b00020'>&#9888; {html.escape(str(target))} needs:</span>"))
        for p in problems:
            where = " > ".join(x for x in (p.location.section, p.location.field) if x)
            link = widgets.Button(description=f"{where}: {p.message}"[:160], tooltip=f"show {where}",
                                  icon="arrow-right", style=_LINK, layout=widgets.Layout(width="auto", height="auto"))
            link.on_click(lambda _, p=p: self.go_to(p.location.section or "", p.location.field or ""))
            lines.append(link)
        box.children = lines
        close_tree(*old)

    def _scenario(self, target: Target) -> Callable[[Engine], Awaitable[Any]]:
        variables = self._variables
        name = target.name or None
        if target.kind == "users":
            return lambda e: e.ausers(progress=self.sync.progress, variables=variables())
        if target.kind == "search":
            return lambda e: e.asearch(self._phone(), name, variables=variables())
        if target.kind == "keyword":
            return lambda e: e.akeyword_search(self._phone(), variables=variables())
        if target.kind == "create":
            return lambda e: e.acreate_contact(self._phone(), first_name="Test", last_name="Caller",
                                               contact_type=name, variables=variables())
        if target.kind == "call":
            return lambda e: e.acall(e.event(self.call_kind.value, self._phone()), variables=variables())
        return lambda e: e.apart(self._event(e), target.kind, target.name, variables=variables())

    def _shown(self, target: Target) -> Callable[[Any], None]:
        if target.kind == "users":
            self.sync.start()
        else:
            self.sync.clear()
        return self.show

    # -- the one place a button drives work -------------------------------------------------

    def _engine(self, dry_run: bool = False) -> Engine:
        """An engine for a Try that readiness cleared (its own gate: only what stops that request)."""
        options = {**self.engine_options, **({"dry_run": True} if dry_run else {})}
        return Engine(self.store.template, self.inputs_form.inputs(), tokens=self.tokens, check=False, **options)

    def engine(self) -> Engine:
        """A fresh engine for the template as it is now; refused while it has errors (the one
        gate, judging what the form shows: validation and the values it refused)."""
        require_valid(self.store.template, "run", problems=self.store.all_problems)
        return self._engine()

    def start(self, button: widgets.Button, work: Callable[[Engine], Awaitable[T]],
              done: Callable[[T], None], *, dry_run: bool = False) -> Job:
        """Run ``work(engine)`` off the kernel's loop with ``button`` disabled; ``done`` shows the result."""
        async def run() -> T:
            return await work(self._engine(dry_run))
        return self.jobs.start(button.description, run, done, status=self.status, button=button,
                               failed=self._failed)

    def wait(self, timeout: float = 60.0) -> None:
        """Wait until every run started is shown (scripts and tests; a person just watches)."""
        self.jobs.wait(timeout)

    def _failed(self, err: BaseException) -> None:
        if isinstance(err, ValidationFailed):
            self.status.value = message_html(err.errors, err.message)
        elif isinstance(err, HdkitError):
            self.status.value = message_html([], _cli_free(err))
        else:
            self.status.value = message_html([], str(err))

    def _phone(self) -> str:
        phone = self.phone.value.strip()
        if not phone:
            raise ModelError("enter the caller's phone number first", Location("Try it", "Phone"))
        return phone

    def _variables(self) -> dict[str, str]:
        """The variables typed by hand (``NAME=VALUE``, comma separated)."""
        text = self.variables.value.strip()
        if not text:
            return {}
        try:
            return dict(parse_pair(part) for part in text.replace("\n", ",").split(",") if part.strip())
        except ValueError as err:
            raise EngineError(str(err), Location("Try it", "Variables")) from None

    def _event(self, engine: Engine) -> Any:
        event = engine.event(self.call_kind.value, self._phone())
        return event[0] if isinstance(event, tuple) else event

    # -- views ------------------------------------------------------------------------------

    def show(self, result: Any) -> None:
        """Show a result object: its records, requests and responses, a sync's summary, a call's steps."""
        self.result = result
        steps = None
        if isinstance(result, CallTrace):
            steps = self.simulator.show(result, self.store.template)
        if isinstance(result, UsersResult):
            self.sync.finish(result)
        else:  # the bar, summary and plot of an earlier sync would read as this result's
            self.sync.clear()
        self.debug.show(result, phone=self.phone.value.strip(), records=steps)
        self.status.value = html.escape(describe(result))
        if _needs_consent(self.store.template):
            self.connect.refresh(self.tokens.get(token_key(self.store.template)))

    def clear(self) -> None:
        """Forget the last result and token (the template they came from was replaced)."""
        self.result = None
        self.status.value = ""
        self.tokens = TokenStore()  # tokens belong to the helpdesk of the old template
        self.debug.clear()
        self.simulator.clear()
        self.sync.clear()
        self.connect.reset()
        for box in [self.refusal]:
            box.children = []


def _needs_consent(template: model.Template) -> bool:
    auth = template.auth
    return auth.method is AuthMethod.OAUTH2 or auth.bearer_fetched

