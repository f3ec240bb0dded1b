"""Evidence files, at intake and added later: stored once by content under
<var>/evidence/<aa>/<sha256>, checked against the limits before anything is recorded, listed
with their hash in the internal records and never sent out."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapters.db.migrate import upgrade
from cli.local.mail_sink import MailSink
from models.inputs import VerificationChoice, VerificationDecision
from models.outcomes import StageOutcome
from models.problems import ReportRejected
from models.report.model import EvidenceItem, Report
from models.stages import Stage
from models.tables import Evidence, StageEvent
from services.deps import Deps, with_evidence_inbox
from services.evidence import EvidenceRefused, add_evidence
from services.intake import intake_report
from tests.adapters.test_outbox import make_case
from tests.services.helpers import (
    PPU,
    at,
    counts,
    events,
    letter_text,
    letters,
    outbox,
    plan_of,
    report_of,
    run_plan,
    state,
    with_settings,
)
from tests.support.actors import staff

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
PDF = b"%PDF-1.7\n" + b"isi dokumen undangan deklarasi\n" * 10
NOW = datetime(2024, 10, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "kotak-bukti"
    (folder / "foto").mkdir(parents=True)
    (folder / "foto" / "unggahan.png").write_bytes(PNG)
    (folder / "undangan.pdf").write_bytes(PDF)
    return folder


@pytest.fixture
def ideps(deps: Deps, inbox: Path) -> Deps:
    """The services reading evidence files from `inbox` (as the command line does from the
    report's folder)."""
    return with_evidence_inbox(deps, inbox)


def with_files(report: Report, *items: tuple[str, str | None], **changes: Any) -> Report:
    evidence = [EvidenceItem(description=d, file=f) for d, f in items]
    return report.model_copy(update={"evidence": evidence, **changes})


def stored_files(deps: Deps) -> list[Path]:
    root = deps.settings.evidence_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def evidence_rows(deps: Deps) -> list[Evidence]:
    with Session(deps.engine) as session:
        query = select(Evidence).order_by(col(Evidence.case_id), col(Evidence.position))
        return list(session.exec(query).all())


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_files_named_by_reports_are_stored_once_by_content(ideps: Deps) -> None:
    first = with_files(
        report_of(PPU),
        ("Tangkapan layar unggahan", "foto/unggahan.png"),
        ("Keterangan lisan saksi", None),
    )
    # A second report (another incident) with the same screenshot under another name.
    (ideps.settings.evidence_inbox_dir / "salinan.png").write_bytes(PNG)
    second = with_files(
        report_of(PPU),
        ("Salinan tangkapan layar", "salinan.png"),
        incident=report_of(PPU).incident.model_copy(update={"place": "Kantor Camat Waru"}),
    )
    intake_report(ideps, first, actor=staff("petugas"), now=NOW)
    intake_report(ideps, second, actor=staff("petugas"), now=NOW)

    [screenshot, spoken, copy] = evidence_rows(ideps)
    assert screenshot.sha256 == copy.sha256 == sha(PNG)
    assert (screenshot.size, screenshot.media_type) == (len(PNG), "image/png")
    assert (screenshot.original_name, screenshot.file) == ("unggahan.png", "foto/unggahan.png")
    assert (screenshot.added_by, screenshot.added_at) == ("petugas", NOW)
    assert spoken.sha256 is None and spoken.size is None  # a description alone, as before
    stored = ideps.settings.evidence_dir / sha(PNG)[:2] / sha(PNG)
    assert stored_files(ideps) == [stored] and stored.read_bytes() == PNG


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("hilang.pdf", None, "bukti_tidak_ada"),
        ("../di-luar.pdf", PDF, "bukti_di_luar_folder"),
        ("program.exe", b"MZ\x90\x00", "bukti_jenis_ditolak"),
        ("bukan-pdf.pdf", b"MZ\x90\x00 bukan dokumen", "bukti_isi_tidak_sesuai"),
        ("kosong.txt", b"", "bukti_kosong"),
        ("besar.pdf", b"%PDF-1.7\n" + b"x" * 2_000_000, "bukti_terlalu_besar"),
    ],
)
def test_a_file_that_cannot_be_accepted_rejects_the_report_and_records_nothing(
    ideps: Deps, name: str, content: bytes | None, code: str
) -> None:
    deps = with_settings(ideps, evidence_max_mb=1)
    if content is not None:
        (deps.settings.evidence_inbox_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (deps.settings.evidence_inbox_dir / name).write_bytes(content)
    report = with_files(report_of(PPU), ("Foto", "foto/unggahan.png"), ("Berkas bermasalah", name))
    before = state(deps)
    with pytest.raises(ReportRejected) as rejected:
        intake_report(deps, report, actor=staff("petugas"), now=NOW)
    [problem] = rejected.value.problems
    assert (problem.code, problem.field) == (code, "evidence[1].file")
    assert Path(name).name in problem.message
    assert state(deps) == before and counts(deps)["cases"] == 0
    assert stored_files(deps) == []  # the good file was not stored either


def test_every_problem_of_a_report_is_listed_with_its_files(ideps: Deps) -> None:
    (ideps.settings.evidence_inbox_dir / "film.avi").write_bytes(b"RIFF....AVI ")
    report = with_files(report_of(PPU), ("Foto", "tidak-ada.png"), ("Video", "film.avi"))
    report = report.model_copy(update={"office": "kantor-tidak-dikenal"})
    with pytest.raises(ReportRejected) as rejected:
        intake_report(ideps, report, actor=staff("petugas"), now=NOW)
    codes = sorted(p.code for p in rejected.value.problems)
    assert codes == ["bukti_jenis_ditolak", "bukti_tidak_ada", "kantor_tidak_dikenal"]


def test_the_same_content_twice_in_one_report_is_refused_and_nothing_is_left(
    ideps: Deps,
) -> None:
    (ideps.settings.evidence_inbox_dir / "sama.png").write_bytes(PNG)
    report = with_files(report_of(PPU), ("Foto", "foto/unggahan.png"), ("Foto lagi", "sama.png"))
    with pytest.raises(ReportRejected, match="sama isinya dengan evidence"):
        intake_report(ideps, report, actor=staff("petugas"), now=NOW)
    assert counts(ideps)["cases"] == 0
    assert stored_files(ideps) == []  # stored, then taken back with the failed transaction


def test_a_report_recorded_before_is_recognised_without_its_files(ideps: Deps) -> None:
    report = with_files(report_of(PPU), ("Foto", "foto/unggahan.png"))
    intake_report(ideps, report, actor=staff("petugas"), now=NOW)
    (ideps.settings.evidence_inbox_dir / "foto" / "unggahan.png").unlink()
    again = intake_report(ideps, report, actor=staff("petugas"), now=NOW)
    assert not again.created and len(evidence_rows(ideps)) == 1


async def test_a_file_added_later_is_recorded_once_with_an_event(
    ideps: Deps, sink: MailSink
) -> None:
    await run_plan(ideps, report_of(PPU), plan_of(PPU), until=Stage.REGISTERED)
    before = events(ideps)
    when = at(report_of(PPU), 2)
    added = add_evidence(
        ideps,
        "1",
        "undangan.pdf",
        description="Undangan deklarasi",
        actor=staff("pemeriksa"),
        now=when,
    )
    assert (added.outcome, added.stage) == (StageOutcome.MOVED, Stage.REGISTERED)
    again = add_evidence(
        ideps,
        "1",
        "undangan.pdf",
        description="Undangan (lagi)",
        actor=staff("pemeriksa"),
        now=when,
    )
    assert again.outcome is StageOutcome.ALREADY_DONE
    assert events(ideps) == [*before, "EvidenceAdded"]
    rows = evidence_rows(ideps)
    assert [(e.position, e.description, e.sha256) for e in rows] == [
        (0, "Tangkapan layar unggahan Facebook terlapor tanggal 10 Oktober 2024", None),
        (1, "Video acara deklarasi berdurasi 2 menit 14 detik", None),
        (2, "Undangan deklarasi", sha(PDF)),
    ]
    assert (rows[2].added_by, rows[2].media_type) == ("pemeriksa", "application/pdf")
    with Session(ideps.engine) as session:
        event = session.exec(select(StageEvent).where(StageEvent.event == "EvidenceAdded")).one()
    assert event.from_stage is event.to_stage is Stage.REGISTERED
    assert sha(PDF)[:12] in event.reason and "Undangan deklarasi" in event.reason


@pytest.mark.parametrize(
    ("file", "description", "error", "message"),
    [
        ("hilang.pdf", "Undangan", ReportRejected, "tidak ditemukan"),
        ("/etc/hostname", "Undangan", ReportRejected, "relatif terhadap folder bukti"),
        ("undangan.pdf", "  ", EvidenceRefused, "keterangan bukti wajib diisi"),
    ],
)
async def test_evidence_that_cannot_be_added_changes_nothing(
    ideps: Deps,
    sink: MailSink,
    file: str,
    description: str,
    error: type[Exception],
    message: str,
) -> None:
    await run_plan(ideps, report_of(PPU), plan_of(PPU), until=Stage.REGISTERED)
    before = state(ideps)
    with pytest.raises(error, match=message):
        add_evidence(ideps, "1", file, description=description, actor=staff("p"), now=NOW)
    assert state(ideps) == before and len(evidence_rows(ideps)) == 2
    assert stored_files(ideps) == []


async def test_a_closed_case_takes_no_evidence(ideps: Deps, sink: MailSink) -> None:
    plan = plan_of(PPU)
    refused = VerificationDecision(
        decision=VerificationChoice.NOT_REGISTER, reason="Melewati batas waktu"
    )
    await run_plan(ideps, report_of(PPU), plan.model_copy(update={"verification": refused}))
    with pytest.raises(EvidenceRefused, match="perkara sudah berakhir"):
        add_evidence(ideps, "1", "undangan.pdf", description="Undangan", actor=staff("p"), now=NOW)
    assert stored_files(ideps) == [] and "EvidenceAdded" not in events(ideps)


async def test_internal_records_list_evidence_by_short_hash_and_nothing_sends_it(
    ideps: Deps, sink: MailSink
) -> None:
    report = with_files(
        report_of(PPU),
        ("Tangkapan layar unggahan", "foto/unggahan.png"),
        ("Keterangan lisan saksi", None),
    )
    await run_plan(ideps, report, plan_of(PPU))
    short = sha(PNG)[:12]
    texts = {(x.kind, x.recipient_key): letter_text(ideps, x) for x in letters(ideps)}
    for kind in ("kajian_awal", "kajian_dugaan_pelanggaran"):
        [internal] = [t for (k, _), t in texts.items() if k == kind]
        assert f"Tangkapan layar unggahan (SHA-256 {short})" in internal
        assert "Keterangan lisan saksi (tanpa berkas)" in internal
        assert sha(PNG) not in internal  # the short hash only
    others = [
        t for (k, _), t in texts.items() if k not in ("kajian_awal", "kajian_dugaan_pelanggaran")
    ]
    assert others and not any(short in t for t in others)
    attached = {a["path"] for m in outbox(ideps) for a in m.attachments}
    assert attached and not any("evidence" in p or sha(PNG) in p for p in attached)
    assert all(Path(p).suffix in {".docx", ".pdf"} for p in attached)


def test_upgrading_keeps_evidence_recorded_before_files_were_stored(engine: Engine) -> None:
    schema = MetaData()
    schema.reflect(engine)
    schema.drop_all(engine)
    upgrade(engine, "0004")
    case_id = make_case(engine, old_schema=True)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO stage_event (case_id, event, to_stage, at, actor, reason) "
                "VALUES (:case, 'CaseReceived', 'diterima', :now, 'penerima', '')"
            ),
            {"case": case_id, "now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO evidence (case_id, position, description, file) "
                "VALUES (:case, 0, 'Foto', 'foto.jpg')"
            ),
            {"case": case_id},
        )
    upgrade(engine)
    with Session(engine) as session:
        [row] = session.exec(select(Evidence)).all()
    assert (row.file, row.sha256, row.added_by) == ("foto.jpg", None, "penerima")
    assert row.added_at is not None
