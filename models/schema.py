"""Every table of the case database, imported in one place for Alembic and tests."""

from models.documents import Letter, SequenceCounter
from models.outbox import OutboxMessage
from models.proceedings import CaseDecision, Hearing
from models.tables import Case, CaseDeadline, Evidence, Party, StageEvent

__all__ = [
    "Case",
    "CaseDeadline",
    "CaseDecision",
    "Evidence",
    "Hearing",
    "Letter",
    "OutboxMessage",
    "Party",
    "SequenceCounter",
    "StageEvent",
]
