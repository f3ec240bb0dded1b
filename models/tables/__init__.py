"""Every table of the case database, one family per file (the case and its parties; the
proceedings; the paperwork). Importing this package registers them all for Alembic and tests.

Schema changes go through Alembic (adapters/db/migrations); never `create_all` outside tests.
"""

from models.tables.audit import AuditEntry
from models.tables.case import (
    Case,
    CaseBase,
    CaseDeadline,
    DeadlineStatus,
    Evidence,
    Party,
    PartyRole,
    StageEvent,
)
from models.tables.links import CaseLink
from models.tables.paperwork import Letter, OutboxMessage, OutboxStatus, SequenceCounter
from models.tables.proceedings import CaseDecision, Hearing, TextCorrection
from models.tables.public import PublicReceipt, ThrottleHit
from models.tables.replies import AuthorityReply
from models.tables.reporting import (
    ReportAmendment,
    ReporterConsent,
    ReportSubmission,
    SubmissionStatus,
)
from models.tables.tokens import ApiToken
from models.tables.users import AppUser, LoginFailure, UserOffice

__all__ = [
    "ApiToken",
    "AppUser",
    "AuditEntry",
    "AuthorityReply",
    "Case",
    "CaseBase",
    "CaseDeadline",
    "CaseDecision",
    "CaseLink",
    "DeadlineStatus",
    "Evidence",
    "Hearing",
    "Letter",
    "LoginFailure",
    "OutboxMessage",
    "OutboxStatus",
    "Party",
    "PartyRole",
    "PublicReceipt",
    "ReportAmendment",
    "ReportSubmission",
    "ReporterConsent",
    "SequenceCounter",
    "StageEvent",
    "SubmissionStatus",
    "TextCorrection",
    "ThrottleHit",
    "UserOffice",
]
