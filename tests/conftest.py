"""Shared fixtures: hdkit's sandbox plugin (``sandbox``, ``fresh_sandbox``) and pytester.

The sandbox fixtures live in :mod:`hdkit.sandbox.pytest_plugin`, registered as a pytest plugin
by hdkit's package metadata (``pytest11`` entry point), so users of hdkit get the same ones:
one server per session, reset around every test that asks for it, so no test sees another's
faults, log, records or tokens.
"""

pytest_plugins = ["pytester"]
