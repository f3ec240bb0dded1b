"""The letters and emails as their readers get them: the right law for the election, the right
words for a non-ASN, the reporter's result with its case number, an invitation email that says
when and where, PDF to outsiders (and .docx, never nothing, without LibreOffice)."""

from __future__ import annotations

import pytest

import services.desk as desk
from adapters.docx import sha256
from adapters.pdf import pdf_pages
from cli.local.mail_sink import MailSink
from models.enums import Employment
from models.inputs import HearingOutcome
from models.letters.lint import lint_pages, lint_text
from models.stages import Stage
from services.deps import Deps
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    letter_text,
    letters,
    outbox,
    plan_of,
    report_of,
    run_plan,
    run_sample,
    with_settings,
)

HONORER = "report-pilkada-ppnpn-honorer"
PEMILU = "report-pangkalpinang-lurah"


def _text_of(deps: Deps, kind: str, key_part: str = "") -> str:
    letter = next(x for x in letters(deps) if x.kind == kind and key_part in x.recipient_key)
    return letter_text(deps, letter)


@ON_SQLITE
async def test_each_election_cites_its_own_law(deps: Deps, sink: MailSink) -> None:
    assert (await run_sample(deps, PPU)).stage is Stage.REFERRED  # Pilkada 2024
    referral = _text_of(deps, "surat_penerusan")
    assert "Pasal 30 huruf e Undang-Undang Nomor 1 Tahun 2015" in referral
    assert "Pasal 455" not in referral and "Nomor 7 Tahun 2017" not in referral
    invitation = _text_of(deps, "undangan_klarifikasi", "terlapor")
    assert "Nomor 9 Tahun 2024" in invitation and "Nomor 7 Tahun 2017" not in invitation


@ON_SQLITE
async def test_a_pemilu_referral_cites_pasal_455(deps: Deps, sink: MailSink) -> None:
    assert (await run_sample(deps, PEMILU)).stage is Stage.REFERRED
    referral = _text_of(deps, "surat_penerusan")
    assert "Pasal 455 ayat (1) huruf c Undang-Undang Nomor 7 Tahun 2017" in referral
    assert "Nomor 1 Tahun 2015" not in referral


@ON_SQLITE
async def test_a_contract_worker_is_referred_in_his_own_terms(deps: Deps, sink: MailSink) -> None:
    assert (await run_sample(deps, HONORER)).stage is Stage.REFERRED
    head = "Kepala Dinas Lingkungan Hidup Kota Balikpapan"
    referral = _text_of(deps, "surat_penerusan")
    assert f"Yth. {head}" in referral
    tembusan = referral.split("Tembusan:")[1]
    assert head not in tembusan, "the addressee is never a copy of their own letter"
    assert "pelanggaran ketentuan netralitas" in referral
    assert f"kami meneruskan pelanggaran dimaksud kepada {head}" in referral
    assert "PP 94/2021" not in referral and "SE MenPANRB Nomor 1 Tahun 2023" in referral
    notice = _text_of(deps, "pemberitahuan_terlapor")
    assert "Aparatur Sipil Negara" not in notice and "PP 94/2021" not in notice
    assert f"kewenangan {head}." in notice and "tembusan kepada" not in notice
    invitation = _text_of(deps, "undangan_klarifikasi", "terlapor")
    assert "penanganan dugaan pelanggaran ketentuan netralitas dengan" in invitation


@ON_SQLITE
async def test_the_reporter_learns_the_result_under_the_case_number(
    deps: Deps, sink: MailSink
) -> None:
    assert (await run_sample(deps, PPU)).stage is Stage.REFERRED
    result = _text_of(deps, "pemberitahuan_status", "hasil")
    assert "teregistrasi dengan Nomor 001/LP/PW/Kab/64.09/X/2024 telah selesai" in result
    assert "untuk dijatuhi sanksi." in result and lint_text(result) == []
    assert "Yth. Sdr. Rahmat Hidayat" in result


@ON_SQLITE
async def test_the_invitation_email_says_when_where_and_what_to_bring(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    row = next(m for m in outbox(deps) if "undangan_klarifikasi/terlapor" in m.key)
    assert row.subject == "Undangan Klarifikasi — Perkara 001/LP/PW/Kab/64.09/X/2024"
    for part in (
        "Yth. Sdr. Drs. Agus Salim, M.Si.,",
        "Hari, tanggal : Rabu, 16 Oktober 2024",
        "Pukul : 10.00 WITA",
        "Tempat : Kantor Bawaslu Kabupaten Penajam Paser Utara",
        "Membawa : Kartu identitas (KTP)",
        "Telepon (0542) 7210000",  # the office's own contact, since no one reads replies
    ):
        assert part in row.body_text, part
    letter = next(x for x in letters(deps) if x.id == row.letter_id)
    assert letter.number == "004/PP.01.02/K.KI-09/10/2024"
    assert [a["name"] for a in row.attachments] == [
        "004-PP.01.02-K.KI-09-10-2024-undangan-klarifikasi.docx"
    ]


@ON_SQLITE
async def test_outsiders_receive_pdf_letters_with_the_signer_on_the_closing_page(
    deps: Deps, sink: MailSink, libreoffice: str
) -> None:
    with_pdf = with_settings(deps, pdf="auto")
    assert (await run_sample(with_pdf, PPU)).stage is Stage.REFERRED
    for letter in letters(deps):
        docx = deps.letters_dir / letter.path
        pdf = docx.with_suffix(".pdf").read_bytes()
        assert letter.pdf_sha256 == sha256(pdf) and letter.sha256 == sha256(docx.read_bytes())
        signer = deps.rulebook.offices["bawaslu-kab-penajam-paser-utara"].signer.name
        assert lint_pages(pdf_pages(pdf), signer) == [], letter.path
    assert sink.messages
    for message in sink.messages:
        attachments = list(message.iter_attachments())
        assert attachments and {a.get_content_type() for a in attachments} == {"application/pdf"}
        assert all((a.get_filename() or "").endswith(".pdf") for a in attachments)


@ON_SQLITE
async def test_without_libreoffice_the_letter_is_issued_as_docx(
    deps: Deps, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk, "pdf_converter", lambda *_: None)  # as on a machine without it
    with_pdf = with_settings(deps, pdf="auto")
    assert (await run_sample(with_pdf, PPU, until=Stage.CLARIFICATION)).stage is (
        Stage.CLARIFICATION
    )
    assert letters(deps) and all(x.pdf_sha256 is None for x in letters(deps))
    assert not list(deps.letters_dir.rglob("*.pdf"))
    names = [a["name"] for m in outbox(deps) for a in m.attachments]
    assert names and all(n.endswith(".docx") for n in names)


@ON_SQLITE
async def test_two_referrals_each_carry_only_their_own_people(deps: Deps, sink: MailSink) -> None:
    # A camat (PNS: to BKN) and a contract worker of the same case (to his own agency head):
    # each referral's lampiran names only the people that referral refers.
    report = report_of(PPU)
    worker = report.reported[0].model_copy(
        update={
            "name": "Andi Saputra",
            "employment": Employment.PPNPN,
            "nip": None,
            "position": "Tenaga harian lepas",
            "agency": "Kantor Kecamatan Waru",
            "email": "andi.saputra@example.org",
            "ppk": report.reported[0].ppk.model_copy(  # type: ignore[union-attr]
                update={"title": "Camat Waru", "email": "camat.waru@example.go.id"}
            ),
        }
    )
    report = report.model_copy(update={"reported": [*report.reported, worker]})
    plan = plan_of(PPU)
    heard = HearingOutcome(party="terlapor-1", attended=True, statement="Mengakui membantu.")
    plan = plan.model_copy(update={"clarification_outcomes": [*plan.clarification_outcomes, heard]})
    assert (await run_plan(deps, report, plan)).stage is Stage.REFERRED
    referrals = {x.recipient_key: x for x in letters(deps) if x.kind == "surat_penerusan"}
    assert set(referrals) == {"otoritas-bkn", "ppk-terlapor-1"}
    to_bkn = _text_of(deps, "kajian_dugaan_pelanggaran_disamarkan", "otoritas-bkn")
    to_head = _text_of(deps, "kajian_dugaan_pelanggaran_disamarkan", "ppk-terlapor-1")
    assert "Agus Salim" in to_bkn and "Andi Saputra" not in to_bkn.split("C.\t")[1]
    assert "Andi Saputra" in to_head and "Agus Salim" not in to_head.split("C.\t")[1]
    assert f"Nomor\t: {referrals['ppk-terlapor-1'].number}" in to_head


@ON_SQLITE
async def test_the_berita_acara_records_each_question_and_answer(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.UNDER_REVIEW)
    reported = _text_of(deps, "berita_acara_klarifikasi", "terlapor")
    asked = "1.\tPertanyaan: Apakah Saudara hadir pada deklarasi pasangan calon"
    assert asked in reported
    assert "Jawaban: Ya, saya hadir dan naik ke panggung atas undangan panitia." in reported
    # the person's own statement closes the record, after the examiners' questions
    assert "3.\tPertanyaan: Apakah ada keterangan lain yang ingin Saudara sampaikan?" in reported
    assert "Yang memberikan keterangan," in reported and "Contoh Nama Anggota" in reported
    witness = _text_of(deps, "berita_acara_klarifikasi", "saksi")
    assert "1.\tPertanyaan: Apa keterangan Saudara mengenai peristiwa tersebut?" in witness
