"""The outbox: one row per email, so that every letter is emailed exactly once.

A row is enqueued in the same transaction as the letter it carries, under a unique `key`
(e.g. "case-12/surat_penerusan/to-bkn"). The mailer claims it with a compare-and-set
(pending -> sending) right before an SMTP attempt and marks it sent only after the server
accepted the message. A row left in `sending` (a crash between send and mark, or a connection
lost while the server took the message) may have been delivered: it goes to a person
(`stuck_messages`, `resolve_stuck`), never to an automatic resend. The Message-ID is drawn
once when the row is queued and kept, so every attempt of one email carries the same id (a
copy that does go out twice is recognisable), while no two installations share one.

Functions take a Session and never commit: the caller owns the transaction (`unit_of_work`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NotRequired, TypedDict

from sqlalchemy import func, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models.tables import OutboxMessage, OutboxStatus

MESSAGE_ID_DOMAIN = "netra.bawaslu"


class Attachment(TypedDict):
    """A file an email carries: where it is, the name the recipient sees, its MIME type, and
    for a letter the SHA-256 it was issued with (checked before every send)."""

    path: str
    name: str
    type: str
    sha256: NotRequired[str]


def new_message_id(domain: str = MESSAGE_ID_DOMAIN) -> str:
    """A fresh Message-ID: 128 random bits, so two offices never send the same id."""
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue(
    session: Session,
    *,
    key: str,
    case_id: int | None,
    recipient_role: str,
    to_address: str,
    to_name: str,
    subject: str,
    body_text: str,
    body_html: str,
    now: datetime,
    attachments: Sequence[Attachment] = (),
    letter_id: int | None = None,
    message_domain: str = MESSAGE_ID_DOMAIN,
    zone: str = "Asia/Jakarta",
) -> OutboxMessage:
    """Queue one email; a key already queued returns the existing row unchanged.

    INSERT ... ON CONFLICT DO NOTHING keeps this idempotent under concurrent callers without a
    savepoint (pysqlite's savepoints would end the caller's transaction).
    """
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"outbox: unsupported database {dialect}")
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    values = {
        "key": key,
        "case_id": case_id,
        "letter_id": letter_id,
        "recipient_role": recipient_role,
        "to_address": to_address,
        "to_name": to_name,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "attachments": [dict(a) for a in attachments],
        "zone": zone,
        "message_id": new_message_id(message_domain),
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "last_error": "",
        "created_at": now,
    }
    session.exec(
        insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
    )
    return session.exec(select(OutboxMessage).where(col(OutboxMessage.key) == key)).one()


def _move(session: Session, pk: int, expected: OutboxStatus, **values: Any) -> bool:
    """Compare-and-set: change the row only if it is still in `expected` (True if changed)."""
    result = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == pk, col(OutboxMessage.status) == expected)
        .values(**values)
    )
    return result.rowcount == 1


def claim(session: Session, pk: int, now: datetime) -> bool:
    """Take a pending row for one send attempt (pending -> sending); False if someone else has."""
    return _move(
        session,
        pk,
        OutboxStatus.PENDING,
        status=OutboxStatus.SENDING,
        attempts=col(OutboxMessage.attempts) + 1,
        claimed_at=now,
    )


def mark_sent(session: Session, pk: int, now: datetime) -> bool:
    return _move(session, pk, OutboxStatus.SENDING, status=OutboxStatus.SENT, sent_at=now)


def release_for_retry(session: Session, pk: int, error: str, next_attempt_at: datetime) -> bool:
    """A transient failure (the message was not taken): back to pending, due again later."""
    return _move(
        session,
        pk,
        OutboxStatus.SENDING,
        status=OutboxStatus.PENDING,
        last_error=error,
        next_attempt_at=next_attempt_at,
    )


def mark_failed(session: Session, pk: int, error: str) -> bool:
    """A permanent failure (e.g. 550 unknown mailbox): never retried automatically."""
    return _move(session, pk, OutboxStatus.SENDING, status=OutboxStatus.FAILED, last_error=error)


def record_uncertain(session: Session, pk: int, error: str) -> bool:
    """The outcome is unknown (connection lost during DATA): stay in `sending`, for a person."""
    return _move(session, pk, OutboxStatus.SENDING, last_error=error)


def resolve_stuck(session: Session, pk: int, *, delivered: bool, now: datetime) -> bool:
    """A person's decision on a stuck row: it did arrive (sent), or send it again (pending)."""
    if delivered:
        return mark_sent(session, pk, now)
    return _move(
        session, pk, OutboxStatus.SENDING, status=OutboxStatus.PENDING, next_attempt_at=now
    )


def stuck_messages(
    session: Session, older_than: datetime, *, case_id: int | None = None
) -> list[OutboxMessage]:
    """Rows claimed before `older_than` and still in `sending`: they need a person."""
    query = select(OutboxMessage).where(
        col(OutboxMessage.status) == OutboxStatus.SENDING,
        or_(col(OutboxMessage.claimed_at).is_(None), col(OutboxMessage.claimed_at) <= older_than),
    )
    if case_id is not None:
        query = query.where(col(OutboxMessage.case_id) == case_id)
    return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def awaiting_a_person(session: Session, stuck_before: datetime) -> list[OutboxMessage]:
    """Every email only a person can settle: interrupted mid-transfer (`sending`, claimed before
    `stuck_before`) or refused by the server (`failed`), oldest first."""
    stuck = stuck_messages(session, stuck_before)
    failed = select(OutboxMessage).where(col(OutboxMessage.status) == OutboxStatus.FAILED)
    rows = [*stuck, *session.exec(failed).all()]
    return sorted(rows, key=lambda m: m.id or 0)


def messages_for_case(session: Session, case_id: int) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(col(OutboxMessage.case_id) == case_id)
    return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def due_messages(
    session: Session, now: datetime, case_id: int | None = None
) -> list[OutboxMessage]:
    """Pending rows whose next attempt is due (never tried, or their back-off has passed)."""
    query = select(OutboxMessage).where(
        col(OutboxMessage.status) == OutboxStatus.PENDING,
        or_(
            col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now
        ),
    )
    if case_id is not None:
        query = query.where(col(OutboxMessage.case_id) == case_id)
    return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def find_by_key(session: Session, key: str) -> OutboxMessage | None:
    return session.exec(select(OutboxMessage).where(col(OutboxMessage.key) == key)).first()


def unsent_count(session: Session, case_id: int) -> int:
    """The case's emails the server has not (yet) accepted: pending, sending or refused."""
    unsent = [OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED]
    query = select(func.count()).where(
        col(OutboxMessage.case_id) == case_id, col(OutboxMessage.status).in_(unsent)
    )
    return int(session.exec(query).one())


def retry_failed(session: Session, case_id: int) -> int:
    """A person fixed what made the server refuse (an address, a setting): the case's refused
    emails go back to the queue. Returns how many."""
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.case_id) == case_id,
            col(OutboxMessage.status) == OutboxStatus.FAILED,
        )
        .values(status=OutboxStatus.PENDING, next_attempt_at=None)
    )
    return int(result.rowcount)
