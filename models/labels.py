"""What people read instead of the program's own names: Indonesian labels for events, deadline
rules, day units, statuses, employment types and letter kinds (stages carry theirs in
`models.stages`). JSON output keeps the program's keys; screens and documents show these.

Imports only the closed vocabularies (`models.enums`, `models.stages`) and the wording helpers: the
command line's help and its reading commands load the labels without the database tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from models.enums import DeadlineStatus, Employment, OutboxStatus, ReplyKind, RuleId
from models.indonesian import jam, tanggal, zona_waktu
from models.rules.routing import AUTHORITY_NAMES
from models.stages import CaseEvent

if TYPE_CHECKING:
    from datetime import datetime

    from models.tables import AuthorityReply

EVENTS: dict[str, str] = {
    CaseEvent.RECEIVED: "Laporan diterima",
    CaseEvent.REGISTERED: "Diregistrasi",
    CaseEvent.NOT_REGISTERED: "Tidak diregistrasi",
    CaseEvent.FORWARDED: "Diteruskan ke instansi lain",
    CaseEvent.DELEGATED: "Dilimpahkan",
    CaseEvent.CLARIFICATION_SCHEDULED: "Undangan klarifikasi dikirim",
    CaseEvent.CLARIFICATION_RECORDED: "Klarifikasi dicatat",
    CaseEvent.RECOMMENDATION_DRAFTED: "Kajian dan rekomendasi disusun",
    CaseEvent.DISMISSED: "Dihentikan: bukan pelanggaran",
    CaseEvent.SENT_TO_GAKKUMDU: "Diteruskan ke Gakkumdu",
    CaseEvent.RECOMMENDATION_RETURNED: "Rekomendasi dikembalikan",
    CaseEvent.RECOMMENDATION_APPROVED: "Rekomendasi disetujui",
    CaseEvent.REFERRED: "Diteruskan; surat terkirim",
    CaseEvent.PPK_REMINDED: "PPK diingatkan",
    CaseEvent.PPK_DECISION_RECORDED: "Keputusan PPK dicatat",
    CaseEvent.DEADLINE_MISSED: "Tenggat terlewat",
    CaseEvent.DECISION_EXTENDED: "Batas waktu kajian diperpanjang",
    CaseEvent.DEADLINE_RECOMPUTED: "Tenggat dihitung ulang",
    CaseEvent.TEXT_CORRECTED: "Teks dikoreksi",
    CaseEvent.COMPLETION_REQUESTED: "Kelengkapan laporan diminta",
    CaseEvent.REPORT_COMPLETED: "Laporan dilengkapi",
    CaseEvent.REPORTER_CONSENTED: "Persetujuan pelapor atas pengungkapan identitas dicatat",
    CaseEvent.CONSENT_WITHDRAWN: "Persetujuan pelapor ditarik",
    CaseEvent.EVIDENCE_ADDED: "Bukti ditambahkan",
    CaseEvent.ESCALATED_TO_BKN: "Diusulkan ke BKN (blokir SIASN)",
    CaseEvent.LINKED: "Ditautkan dengan perkara terkait",
    CaseEvent.UNLINKED: "Tautan perkara dilepas",
    CaseEvent.REFERRAL_ACKNOWLEDGED: "Penerusan diterima instansi",
    CaseEvent.AUTHORITY_RECOMMENDED: "Rekomendasi instansi dicatat",
    CaseEvent.PPK_REFUSED: "PPK menolak menindaklanjuti",
}
RULES: dict[str, str] = {
    RuleId.REPORT_WINDOW: "Batas penyampaian laporan",
    RuleId.TEMUAN_WINDOW: "Batas penetapan temuan",
    RuleId.KAJIAN_AWAL: "Kajian awal",
    RuleId.COMPLETION: "Kelengkapan laporan oleh pelapor",
    RuleId.DECISION: "Kajian dan putusan",
    RuleId.DECISION_EXTENSION: "Perpanjangan kajian",
    RuleId.PPK_FOLLOWUP: "Tindak lanjut PPK",
    RuleId.BKN_VERIFICATION: "Verifikasi BKN",
    RuleId.BAWASLU_VALIDATION: "Validasi Bawaslu atas permintaan BKN",
    RuleId.PPK_REMINDER_REPLY: "Jawaban PPK atas surat pengingat",
    RuleId.PPK_FOLLOWUP_RECOMMENDATION: "Tindak lanjut PPK atas rekomendasi instansi",
}
UNITS: dict[str, str] = {"calendar": "hari kalender", "working": "hari kerja"}
DEADLINE_STATUSES: dict[str, str] = {
    DeadlineStatus.OPEN: "berjalan",
    DeadlineStatus.MET: "terpenuhi",
    DeadlineStatus.MISSED: "terlewat",
    DeadlineStatus.EXTENDED: "diperpanjang",
    DeadlineStatus.SUPERSEDED: "tidak berlaku lagi",
}
MAIL_STATUSES: dict[str, str] = {
    OutboxStatus.PENDING: "menunggu dikirim",
    OutboxStatus.SENDING: "sedang dikirim (perlu diperiksa)",
    OutboxStatus.SENT: "terkirim",
    OutboxStatus.FAILED: "ditolak server",
}
EMPLOYMENT: dict[str, str] = {
    Employment.PNS: "PNS",
    Employment.CPNS: "CPNS",
    Employment.PPPK: "PPPK",
    Employment.PPNPN: "Pegawai non-ASN (PPNPN/honorer)",
    Employment.KEPALA_DESA: "Kepala desa",
    Employment.TNI: "TNI",
    Employment.POLRI: "Polri",
    Employment.LAINNYA: "Lainnya",
}
REPORT_KINDS: dict[str, str] = {"laporan": "Laporan", "temuan": "Temuan"}
ELECTIONS: dict[str, str] = {"pemilu": "Pemilu", "pilkada": "Pilkada"}
LETTER_KINDS: dict[str, str] = {
    "tanda_terima": "Tanda terima laporan",
    "kajian_awal": "Kajian awal",
    "pemberitahuan_status": "Pemberitahuan status laporan",
    "permintaan_kelengkapan": "Permintaan kelengkapan laporan",
    "pelimpahan_laporan": "Pelimpahan kepada kantor Bawaslu lain",
    "penerusan_laporan": "Penerusan laporan kepada instansi lain",
    "laporan_disamarkan": "Lampiran ringkasan laporan (disamarkan)",
    "undangan_klarifikasi": "Undangan klarifikasi",
    "undangan_klarifikasi_pelapor": "Undangan klarifikasi kepada pelapor",
    "berita_acara_klarifikasi": "Berita acara klarifikasi",
    "kajian_dugaan_pelanggaran": "Kajian dugaan pelanggaran",
    "kajian_dugaan_pelanggaran_disamarkan": "Lampiran kajian (disamarkan)",
    "surat_penerusan": "Surat penerusan",
    "pemberitahuan_terlapor": "Pemberitahuan kepada terlapor",
    "pemberitahuan_penghentian": "Pemberitahuan penghentian kepada terlapor",
    "pengingat_ppk": "Pengingat kepada PPK",
    "eskalasi_bkn": "Permohonan blokir SIASN ke BKN",
}

REPLY_KINDS: dict[str, str] = {
    ReplyKind.ACKNOWLEDGED: "Penerusan diterima",
    ReplyKind.RECOMMENDATION: "Rekomendasi kepada PPK",
    ReplyKind.PPK_REFUSED: "Penolakan PPK",
}
REPLY_COLUMNS = ("Tanggapan", "Dari", "Tanggal", "Nomor", "Isi")


def reply_row(reply: AuthorityReply) -> tuple[str, str, str, str, str]:
    """One reply as screens show it (`REPLY_COLUMNS`): what, from whom, when, its number
    (SBT/SIAPNET or the recommendation's), and what it says."""
    return (
        label(REPLY_KINDS, reply.kind),
        AUTHORITY_NAMES[reply.authority],
        tanggal(reply.replied_on),
        reply.reference or reply.number or "-",
        reply.sanction or reply.reason or "-",
    )


def label(table: dict[str, str], key: str | None) -> str:
    """The label of `key`, or the key itself (never a blank) when the table lacks it."""
    if key is None:
        return "-"
    return table.get(key, key)


def waktu(at: datetime | None, timezone: str) -> str:
    """A moment in the office's zone: '16 Oktober 2024 10.00 WITA'."""
    if at is None:
        return "-"
    local = at.astimezone(ZoneInfo(timezone))
    return f"{tanggal(local.date())} {jam(local.time(), zona_waktu(timezone))}"
