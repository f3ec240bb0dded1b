"""What investigators and supervisors decide at each stage: typed inputs with Indonesian titles,
used by the CLI, the decisions file of `netra process` and the Prefect UI's run forms."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from models.enums import ConsentScope


class VerificationChoice(StrEnum):
    REGISTER = "register"
    COMPLETE = "complete"  # ask the reporter to complete the report
    NOT_REGISTER = "not_register"
    FORWARD = "forward"
    DELEGATE = "delegate"


class VerificationDecision(BaseModel):
    """Keputusan kajian awal oleh petugas."""

    decision: VerificationChoice = Field(
        title="Keputusan",
        description="register, complete (minta kelengkapan), not_register, forward, delegate",
    )
    reason: str = Field(
        default="",
        title="Alasan",
        description="Wajib untuk tidak diregistrasi, diteruskan, dilimpahkan",
    )
    forward_to: str | None = Field(
        default=None,
        title="Diteruskan/dilimpahkan kepada",
        description="Diteruskan: nama instansi (mis. Bupati Penajam Paser Utara); dilimpahkan: "
        "kunci kantor Bawaslu tujuan di config/offices.yaml",
    )
    forward_email: str | None = Field(
        default=None,
        title="Surel instansi tujuan",
        description="Untuk diteruskan: alamat surel instansi; kosong: surat diantar langsung",
    )
    missing_items: list[str] = Field(
        default_factory=list,
        title="Kelengkapan yang diminta",
        description="Untuk complete: hal-hal yang harus dilengkapi pelapor",
    )


class HearingSchedule(BaseModel):
    """Jadwal klarifikasi."""

    date: dt.date = Field(title="Tanggal klarifikasi")
    time: dt.time = Field(title="Jam (waktu setempat kantor)")
    place: str = Field(min_length=1, title="Tempat")
    invite_reporter: bool = Field(
        default=True,
        title="Undang pelapor",
        description="Laporan: pelapor juga diundang klarifikasi (temuan: tidak ada pelapor)",
    )


class QuestionAndAnswer(BaseModel):
    """Satu pertanyaan pemeriksa dan jawaban pihak yang diklarifikasi."""

    question: str = Field(min_length=1, title="Pertanyaan")
    answer: str = Field(min_length=1, title="Jawaban")


class HearingOutcome(BaseModel):
    """Hasil klarifikasi satu orang."""

    party: str = Field(title="Pihak", description="terlapor-0, saksi-0, ...")
    attended: bool = Field(title="Hadir")
    oath_taken: bool = Field(default=False, title="Disumpah")
    statement: str = Field(default="", title="Keterangan", description="Pokok keterangan")
    questions: list[QuestionAndAnswer] = Field(
        default_factory=list,
        title="Tanya jawab",
        description="Pertanyaan pemeriksa dan jawaban, dicatat dalam berita acara",
    )


class FindingsInput(BaseModel):
    """Hasil kajian dugaan pelanggaran (CONTRACTS §2)."""

    violation: bool = Field(default=True, title="Terbukti melanggar")
    acts: list[str] = Field(
        default_factory=list, title="Kode pelanggaran", description="mis. PP94-5n-1, SKB-B4"
    )
    act_date: dt.date | None = Field(default=None, title="Tanggal perbuatan")
    reasoning: str = Field(default="", title="Pertimbangan")
    contest: str | None = Field(
        default=None,
        title="Kontestasi",
        description="Pemilu: legislatif atau presiden; kosong: tanggal penetapan paling awal",
    )


class ConsentInput(BaseModel):
    """Persetujuan pelapor untuk mengungkapkan identitasnya dalam surat kepada pihak luar."""

    scope: ConsentScope = Field(
        title="Cakupan",
        description="nama (hanya nama) atau identitas (nama, alamat, telepon, surel)",
    )
    given_on: dt.date = Field(title="Tanggal persetujuan")
    means: str = Field(
        min_length=1,
        title="Bentuk persetujuan",
        description="mis. surat pernyataan bermeterai tanggal ..., atau berita acara klarifikasi",
    )


class ApprovalInput(BaseModel):
    """Keputusan pimpinan atas rekomendasi."""

    approved: bool = Field(title="Disetujui")
    note: str = Field(default="", title="Catatan", description="Wajib bila dikembalikan")

    @model_validator(mode="after")
    def _returned_with_a_note(self) -> ApprovalInput:
        if refusal := approval_refusal(self.approved, self.note):
            raise ValueError(refusal)
        return self


APPROVAL_REFUSED = "catatan wajib diisi bila rekomendasi dikembalikan"


def approval_refusal(approved: bool, note: str) -> str | None:
    """The one approval rule, wherever the decision comes from (CLI, Run form, pause form): a
    returned recommendation says why. A form submitted with the toggle untouched says "not
    approved": without a note that is far more likely a slip than a decision."""
    return APPROVAL_REFUSED if not approved and not note.strip() else None


class PpkDecisionInput(BaseModel):
    """Keputusan PPK atas rekomendasi (menutup perkara)."""

    sanction: str = Field(min_length=1, title="Sanksi yang dijatuhkan")
    decree_number: str = Field(min_length=1, title="Nomor keputusan PPK")
    decree_date: dt.date = Field(title="Tanggal keputusan PPK")


class StageTimes(BaseModel):
    """Days after receipt at which each step happens when a case's own timeline is replayed."""

    verification: float = 1
    clarification: float = 1.5
    clarification_record: float = 2
    recommendation: float = 3
    approval: float = 3.5
    notification: float = 3.5


class CasePlan(BaseModel):
    """Every decision of a case, for `netra process` (documented in docs/decisions-file.md)."""

    verification: VerificationDecision
    clarification: HearingSchedule | None = None
    clarification_outcomes: list[HearingOutcome] = Field(default_factory=list)
    findings: FindingsInput | None = None
    approval: ApprovalInput | None = None
    investigator: str = "petugas"
    supervisor: str = "pimpinan"
    times: StageTimes = Field(default_factory=StageTimes)
