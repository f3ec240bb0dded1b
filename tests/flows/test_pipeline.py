"""The whole path under Prefect: letters issued once, emailed once, resumable after failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from adapters.db.cases import get_case
from adapters.docx import docx_text, sha256
from cli.local.mail_sink import MailSink
from flows.stages import notification_flow
from models.stages import Stage
from models.tables import OutboxStatus
from models.tables.case import CaseDeadline, StageEvent
from tests.flows.helpers import configure, counts, engine, letter_bytes, letters, outbox, run_sample

pytestmark = pytest.mark.prefect
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INDONESIAN_DATE = re.compile(
    r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|"
    r"September|Oktober|November|Desember) \d{4}"
)


async def test_ppu_case_goes_from_report_to_referral(netra_env: Path, sink: MailSink) -> None:
    assert await run_sample("report-ppu-camat") is Stage.REFERRED
    with Session(engine()) as session:
        case = get_case(session, "1")
        assert case.case_number == "001/LP/PW/Kab/64.09/X/2024"
        events = [e.event for e in session.exec(select(StageEvent).order_by(StageEvent.id))]  # type: ignore[arg-type]
        assert events == [
            "CaseReceived",
            "CaseRegistered",
            "ClarificationScheduled",
            "ClarificationRecorded",
            "RecommendationDrafted",
            "RecommendationApproved",
            "CaseReferred",
        ]
        deadlines = {d.rule: d for d in session.exec(select(CaseDeadline))}
    assert deadlines["kajian_awal"].status == "met" and deadlines["decision"].status == "met"
    assert deadlines["ppk_followup"].status == "open"
    kinds = sorted((x.kind, x.recipient_key) for x in letters())
    assert ("surat_penerusan", "otoritas-bkn") in kinds
    assert ("kajian_dugaan_pelanggaran_disamarkan", "lampiran-penerusan") in kinds
    assert ("undangan_klarifikasi", "saksi-0") in kinds
    # every letter has the parts of an official letter and is stored as issued
    for letter in letters():
        data = letter_bytes(netra_env, letter)
        assert sha256(data) == letter.sha256
        body = docx_text(data)
        for part in (
            "BADAN PENGAWAS PEMILIHAN UMUM",
            "Nomor",
            letter.number,
            "Sifat",
            "Lampiran",
            "Hal",
            "Yth.",
            "Contoh Nama Ketua",
        ):
            assert part in body, (letter.kind, part)
        assert INDONESIAN_DATE.search(body), letter.kind
    # each email carries its letter; recipients as the law wants them
    by_recipient: dict[str, list[str]] = {}
    for message in sink.messages:
        attachments = list(message.iter_attachments())
        assert [a.get_content_type() for a in attachments] == [DOCX]
        by_recipient.setdefault(str(message["To"]), []).append(str(message["Subject"]))
    recipients = " ".join(by_recipient)
    for address in (
        "netralitas@bkn.example.go.id",
        "bupati@example.go.id",
        "agus.salim@example.go.id",
        "rahmat.hidayat@example.org",
    ):
        assert address in recipients
    assert len(sink.messages) == len(outbox()) == 8
    assert all(m.status is OutboxStatus.SENT for m in outbox())


async def test_flow_runs_are_named_after_the_case_number(netra_env: Path, sink: MailSink) -> None:
    from prefect.client.orchestration import get_client

    await run_sample("report-ppu-camat")
    async with get_client() as client:
        names = {run.name for run in await client.read_flow_runs(limit=200)}
    number = "001/LP/PW/Kab/64.09/X/2024"
    assert {f"{number} · rekomendasi", f"{number} · persetujuan", f"{number} · notifikasi"} <= names


async def test_running_again_repeats_no_side_effect(netra_env: Path, sink: MailSink) -> None:
    await run_sample("report-ppu-camat")
    before = counts()
    numbers = [x.number for x in letters()]
    hashes = [x.sha256 for x in letters()]
    mails = len(sink.messages)
    assert await run_sample("report-ppu-camat") is Stage.REFERRED
    assert counts() == before
    assert [x.number for x in letters()] == numbers
    assert [x.sha256 for x in letters()] == hashes
    assert len(sink.messages) == mails


async def test_letter_numbers_are_gapless_per_office_and_year(netra_env: Path) -> None:
    await run_sample("report-ppu-camat")
    serials = sorted(int(x.number.split("/")[0]) for x in letters())
    assert serials == list(range(1, len(serials) + 1))
    assert len({x.number for x in letters()}) == len(letters())


async def test_smtp_down_waits_in_notification_then_sends_once(
    netra_env: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = sink.port
    sink.stop()
    configure(mail_max_attempts=2)
    assert await run_sample("report-ppu-camat") is Stage.APPROVED
    assert letters(), "letters are issued even while mail is down"
    assert {m.status for m in outbox()} == {OutboxStatus.PENDING}
    with MailSink(netra_env.parent / "later", port=port) as back:
        assert (await notification_flow("1")).stage is Stage.REFERRED
        assert (await notification_flow("1")).stage is Stage.REFERRED
        recipients = [str(m["To"]) for m in back.messages]
    assert len(recipients) == len(outbox()) == 8
    keys = [m.key for m in outbox()]
    assert len(set(keys)) == len(keys)
    assert all(m.status is OutboxStatus.SENT for m in outbox())


async def test_a_late_report_is_not_registered_and_the_reporter_is_told(
    netra_env: Path, sink: MailSink
) -> None:
    assert await run_sample("report-pemilu-late-guru") is Stage.NOT_REGISTERED
    kinds = sorted(x.kind for x in letters())
    assert kinds == ["kajian_awal", "pemberitahuan_status", "tanda_terima"]
    assert not [x for x in letters() if x.outbound]
    notice = next(m for m in sink.messages if "Status" in str(m["Subject"]))
    assert "bambang.s@example.org" in str(notice["To"])
    with Session(engine()) as session:
        window = session.exec(
            select(CaseDeadline).where(CaseDeadline.rule == "report_window")
        ).one()
    assert window.status == "missed"


async def test_non_asn_staff_referral_goes_to_their_agency_head(
    netra_env: Path, sink: MailSink
) -> None:
    assert await run_sample("report-pilkada-ppnpn-honorer") is Stage.REFERRED
    referral = next(x for x in letters() if x.kind == "surat_penerusan")
    assert referral.recipient_name == "Kepala Dinas Lingkungan Hidup Kota Balikpapan"
    assert "Sanksi sesuai perjanjian kerja" in docx_text(letter_bytes(netra_env, referral))
    assert not [m for m in sink.messages if "bkn" in str(m["To"]).lower()]
