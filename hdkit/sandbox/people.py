"""The sandbox's people: seeded agents and a phone book of contacts in mixed formats.

Real helpdesks store phone numbers however someone typed them. The phone book keeps that
mess on purpose (E.164, national with brackets, spaces, dashes, dots, ``00`` prefixes), so
a template's contact search can be tried against every format, and each vendor matches the
way it really does (see :mod:`hdkit.sandbox.matching`). Agents are generated from a fixed seed:
the same thousands of names on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hdkit.sandbox.accounts import AGENT_COUNT, SEED

_FIRST = ("Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia",
          "Ken", "Margaret", "Dennis", "Hedy", "Niklaus", "Sophie", "Tony", "Lynn", "Guido",
          "Katherine", "Bjarne", "Anita", "Leslie", "Shafi", "Whitfield", "Jean", "Robin")
_LAST = ("Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus",
         "Perlman", "Thompson", "Hamilton", "Ritchie", "Lamarr", "Wirth", "Wilson", "Hoare",
         "Conway", "Rossum", "Johnson", "Stroustrup", "Borg", "Lamport", "Goldwasser",
         "Diffie", "Sammet", "Milner")


@dataclass(frozen=True)
class Person:
    """One agent or contact, vendor-neutral; each vendor renders its own JSON from it."""

    index: int
    first: str
    last: str
    email: str
    phone: str
    mobile: str = ""
    extra_phones: tuple[str, ...] = field(default=())
    company: str = ""

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


#: The phone book: name, stored phone (the format is the point), mobile, extra numbers.
PHONEBOOK: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("Ada", "Lovelace", "+14155550123", "+14155550199", ("+1 415 555 0150", "415-555-0151")),
    ("Alan", "Turing", "(415) 555-0124", "", ("+44 7700 900124",)),
    ("Grace", "Hopper", "415 555 0125", "415.555.0175", ()),
    ("Edsger", "Dijkstra", "415-555-0126", "", ()),
    ("Barbara", "Liskov", "415.555.0127", "", ()),
    ("Tim", "Berners-Lee", "0044 20 7946 0958", "", ()),
    ("Karen", "Jones", "+44 20 7946 0959", "07700 900959", ()),
    ("Linus", "Torvalds", "020 7946 0960", "", ()),
    ("Margaret", "Hamilton", "+1-415-555-0128", "", ()),
    ("Dennis", "Ritchie", "1 415 555 0129", "", ()),
)

#: Accounts (companies) of the Zoho-like API, also with mixed-format numbers.
COMPANIES: tuple[tuple[str, str], ...] = (
    ("Analytical Engines Ltd", "+44 20 7946 0100"),
    ("Bletchley Systems", "(415) 555-0100"),
    ("COBOL Works", "415.555.0101"),
    ("Acme Telephony", "+14155550102"),
)

FILLER_CONTACTS = 190


def _random_phone(rng: random.Random) -> str:
    area, mid, last = rng.randint(200, 989), rng.randint(200, 999), rng.randint(0, 9999)
    shapes = (f"+1{area}{mid}{last:04d}", f"({area}) {mid}-{last:04d}", f"{area} {mid} {last:04d}",
              f"{area}-{mid}-{last:04d}", f"{area}.{mid}.{last:04d}", f"+1 {area} {mid} {last:04d}")
    return rng.choice(shapes)


def make_agents(count: int = AGENT_COUNT, seed: int = SEED) -> list[Person]:
    """``count`` agents with unique emails, deterministic for a given seed."""
    rng = random.Random(seed)
    agents = []
    for i in range(count):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        email = f"{first.lower()}.{last.lower()}.{i + 1}@agents.example.com"
        agents.append(Person(i, first, last, email, _random_phone(rng)))
    return agents


def make_contacts(seed: int = SEED) -> list[Person]:
    """The phone book first (fixed formats), then seeded filler contacts."""
    contacts = [
        Person(i, first, last, f"{first.lower()}.{last.lower()}@example.com", phone, mobile,
               extra, COMPANIES[i % len(COMPANIES)][0])
        for i, (first, last, phone, mobile, extra) in enumerate(PHONEBOOK)
    ]
    rng = random.Random(seed + 1)
    for i in range(len(contacts), len(contacts) + FILLER_CONTACTS):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        contacts.append(Person(i, first, last, f"{first.lower()}.{last.lower()}.{i}@example.org",
                               _random_phone(rng)))
    return contacts
