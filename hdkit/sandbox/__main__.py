"""``python -m hdkit.sandbox [--port N]``: serve the sandbox until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from hdkit.sandbox.accounts import DEMO, PBX_CALLBACK
from hdkit.sandbox.server import Sandbox

DEFAULT_PORT = 8700
_SHOWN = ("client_id", "client_secret", "redirect_uri", "scope", "email", "api_token",
          "bearer_token", "private_app_token", "api_key", "username", "password", "org_id",
          "department_id", "group")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hdkit sandbox",
                                     description="A local helpdesk on 127.0.0.1 for trying templates.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)")
    args = parser.parse_args(argv)
    try:
        hd = Sandbox(port=args.port).start()
    except (OSError, ValueError) as exc:
        print(f"hdkit sandbox: cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(banner(hd.url), flush=True)
    try:
        while hd.running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        hd.stop()
    return 0


def banner(url: str) -> str:
    """The base URL, each vendor's API root and its demo credentials."""
    lines = [f"hdkit sandbox on {url}  (Ctrl-C stops it; demo credentials, not secrets)"]
    for name, demo in DEMO.items():
        lines.append(f"  {name:<10}{url}{demo['api']}")
        lines += [f"      {key:<18}{demo[key]}" for key in _SHOWN if key in demo]
    lines.append(f"  pbx       {url}{PBX_CALLBACK}  (OAuth2 redirect_uri that checks state)")
    lines.append(f"  control   {url}/_sandbox  (state, requests, faults, reset)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
