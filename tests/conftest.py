"""Shared fixtures: hdkit's own sandbox plugin (``sandbox``, ``fresh_sandbox``), and pytester.

The fixtures live in :mod:`hdkit.sandbox.pytest_plugin` so users of hdkit get the same ones:
one server per session, reset around every test that asks for it, so no test sees another's
faults, log, records or tokens.
"""

pytest_plugins = ["hdkit.sandbox.pytest_plugin", "pytester"]
