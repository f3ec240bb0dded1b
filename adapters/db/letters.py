"""Issued letters and the gapless per-office, per-year number sequences.

A serial is taken inside the caller's transaction: if the transaction rolls back, so does the
serial, so numbers have no gaps; the row lock (PostgreSQL) or the database write lock (SQLite)
means two transactions never get the same number.
"""

from __future__ import annotations

import secrets

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models.tables import Letter, SequenceCounter

LETTER_SERIES = "surat"


def next_serial(session: Session, *, office_key: str, year: int, series: str) -> int:
    """Take the next number of a sequence, in the caller's transaction."""
    keys = {"office_key": office_key, "year": year, "series": series}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(SequenceCounter).values(**keys, last=0).on_conflict_do_nothing())
    bumped = session.execute(
        update(SequenceCounter)
        .where(
            col(SequenceCounter.office_key) == office_key,
            col(SequenceCounter.year) == year,
            col(SequenceCounter.series) == series,
        )
        .values(last=col(SequenceCounter.last) + 1)
        .returning(col(SequenceCounter.last))
    ).scalar_one()
    return int(bumped)


def find_letter(session: Session, case_id: int, kind: str, recipient_key: str) -> Letter | None:
    return session.exec(
        select(Letter).where(
            Letter.case_id == case_id, Letter.kind == kind, Letter.recipient_key == recipient_key
        )
    ).first()


def case_letters(session: Session, case_id: int) -> list[Letter]:
    return list(
        session.exec(select(Letter).where(Letter.case_id == case_id).order_by(col(Letter.id))).all()
    )


def first_letter(session: Session, case_id: int, kind: str) -> Letter | None:
    """The case's first letter of `kind` (e.g. its referral), if issued."""
    query = select(Letter).where(Letter.case_id == case_id, Letter.kind == kind)
    return session.exec(query.order_by(col(Letter.id))).first()


def new_verification_code(session: Session) -> str:
    """A fresh random verification code (60 bits from the system's CSPRNG), not held by any
    letter. A repeat is all but impossible; it is checked anyway, and the unique index on
    `letter.verification_code` is the last word."""
    # Here, not at the top: the code's module loads every letter model, which reading the
    # letters of a case (`netra show`) does not need.
    from models.letters.verification import ALPHABET, LENGTH, code_from_symbols

    while True:
        code = code_from_symbols([secrets.randbelow(len(ALPHABET)) for _ in range(LENGTH)])
        if letter_by_code(session, code) is None:
            return code


def letter_by_code(session: Session, code: str) -> Letter | None:
    """The letter printed with verification code `code` (as stored, XXXX-XXXX-XXXX)."""
    return session.exec(select(Letter).where(Letter.verification_code == code)).first()
