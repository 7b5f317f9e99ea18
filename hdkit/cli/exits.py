"""The command line's exit codes: one table, and which one an error that ends a command gets.

A script that runs ``hdkit`` tells from the code alone whose side a failure is on: the
template's or its inputs' (fix the file, give the input), the helpdesk's (check the account,
the network, the helpdesk), or neither (the result is incomplete although nothing failed).
"""

from __future__ import annotations

import enum

from hdkit.errors import AuthError, HdkitError, HelpdeskError

__all__ = ["Exit", "for_error"]


class Exit(enum.IntEnum):
    OK = 0
    # Template or input problems: validation errors, an unreadable or malformed file, a missing
    # input, an unknown contact type, a URL that renders into no URL.
    TEMPLATE = 1
    # A malformed command line (an unknown option, --var without '=').
    USAGE = 2
    # The helpdesk's side: HTTP 4xx/5xx, timeout, TLS, connection, a body that is not JSON,
    # authentication.
    HELPDESK = 3
    # An incomplete result the helpdesk did not report as an error: a user sync that looped or
    # hit the 100-request cap.
    INCOMPLETE = 4


def for_error(exc: HdkitError) -> Exit:
    """The exit code of an error that ended a command: authentication and helpdesk failures are
    the helpdesk's side, every other hdkit error the template's or its inputs'."""
    return Exit.HELPDESK if isinstance(exc, (AuthError, HelpdeskError)) else Exit.TEMPLATE
