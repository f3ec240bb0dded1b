"""Where a decided case goes (DOMAIN.md §2 step 6): the recommendation per reported person, the
authority it is referred to on the day the referral is sent, and how persons are grouped into
referral letters. Pure: the approval service loads the rows and applies these rules.

- ASN go to KASN or BKN (`ASN_AUTHORITIES`), all of one case's ASN in one letter to it;
- everyone else with a referral goes to their own agency head (the PPK/superior named in the
  report), one letter per person, since each has their own;
- a person with nobody to be referred to blocks the approval (`ReferralImpossible`): dropping
  them silently would end their case unheard.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from models.enums import Authority, Employment
from models.rules.catalogue import PersonRecommendation
from models.rules.routing import AUTHORITY_NAMES, route

ASN_AUTHORITIES: frozenset[Authority] = frozenset({Authority.KASN, Authority.BKN})


def authority_name(authority: Authority) -> str:
    return AUTHORITY_NAMES[authority]


def rerouted(
    recommendations: Sequence[PersonRecommendation],
    employment: Mapping[str, Employment],
    *,
    referral_date: date,
    switch_date: date,
) -> list[PersonRecommendation]:
    """The authority is decided by the date the referral is sent (KASN before the switch date,
    BKN from it), not by the date the recommendation was drafted."""
    crime = any(r.authority is Authority.GAKKUMDU for r in recommendations)
    return [
        r.model_copy(
            update={
                "authority": route(
                    employment[r.party],
                    referral_date=referral_date,
                    switch_date=switch_date,
                    crime=crime,
                )
            }
        )
        for r in recommendations
    ]


@dataclass(frozen=True)
class ReferralGroup:
    """The persons one referral letter is about, and the authority it goes to."""

    authority: Authority
    parties: tuple[str, ...]

    @property
    def to_asn_authority(self) -> bool:
        return self.authority in ASN_AUTHORITIES


def referral_groups(recommendations: Sequence[PersonRecommendation]) -> list[ReferralGroup]:
    """One referral per ASN authority (all its persons together); one per person otherwise."""
    groups: dict[str, list[PersonRecommendation]] = {}
    for r in recommendations:
        key = r.authority.value
        if r.authority not in ASN_AUTHORITIES:
            key = f"{key}:{r.party}"
        groups.setdefault(key, []).append(r)
    return [
        ReferralGroup(rows[0].authority, tuple(r.party for r in rows))
        for _, rows in sorted(groups.items())
    ]


@dataclass(frozen=True)
class Superior:
    """The reported person's own PPK or superior, as the report names them."""

    party: str
    title: str | None
    email: str | None


def can_be_referred(authority: Authority, superior: Superior, configured: Collection[str]) -> bool:
    """A referral needs an addressee: the authority's configured contact, else the person's own
    PPK or superior."""
    return authority.value in configured or bool(superior.title)


def unaddressed(
    recommendations: Sequence[PersonRecommendation],
    superiors: Mapping[str, Superior],
    configured: Collection[str],
) -> list[str]:
    """The parties nobody could be referred to: approving would drop them silently."""
    return [
        r.party
        for r in recommendations
        if not can_be_referred(r.authority, superiors[r.party], configured)
    ]


def copies_the_ppk(group: ReferralGroup) -> bool:
    """A referral to KASN/BKN is copied to each person's PPK (who must act on it); a referral to
    the person's own agency head already goes to them."""
    return group.to_asn_authority


def referred_asn(recommendations: Sequence[PersonRecommendation]) -> set[str]:
    """The parties referred to KASN/BKN: those BKN can be asked to block in SIASN."""
    return {r.party for r in recommendations if r.authority in ASN_AUTHORITIES}


class HasSuperior(Protocol):
    ppk_title: str | None


P = TypeVar("P", bound=HasSuperior)


def ppk_groups(people: Sequence[P]) -> list[tuple[str, list[P]]]:
    """One reminder per PPK, with the reported persons it is about (by the PPK's title)."""
    groups: dict[str, list[P]] = {}
    for person in people:
        if person.ppk_title:
            groups.setdefault(person.ppk_title, []).append(person)
    return sorted(groups.items(), key=lambda group: group[0])


def reminded_authority(recommendations: Sequence[PersonRecommendation]) -> str:
    """The authority a PPK reminder names: the case's referral's."""
    if not recommendations:
        return "instansi yang berwenang"
    return authority_name(recommendations[0].authority)


def reports_to_menpanrb(
    referred_to: Collection[Authority], recommended_by: Authority | None
) -> bool:
    """SE MenPANRB 4/2024 (4 Sep 2024) [S]: a referral KASN had received and processed before
    the switch is followed up with MenPANRB, where the PPK reports. "Processed" is KASN's
    recommendation on record (a KASN recommendation is accepted only when dated before the
    switch); one KASN received but did not process passed to BKN and is followed up as BKN's."""
    return Authority.KASN in referred_to and recommended_by is Authority.KASN


class ReferralImpossible(ValueError):
    """A reported person has nobody to be referred to: approval would drop them silently."""

    def __init__(self, people: Sequence[str]) -> None:
        super().__init__(
            "tidak ada tujuan penerusan untuk: " + ", ".join(people) + ". Lengkapi data "
            "PPK/atasan terlapor pada laporan, atau kembalikan rekomendasi (--return) untuk "
            "dikaji ulang; tidak ada surat yang diterbitkan."
        )
