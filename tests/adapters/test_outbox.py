"""The outbox table and its compare-and-set moves, on SQLite and on PostgreSQL (no SMTP here)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, insert, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from adapters.db import outbox
from adapters.db.engine import make_engine, unit_of_work
from adapters.db.migrate import upgrade
from adapters.email import DOCX_TYPE
from models.enums import ElectionType, ReportKind
from models.stages import Stage
from models.tables import OutboxMessage, OutboxStatus
from models.tables.case import Case

NOW = datetime(2024, 10, 14, 2, 0, tzinfo=UTC)


def make_case(engine: Engine, *, old_schema: bool = False) -> int:
    """A minimal case row for the outbox rows to belong to; `old_schema`: only the columns the
    first migrations made (written without the ORM, which names every column of today)."""
    with unit_of_work(engine) as session:
        case = Case(
            kind=ReportKind.LAPORAN,
            election_type=ElectionType.PILKADA,
            election_year=2024,
            election_region="Kabupaten Penajam Paser Utara",
            office_key="bawaslu-kab-ppu",
            received_on=date(2024, 10, 14),
            incident_summary="Camat hadir dalam kampanye",
            incident_place="Waru",
            occurred_on=date(2024, 10, 10),
            incident_account="-",
            admissible=True,
            source_hash=uuid.uuid4().hex,
            stage=Stage.APPROVED,
            received_at=NOW,
            report={},
        )
        if old_schema:
            values = case.model_dump(exclude={"id", "next_due", "next_due_rule"})
            inserted = session.execute(insert(Case).values(**values).returning(col(Case.id)))
            return int(inserted.scalar_one())
        session.add(case)
        session.flush()
        assert case.id is not None
        return case.id


def queue(
    session: Session,
    case_id: int,
    key: str,
    *,
    to: str = "camat@ppu.go.id",
    subject: str = "Penerusan Pelanggaran Netralitas ASN",
    attachment_path: str | None = None,
    zone: str = "Asia/Makassar",
) -> OutboxMessage:
    return outbox.enqueue(
        session,
        key=key,
        case_id=case_id,
        recipient_role="otoritas",
        to_address=to,
        to_name="Kepala BKN Kanreg VIII",
        subject=subject,
        body_text="Dengan hormat, terlampir surat kami.",
        body_html="<p>Dengan hormat, terlampir surat kami.</p>",
        attachments=[
            outbox.Attachment(path=attachment_path, name="surat-penerusan.docx", type=DOCX_TYPE)
        ]
        if attachment_path
        else [],
        now=NOW,
        zone=zone,
    )


def count_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM outbox")).scalar_one())


def test_migration_creates_the_outbox_as_modelled(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("outbox")}
    assert columns == set(OutboxMessage.model_fields)
    unique = {i["name"] for i in inspect(engine).get_indexes("outbox") if i["unique"]}
    assert "ix_outbox_key" in unique


def test_same_key_twice_keeps_one_row_unchanged(engine: Engine) -> None:
    case_id = make_case(engine)
    with unit_of_work(engine) as session:
        first = queue(session, case_id, "case-1/surat_penerusan/to-bkn")
    with unit_of_work(engine) as session:
        again = queue(session, case_id, "case-1/surat_penerusan/to-bkn", subject="Lain")
        other = queue(session, case_id, "case-1/surat_penerusan/to-ppk")
    assert again.id == first.id and again.subject == "Penerusan Pelanggaran Netralitas ASN"
    assert count_rows(engine) == 2
    assert first.status is OutboxStatus.PENDING and first.attempts == 0
    # Drawn once when queued: a repeat of the key keeps it; another key gets another.
    assert again.message_id == first.message_id
    assert re.fullmatch(r"<[0-9a-f]{32}@netra\.bawaslu>", first.message_id)
    assert other.message_id != first.message_id


def test_message_ids_differ_between_installations(tmp_path: Path) -> None:
    # Two offices' databases queue the same key (case #1's referral to BKN): each email still
    # gets its own Message-ID, so mail systems never take one for the other.
    ids = []
    for office in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / office}.db")
        upgrade(engine)
        case_id = make_case(engine)
        with unit_of_work(engine) as session:
            ids.append(queue(session, case_id, "perkara-1/surat_penerusan/otoritas-bkn").message_id)
        engine.dispose()
    assert ids[0] != ids[1]


def test_enqueue_belongs_to_the_callers_transaction(engine: Engine) -> None:
    case_id = make_case(engine)
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        queue(session, case_id, "case-1/undangan/to-terlapor")
        raise RuntimeError("letter numbering failed after the enqueue")
    assert count_rows(engine) == 0


def test_claim_is_a_compare_and_set(engine: Engine) -> None:
    case_id = make_case(engine)
    with unit_of_work(engine) as session:
        pk = queue(session, case_id, "k").id
    assert pk is not None
    with unit_of_work(engine) as session:
        assert outbox.claim(session, pk, NOW)
    with unit_of_work(engine) as session:
        assert not outbox.claim(session, pk, NOW)  # already sending
        assert outbox.release_for_retry(session, pk, "451 sibuk", NOW + timedelta(minutes=1))
        assert outbox.claim(session, pk, NOW)
        assert outbox.mark_sent(session, pk, NOW)
        assert not outbox.claim(session, pk, NOW)  # sent rows are never claimed again
        assert not outbox.mark_failed(session, pk, "550")  # only from sending
    with Session(engine) as session:
        row = session.get_one(OutboxMessage, pk)
        assert (row.status, row.attempts, row.sent_at) == (OutboxStatus.SENT, 2, NOW)
        assert row.last_error == "451 sibuk"


def test_due_messages_respect_backoff_status_and_case(engine: Engine) -> None:
    case_a, case_b = make_case(engine), make_case(engine)
    with unit_of_work(engine) as session:
        fresh = queue(session, case_a, "a/fresh").id
        later = queue(session, case_a, "a/later").id
        failed = queue(session, case_a, "a/failed").id
        queue(session, case_b, "b/fresh")
        assert later is not None and failed is not None and fresh is not None
        assert outbox.claim(session, later, NOW)
        outbox.release_for_retry(session, later, "421", NOW + timedelta(minutes=5))
        assert outbox.claim(session, failed, NOW)
        outbox.mark_failed(session, failed, "550 no such user")

    def due_keys(at: datetime, case_id: int | None = None) -> list[str]:
        with Session(engine) as session:
            return [r.key for r in outbox.due_messages(session, at, case_id)]

    assert due_keys(NOW) == ["a/fresh", "b/fresh"]
    assert due_keys(NOW + timedelta(minutes=5)) == ["a/fresh", "a/later", "b/fresh"]
    assert due_keys(NOW, case_a) == ["a/fresh"]
    with Session(engine) as session:
        keys = [r.key for r in outbox.messages_for_case(session, case_a)]
    assert keys == ["a/fresh", "a/later", "a/failed"]


def test_stuck_rows_are_found_and_resolved_by_a_person(engine: Engine) -> None:
    case_id = make_case(engine)
    with unit_of_work(engine) as session:
        old, recent = queue(session, case_id, "old").id, queue(session, case_id, "recent").id
        assert old is not None and recent is not None
        outbox.claim(session, old, NOW - timedelta(hours=1))
        outbox.claim(session, recent, NOW - timedelta(minutes=1))
    with unit_of_work(engine) as session:
        stuck = outbox.stuck_messages(session, NOW - timedelta(minutes=10))
        assert [r.key for r in stuck] == ["old"]
        assert outbox.stuck_messages(session, NOW, case_id=case_id + 1) == []
        assert outbox.resolve_stuck(session, old, delivered=False, now=NOW)
        assert outbox.resolve_stuck(session, recent, delivered=True, now=NOW)
    with Session(engine) as session:
        assert session.get_one(OutboxMessage, old).status is OutboxStatus.PENDING
        assert session.get_one(OutboxMessage, recent).status is OutboxStatus.SENT


def test_upgrading_keeps_the_attachment_of_mail_queued_before(engine: Engine) -> None:
    # An outbox row queued by the 0003 schema (one attachment column) is still sent with its
    # letter after the upgrade to a list of attachments.
    schema = MetaData()
    schema.reflect(engine)
    schema.drop_all(engine)
    upgrade(engine, "0003")
    case_id = make_case(engine, old_schema=True)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox (key, case_id, recipient_role, to_address, to_name, subject,"
                " body_text, body_html, attachment_path, attachment_name, message_id, status,"
                " attempts, last_error, created_at) VALUES ('k', :case, 'otoritas', 'a@b.go.id',"
                " 'A', 'S', 't', 'h', '/surat/penerusan.docx', 'surat_penerusan.docx', '<m@x>',"
                " 'pending', 0, '', :now)"
            ),
            {"case": case_id, "now": NOW},
        )
    upgrade(engine)
    with Session(engine) as session:
        [row] = outbox.messages_for_case(session, case_id)
    assert row.attachments == [
        {"path": "/surat/penerusan.docx", "name": "surat_penerusan.docx", "type": DOCX_TYPE}
    ]
    assert row.message_id == "<m@x>" and row.zone == "Asia/Jakarta"


def test_the_migrations_build_exactly_the_modelled_schema(engine: Engine) -> None:
    # A model column without its migration (or the reverse) fails here, on both databases.
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
