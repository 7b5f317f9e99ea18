"""Yeastar template XML <-> :class:`~hdkit.model.Template`: the only package that knows the spelling.

The format follows ``yeastar-template-format.md`` section 2: an ``<Information>`` root with the
General settings as attributes and one ``<Scenario>`` per feature (``AuthMethod``,
``SyncContactAuto``, ``SearchContact``, ``UserAssociation``, ``CreateNewContact``,
``CallJournal``, ``CreateNewTicket``, ``Common``). Every ``<Request>`` of every scenario becomes a
:class:`~hdkit.model.Request` with everything it holds; scenario parameters become the section's
typed settings. A file is written back in the spelling it came in; a new template gets the
default spelling.

One module per concept, behind this surface:

* :mod:`.spelling` -- :data:`SPELLING`, every spelling seen and the default one (reconstructed
  names are there and nowhere else), and what a pasted credential is;
* :mod:`.document` -- the parsed file: positions for error messages, what was read, secrets
  starred out of snippets;
* :mod:`.reader` -- :func:`from_xml` and :func:`load`;
* :mod:`.writer` -- :func:`to_xml` and :func:`save`;
* :mod:`.layout` -- a file's recorded shape, and export following it;
* :mod:`.extras` -- what import does not understand, kept and written back in place.
"""

from .reader import from_xml, load
from .spelling import CONTACT_ID_ALIASES, CONTACT_OUTPUTS, SPELLING, USER_OUTPUTS
from .writer import save, to_xml

__all__ = ["CONTACT_ID_ALIASES", "CONTACT_OUTPUTS", "SPELLING", "USER_OUTPUTS", "from_xml", "load", "save", "to_xml"]
