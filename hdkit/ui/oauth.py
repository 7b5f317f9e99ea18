"""OAuth2 in the workbench: Connect shows the consent URL at once, and never blocks the kernel.

Connect starts an :class:`hdkit.engine.oauth2.Consent` on the worker loop and shows its URL as
a link right away. When the browser that opens the link runs on the kernel's machine, the
redirect to 127.0.0.1 is caught by itself; otherwise (a remote kernel, Voila on a server) the
browser lands on a page that does not load: paste that page's address in the box and click
"Use this URL". Either way the wait runs on the worker loop, never in the kernel. The token's
state (obtained, expires, refreshed) is shown, never the token.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from hdkit.engine import Engine
from hdkit.engine.oauth2 import Consent
from hdkit.engine.tokens import Tokens
from hdkit.errors import HdkitError
from hdkit.ui.jobs import Jobs

__all__ = ["ConnectView", "token_state"]


def _at(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds).strftime("%H:%M:%S")


def token_state(tokens: Tokens | None, first: Tokens | None = None, now: float | None = None) -> str:
    """The token in words, without the token: when it was obtained, when it expires, refreshes."""
    if tokens is None:
        return "not connected"
    parts = [f"obtained at {_at(tokens.obtained_at)}" if tokens.obtained_at else "obtained"]
    if tokens.expires_in:
        expiry = tokens.obtained_at + float(tokens.expires_in)
        left = expiry - now if now is not None else None
        parts.append(f"expires at {_at(expiry)}" + (f" (in {max(0, int(left // 60))} min)" if left is not None else ""))
    parts.append("refresh token kept" if tokens.refresh_token else "no refresh token")
    if first is not None and tokens.obtained_at > first.obtained_at:
        parts.append(f"refreshed at {_at(tokens.obtained_at)}")
    return "connected: " + ", ".join(parts)


class ConnectView:
    """Connect (consent link, loopback catch or pasted redirect) and the token's state.

    ``engine()`` builds the engine whose token store keeps the tokens; ``options`` go to
    :meth:`Engine.aconsent` (``redirect_uri`` fixes the redirect: only a paste finishes then;
    ``port``) plus ``timeout`` (seconds to wait for the redirect, 600 by default).
    """

    def __init__(self, engine: Callable[[], Engine], jobs: Jobs, key: Callable[[], str],
                 options: dict[str, Any] | None = None, clock: Callable[[], float] | None = None) -> None:
        self.engine, self.jobs, self.key = engine, jobs, key
        self.options = dict(options or {})
        self.clock = clock
        self.consent: Consent | None = None
        self.first: Tokens | None = None
        self.tokens_of: Callable[[], Tokens | None] = lambda: None
        self.ready: concurrent.futures.Future[str] = concurrent.futures.Future()
        self.button = widgets.Button(description="Connect (OAuth2)", icon="key", button_style="info",
                                     layout=widgets.Layout(width="auto"))
        self.status = widgets.HTML()
        self.link = widgets.HTML()
        self.paste = widgets.Text(description="Redirect URL", placeholder="paste the address the browser landed on",
                                  style={"description_width": "100px"}, layout=widgets.Layout(flex="1 1 auto", width="auto"))
        self.use = widgets.Button(description="Use this URL", layout=widgets.Layout(width="auto"))
        self.cancel = widgets.Button(description="Cancel", layout=widgets.Layout(width="auto"))
        self.message = widgets.HTML()
        self.state = widgets.HTML("<b>Token:</b> not connected")
        self.paste_box = widgets.VBox([widgets.HBox([self.paste, self.use, self.cancel]), self.message],
                                      layout=widgets.Layout(display="none"))
        self.button.on_click(lambda _: self.connect())
        self.use.on_click(lambda _: self._feed())
        self.cancel.on_click(lambda _: self._cancel())
        self.box = widgets.VBox([widgets.HBox([self.button, self.state], layout=widgets.Layout(align_items="center")),
                                 self.link, self.paste_box, self.status])

    def connect(self) -> None:
        """Start a consent: the link shows at once, the wait for the redirect runs on the worker loop."""
        self.ready = concurrent.futures.Future()
        self.link.value = self.message.value = ""
        timeout = float(self.options.get("timeout", 600))
        consent_options = {k: v for k, v in self.options.items() if k in ("redirect_uri", "port", "pkce")}

        async def run() -> Tokens:
            engine = self.engine()
            self.tokens_of = lambda: engine.tokens.get(self.key()) if engine.tokens is not None else None
            async with await engine.aconsent(**consent_options) as consent:
                self.consent = consent
                url = await consent.start()
                self._show_link(consent, url)
                return await consent.result(timeout)

        def failed(err: BaseException) -> None:
            if not self.ready.done():
                self.ready.set_exception(err)
            self.paste_box.layout.display = "none"
            self.status.value = f"<span style='color:#b00020'>&#9888; {html.escape(str(err))}</span>"

        self.jobs.start("Connect (OAuth2)", run, self._connected, status=self.status, button=self.button,
                        failed=failed, cell_waits=False)  # it waits for a person: never hold a cell

    def _show_link(self, consent: Consent, url: str) -> None:
        catch = (f"If this browser runs on the kernel's machine, the redirect to {html.escape(consent.redirect_uri)} "
                 "is caught by itself. Otherwise paste") if consent.listening else "Paste"
        self.link.value = (f"1. Open <a href='{html.escape(url, quote=True)}' target='_blank' "
                           f"rel='noopener noreferrer'>the helpdesk's consent page</a> and approve.<br>"
                           f"2. {catch} the address the browser lands on below.")
        self.paste_box.layout.display = None
        self.status.value = "<i>waiting for the redirect after consent...</i>"
        if not self.ready.done():
            self.ready.set_result(url)

    def _feed(self) -> None:
        if self.consent is None:
            self.message.value = "<span style='color:#b00020'>&#9888; click Connect first</span>"
            return
        try:
            self.consent.feed(self.paste.value)
        except HdkitError as err:
            self.message.value = f"<span style='color:#b00020'>&#9888; {html.escape(str(err))}</span>"
            return
        self.message.value = "<i>exchanging the code for tokens...</i>"

    def _cancel(self) -> None:
        if self.consent is not None:
            self.consent.abandon("cancelled: no redirect will come")

    def _connected(self, tokens: Tokens) -> None:
        self.first = tokens
        self.paste_box.layout.display = "none"
        self.paste.value = ""
        self.link.value = ""
        self.status.value = "<span style='color:#2e7d32'>&#10003; authorized: the token is kept for the next runs</span>"
        self.refresh()

    def refresh(self, tokens: Tokens | None = None) -> None:
        """Show the token's state now (after a run, which may have refreshed it)."""
        current = tokens if tokens is not None else self.tokens_of()
        now = self.clock() if self.clock else None
        self.state.value = f"<b>Token:</b> {html.escape(token_state(current, self.first, now))}"

    def reset(self) -> None:
        """A template was opened: its helpdesk has no token yet."""
        if self.consent is not None:
            self.consent.abandon("another template was opened")
        self.consent, self.first = None, None
        self.tokens_of = lambda: None
        self.link.value = self.status.value = self.message.value = ""
        self.paste_box.layout.display = "none"
        self.state.value = "<b>Token:</b> not connected"
