"""Yeastar template XML <-> :class:`~hdkit.model.Template`: the only package that knows the spelling.

The format follows ``yeastar-template-format.md`` section 2: an ``<Information>`` root with the
General settings as attributes and one ``<Scenario>`` per feature (``AuthMethod``,
``SyncContactAuto``, ``UserAssociation``, ``CreateNewContact``, ``CallJournal``,
``CreateNewTicket``, ``Common``). Contact types are the Requests of ``SyncContactAuto``, creation
types the Requests of ``CreateNewContact``, follow-up requests the Requests of ``Common`` (the
sample's ``GetIdentities`` is reached through ``<Outputs Next=...>``).

One module per concept, behind this surface:

* :mod:`.spelling` -- :data:`SPELLING`, every reconstructed spelling (the only place to fix them
  against a real PBX export), and the output names of contact and user fields;
* :mod:`.document` -- the parsed file: positions for error messages, what was read, secrets
  starred out of snippets;
* :mod:`.reader` -- :func:`from_xml` and :func:`load`;
* :mod:`.writer` -- :func:`to_xml` and :func:`save`;
* :mod:`.extras` -- what import does not understand, kept and written back in place.
"""

from .reader import from_xml, load
from .spelling import CONTACT_ID_ALIASES, CONTACT_OUTPUTS, SPELLING, USER_OUTPUTS
from .writer import save, to_xml

__all__ = ["CONTACT_ID_ALIASES", "CONTACT_OUTPUTS", "SPELLING", "USER_OUTPUTS", "from_xml", "load", "save", "to_xml"]
