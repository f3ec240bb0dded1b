"""The reporter's consent to disclosure, as recorded. The caller owns the transaction."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.enums import ConsentScope
from models.tables import ReporterConsent


def active_consent(session: Session, case_id: int) -> ReporterConsent | None:
    """The reporter's consent in force: the latest one recorded and not withdrawn."""
    query = (
        select(ReporterConsent)
        .where(ReporterConsent.case_id == case_id)
        .order_by(col(ReporterConsent.id).desc())
    )
    latest = session.exec(query).first()
    return latest if latest is not None and latest.withdrawn_at is None else None


def consent_scope(session: Session, case_id: int) -> ConsentScope | None:
    consent = active_consent(session, case_id)
    return consent.scope if consent is not None else None
