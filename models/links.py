"""Related reports (issue 10, Build 6): when two open cases concern the same person or the same
incident in the same election, and what a person may and may not do with a link.

Pure. The query that finds candidates is `adapters.db.links`; the service that records links is
`services.links`. Cases are linked, never merged: each keeps its own number, deadlines and
letters, and a link can be removed (its history kept).

- Same election: the same election type and year, and the same region compared without case,
  punctuation or extra spaces.
- Same person: both have a NIP and the NIPs are equal (digits only, separators ignored); when
  either has none, the same name and the same agency, compared without case or spaces. Two
  different NIPs are two people, whatever their names.
- Same incident: the same date of occurrence and the same place (normalised as the region).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from models.enums import ElectionType
from models.indonesian import tanggal
from models.rules.identifiers import normalize_nip
from models.tables import Case, Party

_NOT_WORD = re.compile(r"[\W_]+")


class LinkAction(StrEnum):
    LINK = "tautkan"
    UNLINK = "lepaskan"


def compact(text: str | None) -> str:
    """A name or agency as compared: no case, no spaces ('Agus  SALIM' == 'agus salim')."""
    return "".join((text or "").split()).casefold()


def place_key(text: str | None) -> str:
    """A place or region as compared: no case, punctuation or extra spaces."""
    return " ".join(_NOT_WORD.sub(" ", (text or "").casefold()).split())


def nip_key(nip: str | None) -> str:
    """The NIP as compared: digits only ('' when none was given)."""
    return normalize_nip(nip or "")


@dataclass(frozen=True)
class Person:
    name: str
    nip: str | None
    agency: str | None

    def same_as(self, other: Person) -> str | None:
        """How `other` is the same reported person (Indonesian), or None."""
        mine, theirs = nip_key(self.nip), nip_key(other.nip)
        if mine and theirs:
            return "NIP" if mine == theirs else None
        agency = compact(self.agency)
        same_agency = bool(agency) and agency == compact(other.agency)
        same_name = compact(self.name) == compact(other.name)
        return "nama dan instansi" if same_agency and same_name else None


@dataclass(frozen=True)
class CaseFacts:
    """What the matching rule reads of a case."""

    election: tuple[ElectionType, int, str]  # type, year, normalised region
    occurred_on: date
    place: str
    people: tuple[Person, ...]


def case_facts(case: Case, reported: Iterable[Party]) -> CaseFacts:
    return CaseFacts(
        election=(case.election_type, case.election_year, place_key(case.election_region)),
        occurred_on=case.occurred_on,
        place=case.incident_place,
        people=tuple(Person(p.name, p.nip, p.agency) for p in reported),
    )


def link_reasons(new: CaseFacts, other: CaseFacts) -> list[str]:
    """Why `new` should be linked to `other` (Indonesian, one line per match), or [] when the
    two are not related: another election, nobody in common, another incident."""
    if new.election != other.election:
        return []
    reasons: list[str] = []
    for person in new.people:
        how = next((h for p in other.people if (h := person.same_as(p))), None)
        if how:
            reasons.append(f"terlapor sama ({how}): {person.name}")
    same_place = place_key(new.place) == place_key(other.place) and place_key(new.place)
    if new.occurred_on == other.occurred_on and same_place:
        reasons.append(f"kejadian sama: {tanggal(new.occurred_on)}, {new.place}")
    return reasons


def link_line(label: str, reason: str) -> str:
    """How a link reads on a case: '003/REG/LP/PW/... (terlapor sama (NIP): Agus Salim)'."""
    return f"{label} ({reason})"


# --- what a person may do --------------------------------------------------------------------
def link_refusal(case_id: int, other_id: int, reason: str) -> str | None:
    """Why these two cases cannot be linked by hand (Indonesian), or None."""
    if case_id == other_id:
        return "perkara tidak dapat ditautkan dengan dirinya sendiri"
    if not reason.strip():
        return "alasan penautan wajib diisi (--reason)"
    return None


def unlink_refusal(case_id: int, other_id: int, reason: str, *, ever_linked: bool) -> str | None:
    """Why the link between these two cases cannot be removed (Indonesian), or None."""
    if case_id == other_id:
        return "perkara tidak tertaut dengan dirinya sendiri"
    if not reason.strip():
        return "alasan melepas tautan wajib diisi (--reason)"
    if not ever_linked:
        return f"perkara #{case_id} dan #{other_id} tidak tertaut"
    return None
