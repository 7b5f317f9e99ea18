"""Deprecated name of :mod:`hdkit.rendering` (renamed for what it does: it renders every
template string of a request, and checks where each printed value lands)."""

import warnings

from hdkit.rendering import *  # noqa: F403
from hdkit.rendering import __all__  # noqa: F401

warnings.warn("hdkit.injection is now hdkit.rendering", DeprecationWarning, stacklevel=2)
