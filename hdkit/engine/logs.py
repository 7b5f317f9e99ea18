"""Log records of HTTP libraries, redacted before any handler sees them.

httpx logs every request URL at INFO (query strings with API keys included) and httpcore logs
response headers at DEBUG (``set-cookie``, echoed keys). A user who turns logging on to debug
a template must not leak what hdkit keeps out of everything else, so every :class:`Client`
registers its run's :class:`~hdkit.secrets.Redactor` here and :func:`redact_logs` puts one
:class:`RedactingFilter` on the loggers of httpx, httpcore, authlib and hdkit itself. The
filter rewrites a record's message (and the text of an attached traceback) through every live
redactor, plus the name-based masking (secret-named query values and headers) that needs no
known secret. Redactors are held weakly: a finished run's secrets are not kept alive by logging.

A filter on a logger only sees records created on that very logger, not its children, so the
filter is attached to each existing logger under those names every time a run starts.
"""

from __future__ import annotations

import logging
import weakref

from hdkit.secrets import Redactor

__all__ = ["LOGGERS", "RedactingFilter", "redact_logs"]

LOGGERS = ("httpx", "httpcore", "authlib", "hdkit")

_LIVE: weakref.WeakSet[Redactor] = weakref.WeakSet()
_NAMES_ONLY = Redactor()  # secret-named query values and headers, with no known secret


class RedactingFilter(logging.Filter):
    """Rewrites each record's text through every live run's redactor; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's to report, not ours
            return True
        record.msg, record.args = self.scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        return True

    @staticmethod
    def scrub(text: str) -> str:
        text = _NAMES_ONLY.scrub(text)
        for redactor in list(_LIVE):
            text = redactor.text(text)
        return text


_FILTER = RedactingFilter()


def redact_logs(redactor: Redactor) -> None:
    """Register ``redactor`` and make sure every HTTP-related logger carries the filter."""
    _LIVE.add(redactor)
    names = [n for n in list(logging.root.manager.loggerDict)
             if any(n == p or n.startswith(p + ".") for p in LOGGERS)]
    for name in {*LOGGERS, *names}:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
