"""Who may read what (DOMAIN.md §7; Perbawaslu 1/2022 Pasal 18(2)(b)): the reporter's identity
stays inside Bawaslu.

- Every letter kind has an `Audience`; an OUTBOUND letter (to the reported person, the PPK,
  KASN/BKN) must never name the reporter. Its context model has no field for the reporter, and
  the letter desk checks the rendered text with `reporter_mentions` before issuing it.
- The redacted kajian prints `REDACTED` where the internal copy names the reporter.
- Prefect shows a run's parameters to every UI user: a report's copy there has the reporter's
  and the witnesses' contact details replaced by `HIDDEN` (`hidden_contacts`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any


class Audience(StrEnum):
    OUTBOUND = "outbound"  # leaves Bawaslu: never the reporter's identity
    INTERNAL = "internal"  # Bawaslu's own records: may name the reporter
    REPORTER = "reporter"  # to the reporter, about their own report


REDACTED = "(dirahasiakan)"
HIDDEN = "(disamarkan; lihat basis data Netra)"
HIDDEN_EMAIL = "disamarkan@netra.invalid"
_HIDDEN_CONTACTS = {
    "address": HIDDEN,
    "phone": HIDDEN,
    "email": HIDDEN_EMAIL,
    "birth_place": HIDDEN,
}


def guards_reporter(audience: Audience, *, is_laporan: bool) -> bool:
    """Whether a letter's text must be checked for the reporter's identity: a letter that leaves
    Bawaslu, about a laporan (a temuan's "reporter" is the supervising unit itself)."""
    return audience is Audience.OUTBOUND and is_laporan


def identity_terms(*fields: str | None) -> list[str]:
    """What identifies the reporter in a text: name, phone, email, address (those given)."""
    return [f for f in fields if f]


def reporter_mentions(text: str, terms: Sequence[str], *, ignore: str = "") -> list[str]:
    """Terms found in `text` as whole words (case-insensitive), leaving out terms that the
    office's own letterhead contains (a reporter named after a street or a city)."""
    haystack, ignored = " ".join(text.casefold().split()), ignore.casefold()
    found = []
    for term in terms:
        needle = " ".join(term.casefold().split())
        if not needle or needle in ignored:
            continue
        if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack):
            found.append(term)
    return found


def hidden_contacts(person: Mapping[str, Any]) -> dict[str, Any]:
    """A report's reporter or witness as a UI user may see them: contact details blanked."""
    shown = {k: v for k, v in person.items() if k != "birth_date"}
    for field, mask in _HIDDEN_CONTACTS.items():
        if shown.get(field):
            shown[field] = mask
    return shown


def is_hidden_copy(address: str | None, phone: str | None, email: str | None) -> bool:
    """A reporter copied from a run whose parameters were blanked: not the real report."""
    return HIDDEN in (address, phone) or email == HIDDEN_EMAIL
