"""Reading and writing a case's evidence rows. The caller owns the transaction."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.tables import Evidence


def case_evidence(session: Session, case_id: int) -> list[Evidence]:
    query = select(Evidence).where(Evidence.case_id == case_id).order_by(col(Evidence.position))
    return list(session.exec(query).all())


def evidence_with_hash(session: Session, case_id: int, sha256: str) -> Evidence | None:
    query = select(Evidence).where(Evidence.case_id == case_id, Evidence.sha256 == sha256)
    return session.exec(query).first()


def next_position(session: Session, case_id: int) -> int:
    query = select(func.max(Evidence.position)).where(Evidence.case_id == case_id)
    last = session.exec(query).one()
    return 0 if last is None else int(last) + 1


def is_referenced(session: Session, sha256: str) -> bool:
    """Whether any case's evidence refers to the stored file `sha256`."""
    return session.exec(select(Evidence.id).where(Evidence.sha256 == sha256)).first() is not None
