"""What each letter says: one body model per letter kind, with its audience.

Every value is final text (dates written "27 November 2024", counts "7 (tujuh) hari"): the
templates in templates/letters/ only place it. `adapters.docx.render_letter` dumps the head and
the body to plain data and renders them with a StrictUndefined Jinja environment, so a field the
template names but the model lacks is an error, never a blank. The letterhead and the shared
parts (Person, PersonFinding...) live in `models.letters.head`.

Confidentiality (DOMAIN.md §7): bodies of letters that leave Bawaslu (`Audience.OUTBOUND`) have
no field that can hold the reporter's identity. The redacted kajian (`RedactedDecisionReview`)
prints a fixed "(dirahasiakan)" where the internal copy names the reporter.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import computed_field, model_validator

from models.letters.head import (
    ActRef,
    CheckRow,
    Clause,
    EvidenceRef,
    LetterBody,
    Officer,
    Person,
    PersonFinding,
    QuestionAnswer,
)
from models.rules.confidentiality import REDACTED, Audience


def reporter_shown(report_kind_label: str, disclosed: str | None) -> str:
    """Who brought the case, as a letter for outsiders shows it: a laporan's reporter is
    "(dirahasiakan)" unless they consented to be named; a temuan was found by the supervisors."""
    if report_kind_label != "Laporan":
        return "Jajaran pengawas pemilu"
    return disclosed or REDACTED


class ReceiptAcknowledgement(LetterBody):
    kind = "tanda_terima"
    audience = Audience.REPORTER
    reporter_name: str
    report_ref: str
    received_text: str
    incident_summary: Clause
    incident_place: str
    incident_date_text: str
    evidence: tuple[str, ...] = ()
    review_period_text: str  # "2 (dua) hari"
    # A laporan filed on the public site: where and by which number the reporter follows it
    # (the lookup code is shown once on the site, never written in an email).
    receipt_number: str | None = None
    lookup_url: str | None = None

    def email_details(self) -> tuple[tuple[str, str], ...]:
        if self.receipt_number is None or self.lookup_url is None:
            return ()
        return (
            ("Nomor tanda terima", self.receipt_number),
            (
                "Ikuti laporan di",
                f"{self.lookup_url} (dengan nomor tanda terima dan kode lacak yang ditampilkan "
                "saat laporan dikirim)",
            ),
        )


class PreliminaryReview(LetterBody):
    kind = "kajian_awal"
    audience = Audience.INTERNAL
    report_ref: str
    report_kind_label: str  # "Laporan" / "Temuan"
    received_text: str
    reporter_name: str
    reporter_address: str | None = None
    reported: tuple[Person, ...]
    incident_summary: Clause
    incident_place: str
    incident_date_text: str
    known_date_text: str
    evidence: tuple[EvidenceRef, ...] = ()  # description and short hash (internal record)
    formal_checks: tuple[CheckRow, ...]
    material_checks: tuple[CheckRow, ...]
    conclusion: str
    outcome_label: str  # e.g. "Diregistrasi"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def source_heading(self) -> str:
        """Who brought the case: the reporter of a laporan, the finder of a temuan."""
        return "Pelapor" if self.report_kind_label == "Laporan" else "Penemu"


class NoticeStatus(StrEnum):
    REGISTERED = "diregistrasi"
    NOT_REGISTERED = "tidak_diregistrasi"
    FORWARDED = "diteruskan"
    DELEGATED = "dilimpahkan"
    RESULT = "hasil"


_STATUS_NEEDS: dict[NoticeStatus, str] = {
    NoticeStatus.REGISTERED: "case_number",
    NoticeStatus.NOT_REGISTERED: "reason",
    NoticeStatus.FORWARDED: "forwarded_to",
    NoticeStatus.DELEGATED: "forwarded_to",
    NoticeStatus.RESULT: "result_text",
}


class StatusNotice(LetterBody):
    kind = "pemberitahuan_status"
    audience = Audience.REPORTER
    reporter_name: str
    report_ref: str
    received_text: str
    incident_summary: Clause
    status: NoticeStatus
    case_number: str | None = None
    reason: Clause | None = None
    forwarded_to: Clause | None = None
    result_text: Clause | None = None
    identity_disclosed: bool = False  # the reporter consented to be named to outsiders

    @model_validator(mode="after")
    def _status_has_its_text(self) -> StatusNotice:
        needed = _STATUS_NEEDS[self.status]
        if not getattr(self, needed):
            raise ValueError(f"status {self.status.value!r} requires {needed}")
        return self


class CompletionRequest(LetterBody):
    """To the reporter: the kajian awal found the report incomplete; what to complete, by when."""

    kind = "permintaan_kelengkapan"
    audience = Audience.REPORTER
    reporter_name: str
    report_ref: str
    received_text: str
    incident_summary: Clause
    items: tuple[Clause, ...]
    period_text: str  # "2 (dua) hari"
    due_text: str
    basis: str | None  # the period's legal basis, only when confirmed

    def email_details(self) -> tuple[tuple[str, str], ...]:
        return (
            ("Yang perlu dilengkapi", "; ".join(self.items)),
            ("Batas waktu", self.due_text),
        )


class DelegationLetter(LetterBody):
    """To another Bawaslu office: the report is theirs to handle (dilimpahkan). Between Bawaslu
    offices, so it names the reporter: the receiving office handles the report in full."""

    kind = "pelimpahan_laporan"
    audience = Audience.INTERNAL
    report_ref: str
    report_kind_label: str
    received_text: str
    reporter_name: str
    reported: tuple[Person, ...]
    incident_summary: Clause
    incident_place: str
    incident_date_text: str
    office_name: str  # the receiving office
    reason: Clause

    @computed_field  # type: ignore[prop-decorator]
    @property
    def source_heading(self) -> str:
        return "Pelapor" if self.report_kind_label == "Laporan" else "Penemu"


class ForwardingLetter(LetterBody):
    """To another institution (the Bupati, KPU, the police...): the report is theirs to handle
    (diteruskan); the report's summary goes with it without the reporter."""

    kind = "penerusan_laporan"
    audience = Audience.OUTBOUND
    report_ref: str
    report_kind_label: str
    received_text: str
    incident_summary: Clause
    office_name: str  # the forwarding office
    institution: str
    reason: Clause
    # Set only from the reporter's recorded consent to disclose their name.
    disclosed_reporter: str | None = None


class RedactedReport(LetterBody):
    """The forwarded report as an attachment: what happened and who is reported, the reporter
    and the witnesses left out (Perbawaslu 1/2022 Pasal 18(2)(b))."""

    kind = "laporan_disamarkan"
    audience = Audience.OUTBOUND
    report_ref: str
    report_kind_label: str
    received_text: str
    reported: tuple[Person, ...]
    incident_summary: str
    incident_place: str
    incident_date_text: str
    known_date_text: str
    account: str
    evidence: tuple[str, ...]
    # Set only from the reporter's recorded consent to disclose their name.
    disclosed_reporter: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def source_heading(self) -> str:
        return "Pelapor" if self.report_kind_label == "Laporan" else "Penemu"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reporter_label(self) -> str:
        return reporter_shown(self.report_kind_label, self.disclosed_reporter)


class ClarificationInvitation(LetterBody):
    kind = "undangan_klarifikasi"
    audience = Audience.OUTBOUND
    person: Person
    capacity: Literal["Terlapor", "Saksi", "Pelapor"]
    case_number: str
    violation_label: str  # of ASN neutrality, or of the rules of neutrality for non-ASN
    incident_summary: Clause
    incident_place: str
    incident_date_text: str
    legal_basis: str  # the law and Perbawaslu the clarification rests on
    day_name: str
    date_text: str
    time_text: str
    place: str
    bring: tuple[str, ...]
    contact: str | None = None  # narahubung: name and phone

    def email_details(self) -> tuple[tuple[str, str], ...]:
        return (
            ("Hari, tanggal", f"{self.day_name}, {self.date_text}"),
            ("Pukul", self.time_text),
            ("Tempat", self.place),
            ("Membawa", "; ".join(self.bring)),
        )


class ReporterInvitation(ClarificationInvitation):
    """The same invitation to the reporter: a letter about their own report, for them alone."""

    kind = "undangan_klarifikasi_pelapor"
    audience = Audience.REPORTER


class ClarificationRecord(LetterBody):
    kind = "berita_acara_klarifikasi"
    audience = Audience.INTERNAL
    case_number: str
    day_name: str
    date_text: str
    time_text: str
    place: str
    person: Person  # whoever was clarified; this record is internal and may be the reporter
    capacity: Literal["Pelapor", "Terlapor", "Saksi"]
    person_address: str | None = None
    attended: bool
    oath_taken: bool
    examiners: tuple[Officer, ...]
    statements: tuple[QuestionAnswer, ...] = ()
    absence_note: str | None = None


class _DecisionReviewBody(LetterBody):
    case_number: str
    report_kind_label: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def source_heading(self) -> str:
        """Who brought the case: the reporter of a laporan, the finder of a temuan."""
        return "Pelapor" if self.report_kind_label == "Laporan" else "Penemu"

    incident_summary: Clause
    incident_place: str
    incident_date_text: str
    facts: tuple[str, ...]
    findings: tuple[PersonFinding, ...]
    analysis: tuple[str, ...]
    conclusion: str


class DecisionReview(_DecisionReviewBody):
    """The internal kajian: `reporter_label` names the reporter (or the unit of a temuan)."""

    kind = "kajian_dugaan_pelanggaran"
    audience = Audience.INTERNAL
    reporter_label: str
    withheld: tuple[str, ...] = ()  # facts that never leave Bawaslu (the reporter's statement)
    # The reporter's evidence: listed here only, never in the redacted copy that goes out.
    evidence: tuple[EvidenceRef, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def internal(self) -> bool:
        """The internal copy says where a sanction mapping rests on an unconfirmed rule."""
        return True

    def redacted(self, *, disclosed: str | None = None) -> RedactedDecisionReview:
        """The copy that goes with a referral: the same kajian without the reporter (named
        only as `disclosed`, from their consent)."""
        fields = RedactedDecisionReview.model_fields
        values = {k: getattr(self, k) for k in fields if k != "disclosed_reporter"}
        values["disclosed_reporter"] = disclosed
        values["facts"] = tuple(f for f in self.facts if f not in self.withheld)
        return RedactedDecisionReview.model_validate(values)


class RedactedDecisionReview(_DecisionReviewBody):
    """The kajian for outside readers: no reporter field; the template shows '(dirahasiakan)'."""

    kind = "kajian_dugaan_pelanggaran_disamarkan"
    audience = Audience.OUTBOUND
    # Set only from the reporter's recorded consent to disclose their name.
    disclosed_reporter: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reporter_label(self) -> str:
        return reporter_shown(self.report_kind_label, self.disclosed_reporter)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def internal(self) -> bool:
        return False


class Referral(LetterBody):
    kind = "surat_penerusan"
    audience = Audience.OUTBOUND
    authority_name: str  # "Badan Kepegawaian Negara", or a non-ASN's own agency head
    case_number: str
    basis_text: str  # the first point: the law that makes Bawaslu forward this (per election)
    violation_label: str  # "pelanggaran netralitas Aparatur Sipil Negara" / non-ASN wording
    election_label: str  # "Pemilihan Bupati dan Wakil Bupati Penajam Paser Utara Tahun 2024"
    incident_summary: Clause
    incident_place: str
    incident_date_text: str
    kajian_number: str
    kajian_date_text: str
    findings: tuple[PersonFinding, ...]


class ReferralNotice(LetterBody):
    kind = "pemberitahuan_terlapor"
    audience = Audience.OUTBOUND
    person: Person
    case_number: str
    incident_summary: Clause
    incident_date_text: str
    acts: tuple[ActRef, ...]
    authority_name: str
    referral_number: str
    referral_date_text: str
    ppk_title: str
    ppk_copied: bool  # the PPK received a copy (not when the referral went to them)
    violation_label: str
    sanction_authority: str  # who imposes it: "Pejabat Pembina Kepegawaian" or the agency head


class DismissalNotice(LetterBody):
    """To a reported person: the kajian found no violation and the handling stopped."""

    kind = "pemberitahuan_penghentian"
    audience = Audience.OUTBOUND
    person: Person
    case_number: str
    violation_label: str
    incident_summary: Clause
    incident_date_text: str


class PpkReminder(LetterBody):
    kind = "pengingat_ppk"
    audience = Audience.OUTBOUND
    persons: tuple[Person, ...]
    case_number: str
    authority_name: str
    referral_number: str
    referral_date_text: str
    period_text: str  # "14 (empat belas) hari"
    due_date_text: str
    reply_period_text: str  # "7 (tujuh) hari"
    # "rekomendasi Badan Kepegawaian Negara Nomor ... tanggal ...": the period counted from it
    recommendation_text: str | None = None
    followup_note: str | None = None  # SE MenPANRB 4/2024: where the PPK reports (KASN cases)


class SiasnBlockRequest(LetterBody):
    kind = "eskalasi_bkn"
    audience = Audience.OUTBOUND
    persons: tuple[Person, ...]
    ppk_title: str
    case_number: str
    referral_number: str
    referral_date_text: str
    due_date_text: str
    reminder_number: str | None = None  # None: escalated on the PPK's refusal, before a reminder
    reminder_date_text: str | None = None
    refused_on_text: str | None = None  # the PPK refused (declined or disputed) on this date
    refusal_reason: Clause | None = None
