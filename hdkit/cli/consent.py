"""``hdkit auth TEMPLATE``: the OAuth2 consent on a terminal.

It prints the consent URL first, opens a browser when one can be opened, and otherwise (or
with ``--no-browser``) waits for the redirect URL to be pasted while still catching the
loopback redirect; the tokens go to ``--token-file`` (owner-only), which later ``hdkit run
... --token-file`` calls reuse.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from hdkit.cli.options import inputs_options, positive
from hdkit.cli.exits import Exit
from hdkit.cli.sources import engine_for

if TYPE_CHECKING:
    from hdkit.engine.oauth2 import Consent
    from hdkit.engine.runner import Engine

__all__ = ["register"]

BROWSER_WAIT = 5.0  # seconds hdkit auth waits for a browser command to say it opened the URL


def _auth(args: argparse.Namespace) -> int:
    from hdkit.engine import run_sync

    try:
        run_sync(_consent(engine_for(args), args, sys.stderr, sys.stdin))
    except (KeyboardInterrupt, EOFError):
        print("\nauthorization cancelled; no tokens saved", file=sys.stderr)
        return Exit.HELPDESK
    where = f"saved to {args.token_file} (owner-only)" if args.token_file else \
        "kept in memory only (use --token-file to keep them)"
    print(f"authorized; tokens {where}")
    return Exit.OK


async def _consent(engine: Engine, args: argparse.Namespace, err: TextIO, stdin: TextIO) -> None:
    """The consent on a terminal: the URL first, a browser if one can open, else a paste.

    While waiting for a pasted URL, the loopback redirect is still caught: whichever comes
    first finishes it. Nothing waits longer than ``--wait``.
    """
    from hdkit.engine.oauth2 import browser_unavailable

    def say(text: str) -> None:
        print(text, file=err, flush=True)

    fixed = args.redirect_uri if args.paste else None
    async with await engine.aconsent(redirect_uri=fixed, port=args.port, pkce=args.pkce) as consent:
        url = await consent.start()
        say(f"Open this URL in a browser and approve the access:\n\n  {url}\n")
        why = ("--paste: the redirect goes to " + consent.redirect_uri if args.paste
               else "--no-browser" if args.no_browser else browser_unavailable())
        if not why:
            opened = await consent.open_browser(wait=min(BROWSER_WAIT, args.wait))
            if opened is False:
                why = "the system browser could not be opened"
            else:
                say("Opened it in your browser" + ("" if opened else " (the browser command has not returned)")
                    + f"; waiting up to {args.wait:g} s for the redirect to {consent.redirect_uri} "
                      "(or paste the URL the browser was sent to here).")
        if why:
            also = f"; hdkit also still listens on {consent.redirect_uri}" if consent.listening else ""
            say(f"No browser is opened here ({why}). After approving, paste the URL your browser was sent to "
                f"(it starts with {consent.redirect_uri}) and press Enter{also}. Waiting up to {args.wait:g} s:")
        _read_pastes(consent, stdin, say if why else None)
        await consent.result(args.wait)  # counted from the start: --wait bounds it all


def _read_pastes(consent: Consent, stdin: TextIO, say: Callable[[str], None] | None) -> None:
    """Feed pasted lines to ``consent`` from a worker thread (reading never blocks the loop);
    ``say`` (None: stay quiet) tells the user about a refused line or a closed stdin."""
    from hdkit.errors import AuthError

    tell = say or (lambda text: None)

    def read() -> None:
        while True:
            try:
                line = stdin.readline()
            except (OSError, ValueError):
                line = ""
            if not line:
                if consent.listening:
                    tell("(nothing more to read on stdin: waiting for the loopback redirect only)")
                else:
                    consent.abandon("no redirect URL was pasted (stdin closed)")
                return
            if not line.strip():
                continue
            try:
                consent.feed(line)
            except AuthError as exc:
                tell(f"error: {exc.message}; {exc.hint or 'paste it again'}")
                continue
            return

    threading.Thread(target=read, name="hdkit-read-paste", daemon=True).start()


def register(subparsers: Any) -> None:
    """Add ``auth`` to the ``hdkit`` command's subparsers."""
    auth = subparsers.add_parser("auth", help="authorize an OAuth2 template (browser consent)")
    auth.add_argument("template", help="template XML file or sample name")
    auth.add_argument("--no-browser", action="store_true",
                      help="do not open a browser: paste the redirect URL (the loopback still catches it)")
    auth.add_argument("--paste", action="store_true",
                      help="use --redirect-uri (the one registered with the helpdesk) and paste the redirect URL")
    auth.add_argument("--redirect-uri", default="http://127.0.0.1/callback", help="with --paste")
    auth.add_argument("--port", type=int, default=0, help="loopback port for the redirect (default: any)")
    auth.add_argument("--pkce", action="store_true", help="use PKCE (S256)")
    auth.add_argument("--wait", type=positive(float), default=300.0,
                      help="seconds to wait for the consent, from the moment the URL is shown (default 300)")
    inputs_options(auth)
    auth.set_defaults(handler=_auth)
