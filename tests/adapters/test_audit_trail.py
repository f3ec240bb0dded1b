"""The audit trail in the database, on SQLite and on PostgreSQL: appends chain, concurrent
writers never fork the chain, the triggers refuse UPDATE/DELETE, and `verify_trail` names each
row changed, removed or reordered by hand. And a letter file altered after issue is never sent."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from adapters.db import outbox
from adapters.db.audit import append_audit, audit_rows, set_origin
from adapters.db.engine import unit_of_work
from adapters.email import PDF_TYPE
from adapters.smtp import deliver_pending
from cli.local.mail_sink import MailSink
from config.settings import Settings, SmtpSecurity
from models.audit import GENESIS, LETTER_TAMPERED_NOTE, AuditAction, Breach
from models.tables import OutboxStatus
from services.audit import verify_trail
from tests.adapters.test_outbox import make_case
from tests.support.actors import staff

NOW = datetime(2024, 10, 14, 2, 0, tzinfo=UTC)


def append(engine: Engine, n: int, *, case_id: int | None = 1, actor: str = "petugas") -> None:
    for i in range(n):
        with unit_of_work(engine) as session:
            append_audit(
                session,
                actor_id=None,
                actor=actor,
                action="CaseRegistered",
                case_id=case_id,
                detail=f"langkah {i}",
                origin="uji",
                now=NOW + timedelta(seconds=i),
            )


@contextmanager
def by_hand(engine: Engine) -> Iterator[Engine]:
    """What someone with the database's owner rights does: the append-only triggers out of the
    way (dropped on SQLite, disabled on PostgreSQL) for the block, back afterwards."""
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if pg:
            conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_entry_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_entry_no_delete")
    try:
        yield engine
    finally:
        if pg:
            with engine.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE audit_entry ENABLE TRIGGER USER")


def run_sql(engine: Engine, *statements: str) -> None:
    with by_hand(engine), engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def breaches(engine: Engine) -> list[tuple[Breach, int]]:
    return [(p.kind, p.row) for p in verify_trail(engine, staff("auditor")).problems]


def test_appends_chain_each_row_to_the_one_before(engine: Engine) -> None:
    append(engine, 3)
    with Session(engine) as session:
        rows = audit_rows(session)
    assert [r.id for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    check = verify_trail(engine, staff("auditor"))
    assert check.whole and check.rows == 3 and check.head is not None and check.head.id == 3


def test_an_append_rolls_back_with_the_action_it_records(engine: Engine) -> None:
    append(engine, 1)
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        append_audit(session, actor_id=1, actor="x", action="a", case_id=None, detail="", now=NOW)
        raise RuntimeError("the action failed")
    with Session(engine) as session:  # closed without a commit: nothing either
        append_audit(session, actor_id=1, actor="x", action="b", case_id=None, detail="", now=NOW)
        session.rollback()
        append_audit(session, actor_id=1, actor="y", action="c", case_id=None, detail="", now=NOW)
        session.commit()  # the same session reused: only what came after the rollback
    append(engine, 1)
    check = verify_trail(engine, staff("auditor"))
    assert check.whole and check.rows == 3
    with Session(engine) as session:
        assert [r.action for r in audit_rows(session)] == ["CaseRegistered", "c", "CaseRegistered"]


def test_the_process_origin_is_used_unless_the_caller_names_one(engine: Engine) -> None:
    set_origin("desk 10.0.0.7")
    try:
        with unit_of_work(engine) as session:
            kw = {"actor_id": 3, "actor": "ani", "case_id": None, "detail": "", "now": NOW}
            append_audit(session, action="a", **kw)  # type: ignore[arg-type]
            append_audit(session, action="b", origin="cli", **kw)  # type: ignore[arg-type]
    finally:
        set_origin("sistem")
    with Session(engine) as session:
        assert [(r.origin, r.actor_id) for r in audit_rows(session)] == [
            ("desk 10.0.0.7", 3),
            ("cli", 3),
        ]


def test_concurrent_writers_never_fork_the_chain(engine: Engine) -> None:
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            append(engine, 15, actor=name)
        except BaseException as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = verify_trail(engine, staff("auditor"))
    assert check.problems == [] and check.rows == 60


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET actor = 'orang lain' WHERE id = 1",
        "DELETE FROM audit_entry WHERE id = 2",
        "DELETE FROM audit_entry",
    ],
)
def test_the_application_cannot_update_or_delete_a_row(engine: Engine, statement: str) -> None:
    append(engine, 2)
    with pytest.raises(DBAPIError, match="hanya boleh ditambah"), engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert verify_trail(engine, staff("auditor")).rows == 2


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_postgres_refuses_truncate(engine: Engine) -> None:
    append(engine, 1)
    with pytest.raises(DBAPIError, match="hanya boleh ditambah"), engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE audit_entry")
    assert verify_trail(engine, staff("auditor")).rows == 1


def test_verify_names_a_row_changed_by_hand(engine: Engine) -> None:
    append(engine, 5)
    run_sql(engine, "UPDATE audit_entry SET detail = 'tidak terjadi' WHERE id = 3")
    check = verify_trail(engine, staff("auditor"))
    assert [(p.kind, p.row) for p in check.problems] == [(Breach.CHANGED, 3)]
    assert check.problems[0].message == "baris #3 diubah: isinya tidak cocok lagi dengan hash-nya"


def test_verify_names_a_row_deleted_by_hand(engine: Engine) -> None:
    append(engine, 5)
    run_sql(engine, "DELETE FROM audit_entry WHERE id = 2")
    assert breaches(engine) == [(Breach.REMOVED, 2)]


def test_verify_names_rows_swapped_by_hand(engine: Engine) -> None:
    append(engine, 5)
    run_sql(
        engine,
        "UPDATE audit_entry SET id = 100 WHERE id = 2",
        "UPDATE audit_entry SET id = 2 WHERE id = 3",
        "UPDATE audit_entry SET id = 3 WHERE id = 100",
    )
    assert breaches(engine) == [(Breach.MOVED, 2), (Breach.MOVED, 3)]


def test_verify_finds_a_changed_time_on_either_database(engine: Engine) -> None:
    append(engine, 2)
    later = "2024-10-14 02:00:01.000001" if engine.dialect.name == "sqlite" else None
    if later is None:
        run_sql(engine, "UPDATE audit_entry SET at = at + interval '1 microsecond' WHERE id = 1")
    else:
        run_sql(engine, f"UPDATE audit_entry SET at = '{later}' WHERE id = 1")
    assert breaches(engine) == [(Breach.CHANGED, 1)]


# --- a letter file altered after issue is never sent ------------------------------------------
@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "received", port=0) as server:
        yield server


def _settings(tmp_path: Path, sink: MailSink) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        smtp_port=sink.port,
        smtp_security=SmtpSecurity.NONE,
        mail_retry_base_seconds=0.01,
    )


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_an_edited_pdf_twin_is_not_sent(
    engine: Engine, tmp_path: Path, sink: MailSink
) -> None:
    # The PDF is what a letter's email carries when there is one: its SHA-256 travels with the
    # attachment (LibreOffice is not needed to check that an edited PDF stops the email).
    pdf = tmp_path / "var" / "letters" / "perkara-00001" / "surat_penerusan--bkn.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.7\n% surat penerusan\n%%EOF\n")
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    case_id = make_case(engine)
    with unit_of_work(engine) as session:
        outbox.enqueue(
            session,
            key="perkara-1/surat_penerusan/bkn",
            case_id=case_id,
            recipient_role="otoritas",
            to_address="bkn@bkn.go.id",
            to_name="BKN",
            subject="Penerusan",
            body_text="t",
            body_html="<p>t</p>",
            now=NOW,
            attachments=[
                {"path": str(pdf), "name": "penerusan.pdf", "type": PDF_TYPE, "sha256": digest}
            ],
        )
    pdf.write_bytes(b"%PDF-1.7\n% surat penerusan (diubah)\n%%EOF\n")

    report = await deliver_pending(engine, _settings(tmp_path, sink), now_fn=lambda: NOW)

    assert report.tampered == ["perkara-1/surat_penerusan/bkn"] and report.sent == []
    assert sink.messages == []
    with Session(engine) as session:
        row = outbox.find_by_key(session, "perkara-1/surat_penerusan/bkn")
        trail = audit_rows(session, case_id=case_id)
    assert row is not None and row.status is OutboxStatus.FAILED
    assert row.last_error.startswith(LETTER_TAMPERED_NOTE) and "surat_penerusan--bkn.pdf" in (
        row.last_error
    )
    assert [r.action for r in trail] == [AuditAction.LETTER_TAMPERED]
    assert "bkn@bkn.go.id" in trail[0].detail


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_role_granted_select_and_insert_cannot_disable_the_trigger(engine: Engine) -> None:
    # The separation docs/decisions.md advises: migrations as the owner, the application as a
    # role with SELECT and INSERT on the trail; that role appends but cannot undo the guard.
    role = f"netra_app_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role}")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {role}")
        conn.exec_driver_sql(f"GRANT SELECT, INSERT ON audit_entry TO {role}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"SET LOCAL ROLE {role}")
            with Session(bind=conn) as session:  # joins the connection's transaction
                append_audit(
                    session,
                    actor_id=1,
                    actor="app",
                    action="a",
                    case_id=None,
                    detail="",
                    now=NOW,
                )
                session.commit()  # the row is written here, as the role
        for statement, refusal in (
            ("ALTER TABLE audit_entry DISABLE TRIGGER USER", "must be owner"),
            ("DROP TRIGGER audit_entry_no_change ON audit_entry", "must be owner"),
            ("UPDATE audit_entry SET actor = 'x'", "permission denied"),
        ):
            with pytest.raises(DBAPIError, match=refusal), engine.begin() as conn:
                conn.exec_driver_sql(f"SET LOCAL ROLE {role}")
                conn.exec_driver_sql(statement)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
    assert (
        verify_trail(engine, staff("auditor")).whole
        and verify_trail(engine, staff("auditor")).rows == 1
    )
