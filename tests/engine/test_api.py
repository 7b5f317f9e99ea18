"""``hdkit.engine``'s public names: sorted, all importable, and loaded only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

import hdkit.engine

PUBLIC = ["CallEvent", "CallKind", "Client", "Consent", "ConsentState", "Engine", "Exchange", "OAuth2Session",
          "Outcome", "Paged", "Response", "StopReason", "SyncOptions", "SyncProgress", "TokenStore", "Tokens",
          "queue_call", "run_sync", "simulate"]


def test_the_public_names_are_exported_sorted_and_resolve() -> None:
    assert hdkit.engine.__all__ == sorted(PUBLIC)
    for name in PUBLIC:
        value = getattr(hdkit.engine, name)
        assert value.__name__ == name and value.__module__.startswith("hdkit.engine.")
    assert set(PUBLIC) <= set(dir(hdkit.engine))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="^module 'hdkit.engine' has no attribute 'Nope'$"):
        hdkit.engine.Nope  # noqa: B018


def test_the_cli_parser_loads_no_http_or_pandas() -> None:
    """``hdkit --help`` and ``hdkit validate`` must not pay for the engine's dependencies."""
    code = ("import sys; from hdkit.cli import build_parser; build_parser(); "
            "print(','.join(m for m in ('httpx', 'pandas', 'authlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
