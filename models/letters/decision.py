"""Letters of the decision: the kajian (internal, and redacted for outside readers), the referral
to the authority, and the notice to the reported person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from models.enums import Band, Regime
from models.indonesian import tanggal
from models.letters.common import (
    election_label,
    evidence_refs,
    kind_label,
    party_key,
    person_of,
    reporter_label,
)
from models.letters.contexts import DecisionReview, DismissalNotice, Referral, ReferralNotice
from models.letters.head import ActRef, PersonFinding
from models.letters.specs import LegalBasis
from models.rules.catalogue import Catalogue, PersonRecommendation
from models.rules.referral import authority_name
from models.tables import Case, CaseDecision, Evidence, Letter, Party

BAND_TEXT: dict[Band, str] = {
    Band.MORAL: "Sanksi moral",
    Band.SEDANG: "Hukuman disiplin tingkat sedang",
    Band.BERAT: "Hukuman disiplin tingkat berat",
    Band.PTDH: "Pemberhentian tidak dengan hormat",
    Band.KONTRAK: "Sanksi sesuai perjanjian kerja",
    Band.DITERUSKAN: "Diteruskan kepada instansi yang berwenang",
}
REGIME_TEXT: dict[Regime, str] = {
    Regime.ETIK: "Kode etik (PP Nomor 42 Tahun 2004)",
    Regime.DISIPLIN: "Hukuman disiplin (PP Nomor 94 Tahun 2021)",
    Regime.PEMBERHENTIAN: "Pemberhentian (UU Nomor 20 Tahun 2023)",
    Regime.KONTRAK: "Perjanjian kerja (SE MenPANRB Nomor 1 Tahun 2023)",
    Regime.LAINNYA: "Di luar hukum kepegawaian ASN",
}
UNCONFIRMED_NOTE = (
    "Jenis sanksi untuk perbuatan ini belum dapat dipastikan dari ketentuan yang tersedia; "
    "rekomendasi di atas adalah pembacaan terbaik dan perlu dinilai oleh pejabat yang berwenang."
)
# Instruments that bind ASN only: a non-ASN's letter cites their own regime's basis instead.
ASN_ONLY_BASES = ("PP 94/2021", "PP 42/2004", "UU 20/2023")
ASN_VIOLATION = "pelanggaran netralitas Aparatur Sipil Negara"
NON_ASN_VIOLATION = "pelanggaran ketentuan netralitas"
PPK = "Pejabat Pembina Kepegawaian"


def is_asn(person: Party) -> bool:
    return person.employment is not None and person.employment.is_asn


def violation_label(people: Sequence[Party]) -> str:
    """How letters name the violation: of ASN neutrality when an ASN is among `people`."""
    if any(is_asn(p) for p in people):
        return ASN_VIOLATION
    return NON_ASN_VIOLATION


def act_basis(entry_basis: Sequence[str], asn: bool, regime_basis: Sequence[str]) -> str:
    """The legal basis printed beside an act: the catalogue's for an ASN; for anyone else the
    catalogue's without the ASN-only instruments, then their own regime's (a work contract)."""
    if asn:
        return "; ".join(entry_basis)
    kept = [b for b in entry_basis if not b.startswith(ASN_ONLY_BASES)]
    return "; ".join(dict.fromkeys([*kept, *regime_basis]))


def finding_for(
    party: Party,
    row: PersonRecommendation,
    acts: Sequence[str],
    act_date: date,
    catalogue: Catalogue,
    *,
    authority: str | None = None,
) -> PersonFinding:
    """One person's acts and recommendation; `authority` names who receives the referral when
    it is not KASN/BKN (a non-ASN's own agency head)."""
    version = catalogue.version_for(act_date)
    rec = row.recommendation
    asn = is_asn(party)
    refs = tuple(
        ActRef(
            code=code,
            description=version.entry(code).title,
            legal_basis=act_basis(version.entry(code).basis, asn, rec.basis),
        )
        for code in acts
    )
    return PersonFinding(
        person=person_of(party),
        acts=refs,
        authority=authority or authority_name(row.authority),
        regime=REGIME_TEXT[rec.regime],
        band=BAND_TEXT[rec.band],
        sanctions=rec.sanctions,
        basis=rec.basis,
        confirmed=rec.confirmed,
        note=None if rec.confirmed else UNCONFIRMED_NOTE,
    )


def decision_review(
    case: Case,
    reporter: Party,
    findings: Sequence[PersonFinding],
    *,
    statements: Sequence[str],
    reasoning: str,
    violation: str = ASN_VIOLATION,
    reporter_statements: Sequence[str] = (),
    evidence: Sequence[Evidence] = (),
) -> DecisionReview:
    """The internal kajian; `.redacted()` gives the copy that goes with a referral, without
    what the reporter said at their own clarification."""
    own = tuple(f"Keterangan pelapor: {s}" for s in reporter_statements if s)
    facts = [
        case.incident_account,
        *(f"Keterangan klarifikasi: {s}" for s in statements if s),
        *own,
    ]
    conclusion = (
        f"Terlapor terbukti melakukan {violation} dan direkomendasikan untuk diteruskan "
        "kepada instansi yang berwenang."
        if findings
        else "Dugaan pelanggaran tidak terbukti."
    )
    return DecisionReview(
        case_number=case.case_number or "-",
        report_kind_label=kind_label(case),
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        facts=tuple(facts),
        findings=tuple(findings),
        analysis=tuple(p for p in reasoning.split("\n\n") if p.strip()) or ("-",),
        conclusion=conclusion,
        reporter_label=reporter_label(case, reporter),
        withheld=own,
        evidence=evidence_refs(evidence),
    )


def kajian(
    case: Case,
    reporter: Party,
    reported: Sequence[Party],
    decision: CaseDecision,
    catalogue: Catalogue,
    *,
    statements: Sequence[str],
    reporter_statements: Sequence[str] = (),
    evidence: Sequence[Evidence] = (),
) -> DecisionReview:
    """The internal kajian of `decision`; `.redacted()` is the copy that goes with a referral."""
    by_key = {party_key(p): p for p in reported}
    act_date = decision.act_date or case.occurred_on
    findings = [
        finding_for(by_key[row.party], row, decision.acts, act_date, catalogue)
        for row in decision.rows
    ]
    return decision_review(
        case,
        reporter,
        findings,
        statements=statements,
        reasoning=decision.reasoning,
        violation=violation_label(reported),
        reporter_statements=reporter_statements,
        evidence=evidence,
    )


def referral(
    case: Case,
    authority: str,
    kajian: Letter,
    findings: Sequence[PersonFinding],
    *,
    people: Sequence[Party],
    basis: LegalBasis,
) -> Referral:
    return Referral(
        authority_name=authority,
        case_number=case.case_number or "-",
        basis_text=basis.referral,
        violation_label=violation_label(people),
        election_label=election_label(case),
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        kajian_number=kajian.number,
        kajian_date_text=tanggal(kajian.issued_on),
        findings=tuple(findings),
    )


def referral_notice(
    case: Case, person: Party, finding: PersonFinding, referral_letter: Letter, *, ppk_copied: bool
) -> ReferralNotice:
    """The reported person's notice. When the referral went to their own agency head (not
    KASN/BKN), that head imposes any sanction and is not also named as a copy."""
    ppk_title = person.ppk_title or PPK
    return ReferralNotice(
        person=finding.person,
        case_number=case.case_number or "-",
        incident_summary=case.incident_summary,
        incident_date_text=tanggal(case.occurred_on),
        acts=finding.acts,
        authority_name=finding.authority,
        referral_number=referral_letter.number,
        referral_date_text=tanggal(referral_letter.issued_on),
        ppk_title=ppk_title,
        ppk_copied=ppk_copied,
        violation_label=violation_label([person]),
        sanction_authority=PPK if is_asn(person) else ppk_title,
    )


def dismissal_notice(case: Case, person: Party) -> DismissalNotice:
    """The reported person's notice that the handling stopped: no violation was proven."""
    return DismissalNotice(
        person=person_of(person),
        case_number=case.case_number or "-",
        violation_label=violation_label([person]),
        incident_summary=case.incident_summary,
        incident_date_text=tanggal(case.occurred_on),
    )
