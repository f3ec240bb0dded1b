"""The audit trail as the stages write it, and letters checked against their SHA-256: every case
event is a row of the chain, reads are recorded, and a letter file altered after issue is neither
sent nor given out: the email waits for a person, the trail and the log say why."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from adapters.db.audit import audit_rows
from adapters.db.engine import unit_of_work
from cli.local.mail_sink import MailSink
from cli.render import mail_action
from models.access import Actor, Role, memberships
from models.audit import LETTER_TAMPERED_NOTE, AuditAction
from models.outcomes import StageOutcome
from models.stages import Stage
from models.tables import AuditEntry, Letter, OutboxMessage, OutboxStatus, StageEvent
from services.audit import (
    LetterTampered,
    Who,
    export_case_trail,
    letter_at,
    read_case_file,
    read_letter,
    verify_trail,
)
from services.deps import Deps
from services.intake import intake_report
from services.notification import deliver_mail, mark_referred, retry_undelivered
from tests.services.helpers import ON_SQLITE, PPU, at, outbox, plan_of, report_of, run_sample
from tests.support.actors import staff

NOW = at(report_of(PPU), plan_of(PPU).times.notification)
PPU_OFFICE = "bawaslu-kab-penajam-paser-utara"
CLERK = Who("petugas-arsip", actor_id=12, origin="desk 10.0.0.7")


def trail(deps: Deps, case_id: int | None = None) -> list[AuditEntry]:
    with Session(deps.engine) as session:
        return audit_rows(session, case_id=case_id)


def stage_events(deps: Deps) -> list[StageEvent]:
    with Session(deps.engine) as session:
        return list(session.exec(select(StageEvent).order_by(col(StageEvent.id))).all())


async def test_every_stage_action_is_a_row_of_one_whole_chain(deps: Deps) -> None:
    await run_sample(deps, PPU)
    events = stage_events(deps)
    rows = trail(deps)
    assert len(events) >= 6
    assert [(r.action, r.case_id, r.actor, r.at) for r in rows] == [
        (e.event, e.case_id, e.actor, e.at) for e in events
    ]
    assert rows[-1].action == "CaseReferred"
    assert rows[-1].detail.startswith("disetujui → dinotifikasi; ")
    check = verify_trail(deps.engine, staff("auditor"))
    assert check.whole and check.rows == len(events)


async def test_reading_a_case_and_a_letter_is_recorded(deps: Deps) -> None:
    case = intake_report(
        deps, report_of(PPU), actor=staff("petugas"), now=at(report_of(PPU), 0)
    ).case
    assert case.id is not None
    read_case_file(deps.engine, CLERK, case.id, via="netra show", now=NOW)
    with Session(deps.engine) as session:
        letter = session.exec(select(Letter)).first()
    assert letter is not None and letter.id is not None

    got = read_letter(deps.engine, deps.letters_dir, CLERK, letter.id, now=NOW)

    assert got.data == (deps.letters_dir / letter.path).read_bytes()
    assert got.name.endswith(".docx") and got.case_id == case.id
    assert letter_at(deps.engine, letter.path) == (letter.id, False)
    assert letter_at(deps.engine, "perkara-99999/tidak-ada.docx") is None
    reads = [r for r in trail(deps, case.id) if r.actor == CLERK.actor]
    assert [(r.action, r.actor_id, r.origin) for r in reads] == [
        (AuditAction.CASE_READ, 12, "desk 10.0.0.7"),
        (AuditAction.LETTER_READ, 12, "desk 10.0.0.7"),
    ]
    assert letter.number in reads[1].detail
    assert verify_trail(deps.engine, staff("auditor")).whole


# --- five kinds of tampering ---------------------------------------------------------------
def _edit(path: Path, other: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of the letter changed
    path.write_bytes(bytes(data))


def _replace(path: Path, other: Path) -> None:
    path.write_bytes(other.read_bytes())  # another letter of the same case put in its place


def _truncate(path: Path, other: Path) -> None:
    path.write_bytes(path.read_bytes()[:-100])


def _delete(path: Path, other: Path) -> None:
    path.unlink()


TAMPERINGS: dict[str, Callable[[Path, Path], None]] = {
    "bytes edited": _edit,
    "replaced by another letter": _replace,
    "truncated": _truncate,
    "deleted": _delete,
}


def _referral_and_another(deps: Deps) -> tuple[Letter, Letter]:
    with Session(deps.engine) as session:
        letters = list(session.exec(select(Letter).order_by(col(Letter.id))).all())
    referral = next(x for x in letters if x.kind == "surat_penerusan")
    return referral, next(x for x in letters if x.id != referral.id and x.kind != referral.kind)


@ON_SQLITE
@pytest.mark.parametrize("kind", list(TAMPERINGS))
async def test_a_tampered_letter_is_not_sent_and_is_reported(
    deps: Deps, sink: MailSink, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    await run_sample(deps, PPU, until=Stage.APPROVED)
    referral, other = _referral_and_another(deps)
    path = deps.letters_dir / referral.path
    original = path.read_bytes()
    carrying = [m.key for m in outbox(deps) if m.letter_id == referral.id]
    pending = {m.key for m in outbox(deps) if m.status is OutboxStatus.PENDING}
    assert len(carrying) == 2 and set(carrying) < pending  # to BKN and to the PPK
    TAMPERINGS[kind](path, deps.letters_dir / other.path)
    before = len(sink.messages)

    with caplog.at_level(logging.ERROR):
        report = await deliver_mail(deps, "1")

    assert report.tampered == carrying
    sent_keys = set(report.sent)
    assert sent_keys == pending - set(carrying) and len(sink.messages) == before + len(sent_keys)
    assert all(referral.number not in str(m["Subject"]) for m in sink.messages[before:])
    stopped = [m for m in outbox(deps) if m.key in carrying]
    for m in stopped:
        assert m.status is OutboxStatus.FAILED and m.last_error.startswith(LETTER_TAMPERED_NOTE)
        assert "setelah berkas surat asli dipulihkan" in mail_action(m)
    assert any("surat_penerusan" in r.getMessage() for r in caplog.records)
    alarms = [r for r in trail(deps, 1) if r.action == AuditAction.LETTER_TAMPERED]
    assert sorted(a.detail.split()[1] for a in alarms) == sorted(carrying)
    assert mark_referred(deps, "1", actor=staff("sistem"), now=NOW).outcome is StageOutcome.WAITING
    with pytest.raises(LetterTampered, match="tidak diberikan"):
        assert referral.id is not None
        read_letter(deps.engine, deps.letters_dir, CLERK, referral.id, now=NOW)

    path.write_bytes(original)  # the original restored, a person queues it again
    assert retry_undelivered(deps, "1", actor=staff("petugas"), now=NOW) == len(carrying)
    assert sorted((await deliver_mail(deps, "1")).sent) == sorted(carrying)
    assert mark_referred(deps, "1", actor=staff("sistem"), now=NOW).stage is Stage.REFERRED
    actions = [r.action for r in trail(deps, 1)]
    assert AuditAction.MAIL_RETRY in actions and verify_trail(deps.engine, staff("auditor")).whole


@ON_SQLITE
async def test_an_edited_pdf_twin_is_not_given_out(deps: Deps) -> None:
    # The PDF beside a letter (its `pdf_sha256`) is checked like the .docx (here the twin is
    # written by hand: the tests run without LibreOffice). Sending a PDF: test_audit_trail.py.
    intake_report(deps, report_of(PPU), actor=staff("petugas"), now=at(report_of(PPU), 0))
    with unit_of_work(deps.engine) as session:
        letter = session.exec(select(Letter)).one()
        pdf = (deps.letters_dir / letter.path).with_suffix(".pdf")
        pdf.write_bytes(b"%PDF-1.7\n% tanda terima\n%%EOF\n")
        digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
        session.exec(update(Letter).where(col(Letter.id) == letter.id).values(pdf_sha256=digest))
    assert letter.id is not None
    got = read_letter(deps.engine, deps.letters_dir, CLERK, letter.id, pdf=True, now=NOW)
    assert got.name.endswith(".pdf")
    assert letter_at(deps.engine, str(Path(letter.path).with_suffix(".pdf"))) == (letter.id, True)
    pdf.write_bytes(b"%PDF-1.7\n% tanda terima (diubah)\n%%EOF\n")
    with pytest.raises(LetterTampered, match=r"\.pdf"):
        read_letter(deps.engine, deps.letters_dir, CLERK, letter.id, pdf=True, now=NOW)
    assert [r.action for r in trail(deps, 1)][-2:] == [
        AuditAction.LETTER_READ,
        AuditAction.LETTER_TAMPERED,
    ]


async def test_an_export_holds_the_case_rows_only_and_is_itself_recorded(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.REGISTERED)
    intake_report(deps, report_of("temuan-balikpapan-pppk"), actor=staff("x"), now=NOW)
    with pytest.raises(PermissionError):  # a pemeriksa is not an auditor
        export_case_trail(
            deps.engine, Actor("p", "P", memberships([(PPU_OFFICE, Role.PEMERIKSA)])), "1", now=NOW
        )
    label, rows = export_case_trail(deps.engine, staff("auditor"), "1", now=NOW)
    assert label.startswith("001/LP/") and rows and {r.case_id for r in rows} == {1}
    assert [r.action for r in rows][:2] == ["CaseReceived", "CaseRegistered"]
    assert trail(deps, 1)[-1].action == AuditAction.AUDIT_EXPORT
    with Session(deps.engine) as session:
        mail = session.exec(select(OutboxMessage)).all()
    assert mail  # the tanda terima was queued by intake (the trail records no email itself)


@ON_SQLITE
def test_the_letter_server_gives_out_only_the_issued_file_and_records_each_download(
    deps: Deps,
) -> None:
    import urllib.error
    import urllib.request

    from cli.local.letter_server import start_letter_server
    from cli.local.mail_sink import free_port

    intake_report(deps, report_of(PPU), actor=staff("petugas"), now=at(report_of(PPU), 0))
    with Session(deps.engine) as session:
        letter = session.exec(select(Letter)).one()
    port = free_port("127.0.0.1")
    server = start_letter_server(deps.letters_dir, port, deps.engine, "operator")
    base = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(f"{base}/{letter.path}", timeout=10) as response:
            assert response.read() == (deps.letters_dir / letter.path).read_bytes()
        for path in ("", "perkara-00001/", "perkara-00001/bukan-surat.docx"):
            with pytest.raises(urllib.error.HTTPError, match="404"):
                urllib.request.urlopen(f"{base}/{path}", timeout=10)  # never a folder listing
        _truncate(deps.letters_dir / letter.path, Path())
        with pytest.raises(urllib.error.HTTPError, match="409") as refused:
            urllib.request.urlopen(f"{base}/{letter.path}", timeout=10)
        assert "tidak diberikan" in refused.value.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    rows = [r for r in trail(deps, 1) if r.actor == "operator"]
    assert [(r.action, r.origin) for r in rows] == [
        (AuditAction.LETTER_READ, "server surat 127.0.0.1"),
        (AuditAction.LETTER_TAMPERED, "server surat 127.0.0.1"),
    ]
