"""The whole path under Prefect: the sample case from report to referral, with its runs named
after the case. What the stages do is the service tier's (tests/services)."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import Session, select

from adapters.db.cases import get_case
from adapters.docx import docx_text, sha256
from cli.local.mail_sink import MailSink
from config.settings import CONFIG_DIR
from models.letters.kinds import LETTER_KINDS
from models.stages import Stage
from models.tables import OutboxStatus
from models.tables.case import CaseDeadline, StageEvent
from tests.flows.helpers import (
    configure,
    decisions_for,
    engine,
    letter_bytes,
    letters,
    outbox,
    run_sample,
)

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
    assert ("kajian_dugaan_pelanggaran_disamarkan", "lampiran-otoritas-bkn") in kinds
    assert ("undangan_klarifikasi", "saksi-0") in kinds
    # every letter has the parts of its kind of document and is stored as issued
    for letter in letters():
        data = letter_bytes(netra_env, letter)
        assert sha256(data) == letter.sha256
        body = docx_text(data)
        number = letter.number.removeprefix("Lampiran ")  # an attachment carries its letter's
        parts = ["BADAN PENGAWAS PEMILIHAN UMUM", "Nomor", number, "Contoh Nama Ketua"]
        if letter.kind in LETTER_KINDS:
            parts += ["Sifat", "Lampiran", "Hal", "Yth."]
        for part in parts:
            assert part in body, (letter.kind, part)
        assert INDONESIAN_DATE.search(body), letter.kind
    # each email carries its letter; recipients as the law wants them
    by_recipient: dict[str, list[str]] = {}
    for message in sink.messages:
        attachments = list(message.iter_attachments())
        assert {a.get_content_type() for a in attachments} == {DOCX}
        by_recipient.setdefault(str(message["To"]), []).append(str(message["Subject"]))
    recipients = " ".join(by_recipient)
    for address in (
        "netralitas@bkn.example.go.id",
        "bupati@example.go.id",
        "agus.salim@example.go.id",
        "rahmat.hidayat@example.org",
    ):
        assert address in recipients
    assert len(sink.messages) == len(outbox()) == 8  # the referral travels with its kajian
    assert all(m.status is OutboxStatus.SENT for m in outbox())


async def test_flow_runs_are_named_after_the_case_number(netra_env: Path, sink: MailSink) -> None:
    from prefect.client.orchestration import get_client

    await run_sample("report-ppu-camat")
    async with get_client() as client:
        names = {run.name for run in await client.read_flow_runs(limit=200)}
    number = "001/LP/PW/Kab/64.09/X/2024"
    assert {f"{number} · rekomendasi", f"{number} · persetujuan", f"{number} · notifikasi"} <= names


async def test_the_extension_flow_extends_the_decision_deadline_once(
    netra_env: Path, sink: MailSink
) -> None:
    from flows.stages import extension_flow

    plan = decisions_for("report-ppu-camat").model_copy(
        update={"clarification_outcomes": [], "findings": None, "approval": None}
    )
    assert await run_sample("report-ppu-camat", plan) is Stage.CLARIFICATION
    now = datetime(2024, 10, 15, 12, tzinfo=timezone(timedelta(hours=8)))
    result = await extension_flow(
        "1", "keterangan tambahan dari camat diperlukan", "petugas", now=now
    )
    assert result.stage is Stage.CLARIFICATION
    with Session(engine()) as session:
        rules = {d.rule: d for d in session.exec(select(CaseDeadline))}
    assert rules["decision"].status == "extended"
    assert rules["decision_extension"].due_on == rules["decision"].due_on + timedelta(days=2)


async def test_the_recompute_flow_moves_deadlines_after_a_rule_changes(
    netra_env: Path, sink: MailSink, tmp_path: Path
) -> None:
    from flows.scheduled import recompute_flow

    assert await run_sample("report-ppu-camat") is Stage.REFERRED
    assert await recompute_flow(actor="petugas") == []  # nothing changed: nothing to move
    folder = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, folder)
    rules = folder / "deadlines.yaml"
    old = "default 14 calendar days\n      days: 14"
    rules.write_text(rules.read_text().replace(old, "default 14 calendar days\n      days: 10"))
    configure(config_dir=folder)
    [change] = await recompute_flow(apply=True, actor="petugas")
    assert (change.rule, (change.old_due - change.new_due).days) == ("ppk_followup", 4)
    with Session(engine()) as session:
        row = session.exec(select(CaseDeadline).where(CaseDeadline.rule == "ppk_followup")).one()
    assert row.due_on == change.new_due
