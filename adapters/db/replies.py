"""Reading the replies recorded on a case. The caller owns the transaction."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.inputs import ReplyKind
from models.tables import AuthorityReply


def case_replies(session: Session, case_id: int) -> list[AuthorityReply]:
    query = select(AuthorityReply).where(AuthorityReply.case_id == case_id)
    return list(session.exec(query.order_by(col(AuthorityReply.id))).all())


def reply_of(session: Session, case_id: int, kind: ReplyKind) -> AuthorityReply | None:
    """The case's reply of `kind` (a recommendation or a refusal: one per case)."""
    query = select(AuthorityReply).where(
        AuthorityReply.case_id == case_id, AuthorityReply.kind == kind
    )
    return session.exec(query.order_by(col(AuthorityReply.id))).first()
