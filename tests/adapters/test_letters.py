"""Every letter template rendered with sample data and reopened with python-docx.

The .docx files in templates/letters/ are the source an office edits in a word processor. Word
or LibreOffice may split a `{{ tag }}` across runs when saving, so each template is proven by
rendering it as shipped and again after a LibreOffice round trip (tests/adapters/test_pdf.py).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date, time
from pathlib import Path
from typing import Any, get_args

import pytest
from docx import Document
from pydantic import BaseModel, ValidationError

from adapters.docx import (
    LOGOS_DIR,
    TEMPLATES_DIR,
    LetterRenderError,
    docx_text,
    render_letter,
    sha256,
    template_version,
)
from models.indonesian import hari, jam, jumlah, tanggal
from models.letters.contexts import (
    ClarificationInvitation,
    ClarificationRecord,
    CompletionRequest,
    DecisionReview,
    DelegationLetter,
    DismissalNotice,
    ForwardingLetter,
    NoticeStatus,
    PpkReminder,
    PreliminaryReview,
    ReceiptAcknowledgement,
    RedactedDecisionReview,
    RedactedReport,
    Referral,
    ReferralNotice,
    ReporterInvitation,
    SiasnBlockRequest,
    StatusNotice,
)
from models.letters.head import (
    ActRef,
    CheckRow,
    LetterBody,
    LetterHead,
    Officer,
    Person,
    PersonFinding,
    QuestionAnswer,
    head_from_office,
)
from models.letters.kinds import (
    ATTACHMENT_KINDS,
    INTERNAL_KINDS,
    LETTER_KINDS,
    LETTER_MODELS,
    OUTBOUND_KINDS,
    RECORD_KINDS,
    REPORTER_KINDS,
    TEMPLATE_NAMES,
)
from models.letters.lint import lint_text
from models.rules.confidentiality import REDACTED, ReporterIdentity
from models.rules.office import Office, OfficeLevel, Signer

OFFICE = Office(
    key="bawaslu-kab-penajam-paser-utara",
    name="Badan Pengawas Pemilihan Umum Kabupaten Penajam Paser Utara",
    short_name="Bawaslu Kabupaten Penajam Paser Utara",
    level=OfficeLevel.KAB,
    region_code="64.09",
    region_name="Kabupaten Penajam Paser Utara",
    timezone="Asia/Makassar",
    city="Penajam",
    address="Jl. Provinsi Km 9, Nipah-Nipah, Penajam, Kalimantan Timur",
    phone="(0542) 7210000",
    email="bawaslu.ppu@example.go.id",
    website="ppu.bawaslu.go.id",
    signer=Signer(
        title="Ketua Bawaslu Kabupaten Penajam Paser Utara",
        name="Dewi Lestari, S.H.",
        nip="198609262015052001",
    ),
    officers=(Signer(title="Anggota Bawaslu Kabupaten Penajam Paser Utara", name="Siti Aminah"),),
    unit_code="K.KI-09",
    personnel_agency="BKPSDM Kabupaten Penajam Paser Utara",
)
LETTER_DATE = date(2024, 11, 27)
NUMBER = "012/PM.00.02/K.KI-09/11/2024"
CASE = "006/REG/LP/PW/Kab/64.09/X/2024"
REPORTER = "Rahmat Hidayat"
TEMBUSAN = ("Ketua Bawaslu Provinsi Kalimantan Timur", "Ketua Bawaslu Republik Indonesia")
ASN = Person(
    name="Budi Santoso, S.Sos.",
    nip="198001012005011003",
    position="Camat Waru",
    agency="Pemerintah Kabupaten Penajam Paser Utara",
)
ACT = ActRef(
    code="PP94-5n-1",
    description="ikut kampanye pasangan calon",
    legal_basis="PP Nomor 94 Tahun 2021 Pasal 5 huruf n angka 1",
)
FINDING = PersonFinding(
    person=ASN,
    acts=(ACT,),
    authority="Badan Kepegawaian Negara",
    regime="Hukuman disiplin (PP Nomor 94 Tahun 2021)",
    band="Hukuman disiplin tingkat sedang",
    sanctions=("Pemotongan tunjangan kinerja 25% selama 6 bulan",),
    basis=("PP Nomor 94 Tahun 2021 Pasal 13 huruf g",),
    confirmed=False,
    note="Rujukan SKB 2022 Lampiran II Huruf B belum terkonfirmasi.",
)
INCIDENT = {
    "incident_summary": "Camat hadir dan berorasi pada kampanye pasangan calon",
    "incident_place": "Lapangan Nipah-Nipah, Penajam",
}


def make_head(**changes: Any) -> LetterHead:
    values: dict[str, Any] = {
        **head_from_office(OFFICE),
        "date_text": tanggal(LETTER_DATE),
        "number": NUMBER,
        "hal": "Surat Contoh",
        "addressee": "Kepala Badan Kepegawaian Negara",
        "addressee_place": "Jakarta",
        "tembusan": TEMBUSAN,
    }
    return LetterHead(**(values | changes))


def sample(kind: str) -> tuple[LetterBody, list[str]]:
    """A body for `kind` and values its rendered text must contain."""
    when = {"incident_date_text": tanggal(date(2024, 10, 10))}
    match kind:
        case "tanda_terima":
            return ReceiptAcknowledgement(
                reporter_name=REPORTER,
                report_ref="012/PL/PW/Kab/64.09/X/2024",
                received_text="Senin, 14 Oktober 2024 pukul 10.15 WITA",
                **INCIDENT,
                **when,
                evidence=("Foto kegiatan kampanye", "Video orasi"),
                review_period_text=jumlah(2, "hari"),
            ), [REPORTER, "Video orasi", "2 (dua) hari"]
        case "kajian_awal":
            checks = (CheckRow(item="Laporan disampaikan tepat waktu", result="Terpenuhi"),)
            return PreliminaryReview(
                report_ref="012/PL",
                report_kind_label="Laporan",
                received_text="14 Okt",
                reporter_name=REPORTER,
                reporter_address="Jl. Mawar 1",
                reported=(ASN,),
                **INCIDENT,
                **when,
                known_date_text=tanggal(date(2024, 10, 11)),
                formal_checks=checks,
                material_checks=(CheckRow(item="Bukti", result="Tidak terpenuhi", note="kabur"),),
                conclusion="Laporan memenuhi syarat.",
                outcome_label="Diregistrasi",
            ), [REPORTER, "Laporan disampaikan tepat waktu", "Tidak terpenuhi", "Camat Waru"]
        case "pemberitahuan_status":
            return StatusNotice(
                reporter_name=REPORTER,
                report_ref="012/PL",
                received_text="14 Okt",
                incident_summary=INCIDENT["incident_summary"],
                status=NoticeStatus.REGISTERED,
                case_number=CASE,
            ), [REPORTER, CASE, "telah diregistrasi"]
        case "undangan_klarifikasi" | "undangan_klarifikasi_pelapor":
            reporter = kind == "undangan_klarifikasi_pelapor"
            model = ReporterInvitation if reporter else ClarificationInvitation
            return model(
                person=Person(name=REPORTER) if reporter else ASN,
                capacity="Pelapor" if reporter else "Terlapor",
                case_number=CASE,
                violation_label="pelanggaran netralitas Aparatur Sipil Negara",
                **INCIDENT,
                **when,
                legal_basis="Peraturan Bawaslu Nomor 8 Tahun 2020",
                day_name=hari(LETTER_DATE),
                date_text=tanggal(LETTER_DATE),
                time_text=jam(time(9, 0), "WITA"),
                place="Kantor Bawaslu Kabupaten Penajam Paser Utara",
                bring=("Kartu Tanda Penduduk", "Surat keputusan pengangkatan"),
                contact="Andi (0812 0000 0000)",
            ), [
                REPORTER if reporter else ASN.name,
                "Kedudukan\t: Pelapor" if reporter else ASN.nip or "",
                "Rabu, 27 November 2024",
                "09.00 WITA",
                "Kartu Tanda",
            ]
        case "berita_acara_klarifikasi":
            return ClarificationRecord(
                case_number=CASE,
                day_name="Kamis",
                date_text="28 November 2024",
                time_text="10.00 WITA",
                place="Kantor Bawaslu",
                person=ASN,
                capacity="Terlapor",
                attended=True,
                oath_taken=True,
                examiners=(Officer(name="Siti Aminah", title="Anggota Bawaslu"),),
                statements=(QuestionAnswer(question="Apakah Saudara hadir?", answer="Ya."),),
            ), [ASN.name, "Siti Aminah", "Apakah Saudara hadir?", "mengucapkan sumpah/janji"]
        case "kajian_dugaan_pelanggaran" | "kajian_dugaan_pelanggaran_disamarkan":
            review = DecisionReview(
                case_number=CASE,
                report_kind_label="Laporan",
                **INCIDENT,
                **when,
                facts=("Terlapor berorasi di atas panggung.",),
                findings=(FINDING,),
                analysis=("Perbuatan memenuhi unsur PP 94/2021.",),
                conclusion="Terbukti.",
                reporter_label=REPORTER,
            )
            expected = [
                ACT.code,
                ACT.legal_basis,
                FINDING.band,
                "Pemotongan tunjangan",
                "Terlapor berorasi",
                "Terbukti.",
            ]
            if kind == "kajian_dugaan_pelanggaran":  # the internal copy alone says the caveat
                return review, [REPORTER, *expected, "Catatan: " + (FINDING.note or "")]
            return review.redacted(), [REDACTED, *expected]
        case "surat_penerusan":
            return Referral(
                authority_name="Badan Kepegawaian Negara",
                case_number=CASE,
                basis_text="Berdasarkan Pasal 30 huruf e Undang-Undang Nomor 1 Tahun 2015, ...",
                violation_label="pelanggaran netralitas Aparatur Sipil Negara",
                election_label="Pemilihan Bupati dan Wakil Bupati Penajam Paser Utara Tahun 2024",
                **INCIDENT,
                **when,
                kajian_number="015/PM.00.02/K.KI-09/11/2024",
                kajian_date_text="25 November 2024",
                findings=(FINDING,),
            ), [
                "1.\tBerdasarkan Pasal 30 huruf e Undang-Undang Nomor 1 Tahun 2015",
                ASN.nip or "",
                "Camat Waru",
                ACT.code,
                FINDING.band,
                "015/PM.00.02/K.KI-09/11/2024",
            ]
        case "pemberitahuan_terlapor":
            return ReferralNotice(
                person=ASN,
                case_number=CASE,
                **when,
                incident_summary=INCIDENT["incident_summary"],
                acts=(ACT,),
                authority_name="Badan Kepegawaian Negara",
                referral_number="020/PM/2024",
                referral_date_text="29 November 2024",
                ppk_title="Bupati Penajam Paser Utara",
                ppk_copied=True,
                violation_label="pelanggaran netralitas Aparatur Sipil Negara",
                sanction_authority="Pejabat Pembina Kepegawaian",
            ), [
                ASN.name,
                ACT.description,
                "020/PM/2024",
                "tembusan kepada Bupati Penajam Paser Utara selaku Pejabat Pembina Kepegawaian",
            ]
        case "pemberitahuan_penghentian":
            return DismissalNotice(
                person=ASN,
                case_number=CASE,
                violation_label="pelanggaran netralitas Aparatur Sipil Negara",
                incident_summary=INCIDENT["incident_summary"],
                **when,
            ), [ASN.name, CASE, "tidak terbukti dan penanganannya dihentikan"]
        case "permintaan_kelengkapan":
            return CompletionRequest(
                reporter_name=REPORTER,
                report_ref="NTR-00012",
                received_text="14 Oktober 2024",
                incident_summary=INCIDENT["incident_summary"],
                items=("tautan unggahan", "alamat pelapor"),
                period_text=jumlah(2, "hari"),
                due_text="16 Oktober 2024",
                basis="Perbawaslu 8/2020 jo. Perbawaslu 9/2024 (kelengkapan laporan)",
            ), [REPORTER, "1.\ttautan unggahan;", "2.\talamat pelapor.", "16 Oktober 2024"]
        case "pelimpahan_laporan":
            return DelegationLetter(
                report_ref="NTR-00012",
                report_kind_label="Laporan",
                received_text="14 Oktober 2024",
                reporter_name=REPORTER,
                reported=(ASN,),
                **INCIDENT,
                **when,
                office_name="Bawaslu Provinsi Kalimantan Timur",
                reason="terlapor pejabat provinsi",
            ), [REPORTER, ASN.name, "kewenangan Bawaslu Provinsi Kalimantan Timur"]
        case "penerusan_laporan":
            return ForwardingLetter(
                report_ref="NTR-00012",
                report_kind_label="Laporan",
                received_text="14 Oktober 2024",
                incident_summary=INCIDENT["incident_summary"],
                office_name=OFFICE.short_name,
                institution="Bupati Penajam Paser Utara",
                reason="kepala desa bukan ASN",
            ), ["melainkan kewenangan Bupati Penajam Paser Utara", "kepala desa bukan ASN"]
        case "laporan_disamarkan":
            return RedactedReport(
                report_ref="NTR-00012",
                report_kind_label="Laporan",
                received_text="14 Oktober 2024",
                reported=(ASN,),
                **INCIDENT,
                **when,
                known_date_text="11 Oktober 2024",
                account="Terlapor berorasi di atas panggung kampanye.",
                evidence=("Foto kegiatan",),
            ), [ASN.name, REDACTED, "berorasi di atas panggung", "1.\tFoto kegiatan"]
        case "pengingat_ppk":
            return PpkReminder(
                persons=(ASN,),
                case_number=CASE,
                authority_name="BKN",
                referral_number="020/PM/2024",
                referral_date_text="29 November 2024",
                period_text=jumlah(14, "hari"),
                due_date_text="13 Desember 2024",
                reply_period_text=jumlah(7, "hari"),
            ), [ASN.name, "14 (empat belas) hari", "13 Desember 2024", "7 (tujuh) hari"]
        case "eskalasi_bkn":
            return SiasnBlockRequest(
                persons=(ASN, Person(name="Tanpa NIP")),
                case_number=CASE,
                ppk_title="Bupati Penajam Paser Utara",
                referral_number="020/PM/2024",
                referral_date_text="29 November 2024",
                due_date_text="20 Desember 2024",
                reminder_number="031/PM/2024",
                reminder_date_text="16 Desember 2024",
            ), [ASN.name, ASN.nip or "", "Tanpa NIP", "031/PM/2024", "Nomor 1 Tahun 2023"]
    raise AssertionError(kind)


def render(kind: str, body: LetterBody, head: LetterHead | None = None) -> str:
    assert body.kind == kind
    return docx_text(render_letter(head or make_head(), body))


def test_every_kind_has_its_template_and_one_layout() -> None:
    files = {p.stem for p in TEMPLATES_DIR.glob("*.docx")}
    assert files == set(TEMPLATE_NAMES) == set(LETTER_MODELS)
    assert len(TEMPLATE_NAMES) == 17
    assert set(LETTER_MODELS) == LETTER_KINDS | RECORD_KINDS | ATTACHMENT_KINDS
    assert not LETTER_KINDS & RECORD_KINDS and not (LETTER_KINDS | RECORD_KINDS) & ATTACHMENT_KINDS


def test_kinds_are_classified_once() -> None:
    assert set(LETTER_MODELS) == OUTBOUND_KINDS | INTERNAL_KINDS | REPORTER_KINDS
    assert not OUTBOUND_KINDS & INTERNAL_KINDS
    assert not (OUTBOUND_KINDS | INTERNAL_KINDS) & REPORTER_KINDS


KOP = [
    "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN PENAJAM PASER UTARA",
    OFFICE.address,
    "Telepon (0542) 7210000 | Surel bawaslu.ppu@example.go.id | Laman ppu.bawaslu.go.id",
]
SIGNER = [
    "Ketua Bawaslu Kabupaten Penajam Paser Utara,",
    "Dewi Lestari, S.H.",
    "NIP 198609262015052001",
]


@pytest.mark.parametrize("kind", sorted(LETTER_KINDS))
def test_letter_has_every_part_of_a_naskah_dinas(kind: str) -> None:
    context, expected = sample(kind)
    text = render(kind, context)
    for part in [
        *KOP,
        "Penajam, 27 November 2024",
        "Nomor\t: " + NUMBER,
        "Sifat\t: Biasa",
        "Lampiran\t: -",
        "Hal\t: Surat Contoh",
        "Yth. Kepala Badan Kepegawaian Negara",
        "Jakarta",
        "Dengan hormat",
        *SIGNER,
        "Tembusan:",
        "1. " + TEMBUSAN[0],
        "2. " + TEMBUSAN[1],
        *expected,
    ]:
        assert part in text, f"{kind}: {part!r} missing"
    assert lint_text(text) == [], kind


@pytest.mark.parametrize("kind", sorted(RECORD_KINDS))
def test_a_record_is_titled_numbered_and_signed_by_its_makers(kind: str) -> None:
    # A berita acara or a kajian is not a letter from the chair to himself: no addressee, no
    # Hal, no tembusan; the officers who made it sign, the chair approves ("Mengetahui").
    context, expected = sample(kind)
    text = render(kind, context)
    title = {"kajian_awal": "KAJIAN AWAL", "berita_acara_klarifikasi": "BERITA ACARA KLARIFIKASI"}
    assert title.get(kind, "KAJIAN DUGAAN PELANGGARAN") in text
    for part in [*KOP, "Nomor: " + NUMBER, "Siti Aminah", "Mengetahui,", *SIGNER, *expected]:
        assert part in text, f"{kind}: {part!r} missing"
    for absent in ("Yth.", "Hal\t:", "Tembusan", "Dengan hormat"):
        assert absent not in text, f"{kind}: {absent!r} in a record"
    assert lint_text(text) == [], kind


def test_the_redacted_kajian_is_an_attachment_of_its_letter() -> None:
    context, expected = sample("kajian_dugaan_pelanggaran_disamarkan")
    text = render(context.kind, context)
    for part in [
        "Lampiran Surat Bawaslu Kabupaten Penajam Paser Utara",
        "Nomor\t: " + NUMBER,
        "Tanggal\t: 27 November 2024",
        "KAJIAN DUGAAN PELANGGARAN",
        *SIGNER,
        *expected,
    ]:
        assert part in text, part
    for absent in ("Yth.", "Tembusan", "Catatan:", FINDING.note or "-"):
        assert absent not in text, absent
    assert lint_text(text) == []


@pytest.mark.parametrize("kind", sorted(LETTER_MODELS))
def test_no_nip_line_and_no_tembusan_when_absent(kind: str) -> None:
    head = make_head(signer_nip=None, tembusan=(), sifat="Segera", lampiran="1 (satu) berkas")
    text = render(kind, sample(kind)[0], head)
    assert "Dewi Lestari, S.H." in text
    assert "NIP 198609262015052001" not in text and "Tembusan" not in text
    if kind in LETTER_KINDS:
        assert "Sifat\t: Segera" in text and "Lampiran\t: 1 (satu) berkas" in text


def test_values_are_escaped_not_lost() -> None:
    person = ASN.model_copy(update={"name": "A & B <C>", "agency": 'Dinas "X" & Y'})
    context, _ = sample("undangan_klarifikasi")
    assert isinstance(context, ClarificationInvitation)
    context = context.model_copy(update={"person": person})
    text = render("undangan_klarifikasi", context, make_head(addressee="A & B <C>"))
    assert "Nama\t: A & B <C>" in text
    assert "Nama\t: A & B <C>" in text and "Yth. A & B <C>" in text
    assert 'Dinas "X" & Y' in text


def test_multiline_value_becomes_line_breaks() -> None:
    context, _ = sample("kajian_dugaan_pelanggaran")
    assert isinstance(context, DecisionReview)
    text = render(context.kind, context.model_copy(update={"conclusion": "Satu.\nDua."}))
    assert "Satu.\nDua." in text


def test_redacted_kajian_never_names_the_reporter() -> None:
    internal, _ = sample("kajian_dugaan_pelanggaran")
    redacted, _ = sample("kajian_dugaan_pelanggaran_disamarkan")
    assert REPORTER in render(internal.kind, internal)
    data = docx_text(render_letter(make_head(), redacted))
    assert f"Pelapor\t: {REDACTED}" in data
    assert ReporterIdentity(name=REPORTER).mentions(data) == []
    assert ReporterIdentity(name="BUDI  santoso").mentions(data) == ["nama (budi santoso)"]
    internal_text = render(internal.kind, internal)
    assert ReporterIdentity(name="rahmat hidayat").mentions(internal_text) == [
        "nama (rahmat hidayat)"
    ]


def test_only_a_letter_body_is_rendered() -> None:
    # The body chooses the template (its kind), so the internal kajian can never be rendered as
    # the redacted copy; what is not a letter body is refused.
    internal, _ = sample("kajian_dugaan_pelanggaran")
    assert internal.kind != RedactedDecisionReview.kind
    with pytest.raises(LetterRenderError, match="not a letter body"):
        render_letter(make_head(), ASN)  # type: ignore[arg-type]


def test_missing_field_raises() -> None:
    context, _ = sample("pengingat_ppk")
    data = {k: getattr(context, k) for k in type(context).model_fields if k != "due_date_text"}
    incomplete = PpkReminder.model_construct(**data)
    with pytest.raises(LetterRenderError, match="due_date_text"):
        render_letter(make_head(), incomplete)


def test_template_naming_an_unknown_field_raises(tmp_path: Path) -> None:
    shutil.copy(TEMPLATES_DIR / "tanda_terima.docx", tmp_path)
    doc = Document(str(tmp_path / "tanda_terima.docx"))
    doc.add_paragraph().add_run("Faksimile {{ head.fax }}")
    doc.save(str(tmp_path / "tanda_terima.docx"))
    with pytest.raises(LetterRenderError, match="fax"):
        render_letter(make_head(), sample("tanda_terima")[0], templates_dir=tmp_path)


@pytest.mark.parametrize(
    ("status", "extra", "says"),
    [
        (NoticeStatus.REGISTERED, {"case_number": CASE}, "telah diregistrasi dengan Nomor"),
        (NoticeStatus.NOT_REGISTERED, {"reason": "lewat 7 hari"}, "karena lewat 7 hari."),
        (NoticeStatus.FORWARDED, {"forwarded_to": "Sentra Gakkumdu"}, "kepada Sentra Gakkumdu"),
        (NoticeStatus.RESULT, {"case_number": CASE, "result_text": "terbukti"}, "terbukti."),
    ],
)
def test_status_notice_says_only_its_status(
    status: NoticeStatus, extra: dict[str, str], says: str
) -> None:
    context = StatusNotice(
        reporter_name=REPORTER,
        report_ref="012/PL",
        received_text="14 Okt",
        incident_summary="x",
        status=status,
        **extra,
    )
    text = render("pemberitahuan_status", context)
    assert says in text
    others = {
        "telah diregistrasi",
        "tidak dapat diregistrasi",
        "telah kami teruskan",
        "telah selesai ditangani",
    }
    assert sum(phrase in text for phrase in others) == 1


def test_status_notice_needs_the_text_of_its_status() -> None:
    with pytest.raises(ValidationError, match="reason"):
        StatusNotice(
            reporter_name=REPORTER,
            report_ref="1",
            received_text="x",
            incident_summary="x",
            status=NoticeStatus.NOT_REGISTERED,
        )


def test_clarification_record_of_an_absent_person() -> None:
    context, _ = sample("berita_acara_klarifikasi")
    assert isinstance(context, ClarificationRecord)
    absent = context.model_copy(
        update={"attended": False, "statements": (), "absence_note": "tanpa keterangan"}
    )
    text = render(absent.kind, absent)
    assert text.count("tidak hadir memenuhi undangan klarifikasi (tanpa keterangan).") == 1
    # no statement, no oath, and no signature slot for the person who did not come
    for absent_part in ("sumpah", "Pertanyaan", "Yang memberikan keterangan", "dibacakan"):
        assert absent_part not in text
    assert "dijadwalkan klarifikasi terhadap" in text
    present = render(context.kind, context)
    assert "Yang memberikan keterangan," in present and "telah dilakukan klarifikasi" in present


def _field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name of `model` and of the models nested in it."""
    seen = seen if seen is not None else set()
    names: set[str] = set()
    seen.add(model)
    for name, info in model.model_fields.items():
        names.add(name)
        for arg in [info.annotation, *get_args(info.annotation)]:
            for inner in [arg, *get_args(arg)]:
                if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
                    names |= _field_names(inner, seen)
    return names


@pytest.mark.parametrize("kind", sorted(OUTBOUND_KINDS))
def test_outbound_models_cannot_hold_the_reporter(kind: str) -> None:
    names = _field_names(LETTER_MODELS[kind])
    assert "name" in _field_names(ReferralNotice)  # the walk does reach nested models
    # The one exception: the name a reporter consented to disclose, empty unless filled from
    # their recorded consent (services/consent.py).
    holding = [n for n in names if re.search(r"reporter|pelapor|informan", n)]
    assert holding in ([], ["disclosed_reporter"])
    if holding:
        assert LETTER_MODELS[kind].model_fields["disclosed_reporter"].default is None


def test_same_context_gives_the_same_bytes() -> None:
    for kind in LETTER_MODELS:
        context, _ = sample(kind)
        first, second = render_letter(make_head(), context), render_letter(make_head(), context)
        assert docx_text(first) == docx_text(second)
        assert first == second and sha256(first) == sha256(second)
        # Zip entries carry no time of rendering: a later render gives the same file too.
        stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
        assert stamps == {(1980, 1, 1, 0, 0, 0)}


def test_template_version() -> None:
    version = template_version("surat_penerusan")
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert version == sha256((TEMPLATES_DIR / "surat_penerusan.docx").read_bytes())[:12]


def test_an_office_template_replaces_the_shipped_one_file_by_file(tmp_path: Path) -> None:
    # The office's folder (NETRA_TEMPLATES_DIR) holds only its edited tanda terima and its
    # emblem; every other kind falls back to the shipped template.
    shutil.copy(TEMPLATES_DIR / "tanda_terima.docx", tmp_path)
    doc = Document(str(tmp_path / "tanda_terima.docx"))
    doc.add_paragraph().add_run("Layanan pengaduan: (0542) 7219999")
    doc.save(str(tmp_path / "tanda_terima.docx"))
    receipt, _ = sample("tanda_terima")
    edited = docx_text(render_letter(make_head(), receipt, templates_dir=tmp_path))
    assert "Layanan pengaduan: (0542) 7219999" in edited
    invitation, _ = sample("undangan_klarifikasi")
    shipped = render_letter(make_head(), invitation, templates_dir=tmp_path)
    assert shipped == render_letter(make_head(), invitation)
    assert template_version("tanda_terima", templates_dir=tmp_path) != template_version(
        "tanda_terima"
    )
    logo = LOGOS_DIR / "netra-netral.png"
    (tmp_path / "lambang.png").write_bytes(logo.read_bytes())
    with_own = render_letter(make_head(logo="lambang.png"), invitation, templates_dir=tmp_path)
    images = [n for n in zipfile.ZipFile(io.BytesIO(with_own)).namelist() if "media" in n]
    assert images, "the office's emblem is in the kop"
    with pytest.raises(LetterRenderError, match="lambang kantor"):
        render_letter(make_head(logo="tidak-ada.png"), invitation)


def test_kop_contact_lists_only_what_the_office_has() -> None:
    bare = OFFICE.model_copy(update={"phone": None, "website": None})
    head = make_head(**head_from_office(bare))
    assert head.kop_contact == "Surel bawaslu.ppu@example.go.id"
    assert make_head().kop_contact == (
        "Telepon (0542) 7210000 | Surel bawaslu.ppu@example.go.id | Laman ppu.bawaslu.go.id"
    )


def test_sifat_is_a_closed_list() -> None:
    assert set(get_args(LetterHead.model_fields["sifat"].annotation)) == {
        "Biasa",
        "Penting",
        "Segera",
        "Rahasia",
    }
    with pytest.raises(ValidationError):
        make_head(sifat="Sangat Rahasia")


SPELLINGS = [
    ("R. Hidayat", "nama"),
    ("0812-5000-1111", "telepon"),
    ("rahmat.hidayat[at]example.org", "surel"),
    ("Jl Provinsi Km 3 Nipah Nipah", "alamat"),
]
WATCHED = ReporterIdentity(
    name="Rahmat Hidayat",
    phone="081250001111",
    email="rahmat.hidayat@example.org",
    address="Jl. Provinsi Km 3, Kelurahan Nipah-Nipah, Penajam",
)


def _with_text(model: BaseModel, text: str) -> BaseModel:
    """`model` with its first free-text field (searched depth-first) replaced by `text`."""
    for name, value in model:
        if isinstance(value, str) and name not in {"status", "capacity"}:
            return model.model_copy(update={name: text})
        if isinstance(value, BaseModel):
            return model.model_copy(update={name: _with_text(value, text)})
        if isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            return model.model_copy(update={name: (_with_text(value[0], text), *value[1:])})
    raise AssertionError(f"{type(model).__name__} has no text field")


@pytest.mark.parametrize("kind", sorted(OUTBOUND_KINDS))
@pytest.mark.parametrize(("written", "what"), SPELLINGS)
def test_every_outbound_kind_shows_a_spelling_of_the_reporter_to_the_guard(
    kind: str, written: str, what: str
) -> None:
    # Whatever field staff text reaches in an outbound letter, the guard reads it in the
    # rendered letter however the reporter was spelled.
    body = _with_text(sample(kind)[0], f"menurut {written} yang melihat")
    assert isinstance(body, LetterBody)
    text = docx_text(render_letter(make_head(), body))
    assert what in [found.split(" ")[0] for found in WATCHED.mentions(text)], kind


def test_templates_are_compiled_once_and_render_the_same_letter() -> None:
    from adapters.docx import CompilingOnce, fresh_env

    env = CompilingOnce()
    body, _ = sample("surat_penerusan")
    first = render_letter(make_head(), body, jinja_env=env)
    compiled = dict(env._compiled)
    again = render_letter(make_head(), body, jinja_env=env)
    assert compiled and env._compiled == compiled  # nothing compiled the second time
    assert first == again == render_letter(make_head(), body, jinja_env=fresh_env())
    other, _ = sample("tanda_terima")
    render_letter(make_head(), other, jinja_env=env)
    assert len(env._compiled) > len(compiled)  # another template's source is compiled anew
