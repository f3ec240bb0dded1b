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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, TypeAdapter

from models.enums import Authority, Band, Employment, Regime
from models.letters.head import Addressee
from models.letters.specs import AuthorityContact
from models.rules.catalogue import Recommendation
from models.rules.routing import AUTHORITY_NAMES, route

ASN_AUTHORITIES: frozenset[Authority] = frozenset({Authority.KASN, Authority.BKN})


class RecommendationRecord(BaseModel):
    """The `recommendation` object of CONTRACTS.md §3, as stored on the case's decision."""

    model_config = ConfigDict(frozen=True)

    regime: Regime
    band: Band
    sanctions: tuple[str, ...]
    basis: tuple[str, ...]
    confirmed: bool
    catalogue_version: str | None = None  # absent on decisions stored before it was kept

    @classmethod
    def of(cls, recommendation: Recommendation) -> RecommendationRecord:
        return cls(
            **recommendation.to_contract(), catalogue_version=recommendation.catalogue_version
        )


class PersonRecommendation(BaseModel):
    """One reported person's recommendation and the authority it is referred to."""

    model_config = ConfigDict(frozen=True)

    party: str  # the party key: terlapor-0, terlapor-1, ...
    authority: Authority
    recommendation: RecommendationRecord


RECOMMENDATIONS = TypeAdapter(list[PersonRecommendation])


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


def referral_addressee(
    authority: Authority, superior: Superior, contacts: Mapping[str, AuthorityContact]
) -> Addressee | None:
    """Who receives the referral: the configured authority, else the person's own PPK."""
    contact = contacts.get(authority.value)
    if contact is not None:
        return Addressee(
            f"otoritas-{authority.value.lower()}", contact.name, contact.place, contact.email
        )
    if superior.title:  # non-ASN staff and others: to the person's own PPK / superior
        return Addressee(f"ppk-{superior.party}", superior.title, email=superior.email)
    return None


class ReferralImpossible(ValueError):
    """A reported person has nobody to be referred to: approval would drop them silently."""

    def __init__(self, unaddressed: Sequence[str]) -> None:
        super().__init__(
            "tidak ada tujuan penerusan untuk: " + ", ".join(unaddressed) + ". Lengkapi data "
            "PPK/atasan terlapor pada laporan, atau kembalikan rekomendasi (--return) untuk "
            "dikaji ulang; tidak ada surat yang diterbitkan."
        )
