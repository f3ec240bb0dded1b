"""Types of the violation and sanction catalogue; the data is config/catalogue.yaml.

The catalogue is versioned: a case is judged by the rules in force on the date of the act
(DOMAIN.md §4). Each version holds the violation entries (CONTRACTS.md §2 codes), the sanction
sets per employment class and band, and the band given to classes not judged act by act.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from models.enums import Band, Employment, Regime

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Basis = Annotated[tuple[Text, ...], Field(min_length=1)]
Phase = Literal["bakal_calon", "calon"]
Group = Literal["SKB-A", "SKB-B", "PP94", "PP53", "UU20", "PIDANA"]

ASN_BANDS = frozenset({Band.MORAL, Band.SEDANG, Band.BERAT, Band.PTDH})
JUDGED_PER_ACT = frozenset({Employment.PNS, Employment.CPNS, Employment.PPPK})


class UnknownViolation(ValueError):
    """A finding names a code the catalogue (in force on the act's date) does not know."""

    def __init__(self, code: str, known: Sequence[str] = ()) -> None:
        self.code, self.known = code, tuple(known)
        super().__init__(f"kode pelanggaran tidak dikenal: {code}")


class NoCatalogueVersionError(ValueError):
    """No catalogue version is in force on the date of the act."""

    def __init__(self, act_date: date) -> None:
        self.act_date = act_date
        super().__init__(
            f"tidak ada katalog pelanggaran yang berlaku pada tanggal {act_date.isoformat()}"
        )


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ViolationEntry(_Frozen):
    """One prohibited act. `confirmed` covers the PNS/CPNS band, `confirmed_pppk` the PPPK one."""

    code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Za-z0-9]+)+$")]
    title: Text
    group: Group
    phase: Phase | None = None  # SKB 2022 Lampiran II: Huruf A = bakal calon, Huruf B = calon
    band_pns: Band
    band_pppk: Band
    is_crime: bool = False
    basis: Basis
    confirmed: bool
    confirmed_pppk: bool = False
    maps_to: str | None = None  # code of the entry whose act it is (usually PP 94 Pasal 5 huruf n)
    # The code of the same act in the other phase (SKB-B9 before determination, SKB-B10 after):
    # what the phase warning suggests instead.
    counterpart: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _asn_bands_only(self) -> ViolationEntry:
        for band in (self.band_pns, self.band_pppk):
            if band not in ASN_BANDS:
                raise ValueError(
                    f"band '{band}' is not a civil-service band ({', '.join(sorted(ASN_BANDS))})"
                )
        return self

    def band_for(self, employment: Employment) -> tuple[Band, bool]:
        """The band of this act for an ASN of `employment`, and whether the mapping is confirmed."""
        if employment is Employment.PPPK:
            return self.band_pppk, self.confirmed_pppk
        if employment.is_pns_numbered:
            return self.band_pns, self.confirmed
        raise ValueError(f"{employment} is not judged act by act")


class SanctionOption(_Frozen):
    """One sanction the PPK may choose within a band, with the article that provides it."""

    text: Text
    basis: Basis


class SanctionSet(_Frozen):
    """The sanctions of one band for some employment classes."""

    employment: Annotated[tuple[Employment, ...], Field(min_length=1)]
    band: Band
    regime: Regime
    options: Annotated[tuple[SanctionOption, ...], Field(min_length=1)]
    confirmed: bool
    note: str = ""


class CatalogueVersion(_Frozen):
    id: Text
    title: str = ""
    in_force_from: date
    in_force_until: date | None = None  # last day in force (inclusive); None = still in force
    fixed_bands: dict[Employment, Band]  # classes not judged per act (non-ASN)
    sanctions: tuple[SanctionSet, ...]
    entries: tuple[ViolationEntry, ...]

    @model_validator(mode="after")
    def _coherent(self) -> CatalogueVersion:
        if self.in_force_until is not None and self.in_force_until < self.in_force_from:
            raise ValueError("in_force_until is before in_force_from")
        codes = [e.code for e in self.entries]
        if duplicates := sorted({c for c in codes if codes.count(c) > 1}):
            raise ValueError(f"duplicate codes: {', '.join(duplicates)}")
        for entry in self.entries:
            if entry.counterpart is not None and entry.counterpart not in codes:
                raise ValueError(
                    f"entry {entry.code}: counterpart {entry.counterpart} is not an entry of "
                    "this version"
                )
            if entry.maps_to is not None and entry.maps_to not in codes:
                raise ValueError(
                    f"entry {entry.code}: maps_to {entry.maps_to} is not an entry of this version"
                )
        if judged := sorted(JUDGED_PER_ACT & set(self.fixed_bands)):
            raise ValueError(f"fixed_bands may not list ASN classes: {', '.join(judged)}")
        if missing := sorted(set(Employment) - JUDGED_PER_ACT - set(self.fixed_bands)):
            raise ValueError(f"fixed_bands lacks: {', '.join(missing)}")
        seen: set[tuple[Employment, Band]] = set()
        for sanction_set in self.sanctions:
            for employment in sanction_set.employment:
                if (employment, sanction_set.band) in seen:
                    raise ValueError(f"two sanction sets for {employment}/{sanction_set.band}")
                seen.add((employment, sanction_set.band))
        needed = {(emp, band) for emp, band in self.fixed_bands.items()}
        for entry in self.entries:
            needed |= {(emp, entry.band_for(emp)[0]) for emp in JUDGED_PER_ACT}
        if lacking := sorted(f"{emp}/{band}" for emp, band in needed - seen):
            raise ValueError(f"no sanction set for: {', '.join(lacking)}")
        return self

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def entry(self, code: str) -> ViolationEntry:
        for entry in self.entries:
            if entry.code == code:
                return entry
        raise UnknownViolation(code, [e.code for e in self.entries])

    def sanctions_for(self, employment: Employment, band: Band) -> SanctionSet:
        for sanction_set in self.sanctions:
            if band == sanction_set.band and employment in sanction_set.employment:
                return sanction_set
        raise LookupError(f"version {self.id}: no sanction set for {employment}/{band}")


class Catalogue(_Frozen):
    versions: Annotated[tuple[CatalogueVersion, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _no_overlap(self) -> Catalogue:
        ids = [v.id for v in self.versions]
        if len(set(ids)) != len(ids):
            raise ValueError("version ids must be unique")
        ordered = sorted(self.versions, key=lambda v: v.in_force_from)
        for older, newer in pairwise(ordered):
            if older.in_force_until is None or older.in_force_until >= newer.in_force_from:
                raise ValueError(f"versions {older.id} and {newer.id} overlap")
        return self

    def version_for(self, act_date: date) -> CatalogueVersion:
        """The version in force on the date of the act."""
        for version in self.versions:
            if version.in_force_on(act_date):
                return version
        raise NoCatalogueVersionError(act_date)
