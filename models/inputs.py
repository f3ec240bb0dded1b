"""What investigators and supervisors decide at each stage: typed inputs with Indonesian titles,
used by the CLI, the decisions file of `netra process` and the Prefect UI's run forms."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, field_validator, model_validator

from models.enums import Authority, ConsentScope
from models.enums import ReplyKind as ReplyKind
from models.enums import VerificationChoice as VerificationChoice


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

    @property
    def target(self) -> str:
        """Where the report goes (forward, delegate), trimmed; "" when not given."""
        return (self.forward_to or "").strip()

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

    party: str = Field(title="Pihak", description="terlapor-0, saksi-0, pelapor-0, ...")
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


class ReplyInput(BaseModel):
    """Tanggapan atas penerusan: diterima instansi, rekomendasi instansi, atau penolakan PPK."""

    kind: ReplyKind = Field(
        title="Jenis tanggapan",
        description="acknowledged: penerusan diterima KASN/BKN (nomor SBT/SIAPNET); "
        "recommendation: rekomendasi KASN/BKN kepada PPK; ppk-refused: PPK menolak atau "
        "keberatan",
    )
    date: dt.date = Field(title="Tanggal tanggapan", description="Tanggal surat atau tanggapan")
    authority: Authority | None = Field(
        default=None,
        title="Instansi (BKN/KASN)",
        description="Yang menerima penerusan atau memberi rekomendasi; kosong: instansi "
        "tujuan penerusan",
    )
    reference: str = Field(
        default="",
        title="Nomor rujukan (SBT/SIAPNET)",
        description="Wajib untuk acknowledged: nomor pengaduan SBT (BKN) atau SIAPNET (KASN)",
    )
    number: str = Field(
        default="", title="Nomor rekomendasi", description="Wajib untuk recommendation"
    )
    sanction: str = Field(
        default="", title="Sanksi yang direkomendasikan", description="Wajib untuk recommendation"
    )
    reason: str = Field(
        default="", title="Alasan penolakan PPK", description="Wajib untuk ppk-refused"
    )

    @field_validator("reference", "number", "sanction", "reason", mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        """Each text is printed on one line of a letter or a table: no line breaks, tabs."""
        return " ".join(value.split()) if isinstance(value, str) else value

    @field_validator("authority", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _complete(self) -> ReplyInput:
        if refusal := reply_input_refusal(self):
            raise ValueError(refusal)
        return self


# What each kind of reply must carry (field, what the person is asked for).
_REQUIRED: dict[ReplyKind, tuple[tuple[str, str], ...]] = {
    ReplyKind.ACKNOWLEDGED: (
        ("authority", "instansi (--authority bkn atau kasn)"),
        ("reference", "nomor rujukan SBT/SIAPNET (--reference)"),
    ),
    ReplyKind.RECOMMENDATION: (
        ("number", "nomor rekomendasi (--number)"),
        ("sanction", "sanksi yang direkomendasikan (--sanction)"),
    ),
    ReplyKind.PPK_REFUSED: (("reason", "alasan penolakan PPK (--reason)"),),
}
ASN_AUTHORITIES_BY_NAME = (Authority.BKN, Authority.KASN)


def reply_input_refusal(reply: ReplyInput) -> str | None:
    """Why this reply is incomplete or names the wrong party (Indonesian), or None."""
    missing = [label for name, label in _REQUIRED[reply.kind] if not getattr(reply, name)]
    if missing:
        return f"tanggapan {reply.kind.value} wajib berisi: " + ", ".join(missing)
    if reply.kind is ReplyKind.PPK_REFUSED:
        if reply.authority not in (None, Authority.PPK):
            return "penolakan datang dari PPK; instansi (--authority) tidak diisi"
    elif reply.authority is not None and reply.authority not in ASN_AUTHORITIES_BY_NAME:
        return "instansi yang menanggapi penerusan adalah BKN atau KASN"
    return None


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
    investigator: str | None = None  # a Netra user name; default: the account running it
    supervisor: str | None = None  # a Netra user name (a pimpinan); default: the same
    times: StageTimes = Field(default_factory=StageTimes)
