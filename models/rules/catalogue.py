"""The sanction recommendation rule over the versioned violation catalogue (DOMAIN.md §4).

The system recommends, it never decides: the recommendation names the band, the sanctions the
PPK may choose from within it, and the legal basis. `confirmed` is false whenever any mapping
used rests on an unconfirmed rule, so that a person checks it before a letter goes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter

from models.enums import Authority, Band, Employment, Regime
from models.indonesian import tanggal
from models.problems import Problem, Severity
from models.rules.catalogue_types import (
    Catalogue,
    CatalogueVersion,
    NoCatalogueVersionError,
    SanctionOption,
    SanctionSet,
    UnknownViolation,
    ViolationEntry,
)

__all__ = [
    "Catalogue",
    "CatalogueVersion",
    "NoCatalogueVersionError",
    "PersonRecommendation",
    "Recommendation",
    "RecommendationRecord",
    "SanctionOption",
    "SanctionSet",
    "UnknownViolation",
    "ViolationEntry",
    "act_problems",
    "is_crime",
    "phase_problems",
    "recommend",
]


@dataclass(frozen=True)
class Recommendation:
    regime: Regime
    band: Band
    sanctions: tuple[str, ...]
    basis: tuple[str, ...]
    confirmed: bool
    catalogue_version: str

    def to_contract(self) -> dict[str, Any]:
        """The `recommendation` object of CONTRACTS.md §3."""
        return {
            "regime": self.regime.value,
            "band": self.band.value,
            "sanctions": list(self.sanctions),
            "basis": list(self.basis),
            "confirmed": self.confirmed,
        }


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


def _codes(acts: Sequence[str]) -> list[str]:
    if isinstance(acts, str):  # a lone code would otherwise be read letter by letter
        raise TypeError("acts must be a sequence of codes, not a single string")
    return list(dict.fromkeys(acts))


def _entries(acts: Sequence[str], version: CatalogueVersion) -> list[ViolationEntry]:
    return [version.entry(code) for code in _codes(acts)]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def recommend(
    acts: Sequence[str], employment: Employment, act_date: date, catalogue: Catalogue
) -> Recommendation:
    """The sanction recommendation for one person who committed `acts` on `act_date`.

    ASN are judged act by act: the most severe band wins and the basis lists every act's basis.
    Other classes get their version's fixed band (kontrak, diteruskan); the acts' civil-service
    articles do not apply to them, so the basis is that of their sanction set only.
    """
    version = catalogue.version_for(act_date)
    entries = _entries(acts, version)
    if not entries:
        raise ValueError("temuan tidak memuat kode pelanggaran")
    fixed = version.fixed_bands.get(employment)
    if fixed is not None:
        band, mapping_confirmed, act_basis = fixed, True, []
    else:
        judged = [entry.band_for(employment) for entry in entries]
        band = max((b for b, _ in judged), key=lambda b: b.severity)
        mapping_confirmed = all(confirmed for _, confirmed in judged)
        act_basis = [basis for entry in entries for basis in entry.basis]
    sanction_set = version.sanctions_for(employment, band)
    sanction_basis = [basis for option in sanction_set.options for basis in option.basis]
    return Recommendation(
        regime=sanction_set.regime,
        band=band,
        sanctions=tuple(option.text for option in sanction_set.options),
        basis=_unique([*act_basis, *sanction_basis]),
        confirmed=mapping_confirmed and sanction_set.confirmed,
        catalogue_version=version.id,
    )


def act_problems(acts: Sequence[str], act_date: date, catalogue: Catalogue) -> list[Problem]:
    """Codes the catalogue in force on `act_date` does not know (or no catalogue in force), said
    in Indonesian with the valid codes, so a finding is corrected rather than failing later."""
    try:
        version = catalogue.version_for(act_date)
    except NoCatalogueVersionError as error:
        return [Problem(code="katalog_tidak_berlaku", field="act_date", message=str(error))]
    problems = []
    for code in _codes(acts):
        try:
            version.entry(code)
        except UnknownViolation as error:
            message = f"{error}; kode yang berlaku: {', '.join(error.known)}"
            problems.append(Problem(code="kode_tidak_dikenal", field="acts", message=message))
    return problems


def is_crime(acts: Sequence[str], catalogue: Catalogue, act_date: date) -> bool:
    """Whether any act is an election crime (the case goes to Sentra Gakkumdu)."""
    return any(entry.is_crime for entry in _entries(acts, catalogue.version_for(act_date)))


def phase_problems(
    acts: Sequence[str], act_date: date, candidates_determined_on: date | None, catalogue: Catalogue
) -> list[Problem]:
    """Warnings for codes whose SKB phase contradicts the act's date.

    Huruf A codes concern a bakal calon (before candidates are determined), Huruf B codes a
    calon (on or after that date). Without a determination date nothing can be said.
    """
    if candidates_determined_on is None:
        return []
    version = catalogue.version_for(act_date)
    determined = tanggal(candidates_determined_on)
    acted = tanggal(act_date)
    problems = []
    for entry in _entries(acts, version):
        if entry.phase == "bakal_calon" and act_date >= candidates_determined_on:
            instead = entry.counterpart or "kode Huruf B"
            message = (
                f"kode {entry.code} untuk perbuatan terkait bakal calon (sebelum penetapan "
                f"calon), padahal perbuatan tanggal {acted} terjadi pada atau setelah "
                f"penetapan calon tanggal {determined}; periksa apakah {instead} lebih tepat"
            )
        elif entry.phase == "calon" and act_date < candidates_determined_on:
            instead = entry.counterpart or "kode Huruf A"
            message = (
                f"kode {entry.code} untuk perbuatan terkait calon (sesudah penetapan calon), "
                f"padahal perbuatan tanggal {acted} terjadi sebelum penetapan calon tanggal "
                f"{determined}; periksa apakah {instead} lebih tepat"
            )
        else:
            continue
        problems.append(
            Problem(
                code="fase_tidak_sesuai",
                field="findings.acts",
                message=message,
                severity=Severity.WARNING,
            )
        )
    return problems
