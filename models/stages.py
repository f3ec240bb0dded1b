"""The case lifecycle as data: one enum of stages, one table of allowed moves, one check, and
the closed list of events a case's history records.

DOMAIN.md §2. Every move is checked by `check_move`, which raises `IllegalMove` carrying the reason;
nothing else decides whether a case may move.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    RECEIVED = "diterima"  # intake recorded, kajian awal pending
    NEEDS_COMPLETION = "perlu_dilengkapi"  # reporter asked to complete the report
    REGISTERED = "diregistrasi"  # case number issued
    NOT_REGISTERED = "tidak_diregistrasi"  # formal/material requirements not met
    # Cases delegated before issue 10 ended here; a delegation now moves the case to the other
    # office's kajian awal (RECEIVED, with a CaseDelegated event).
    DELEGATED = "dilimpahkan"
    FORWARDED = "diteruskan"  # forwarded to another institution at verification
    CLARIFICATION = "klarifikasi"  # invitations issued, hearing pending
    UNDER_REVIEW = "kajian"  # hearing recorded, decision (kajian) pending
    NOT_A_VIOLATION = "bukan_pelanggaran"  # closed: no violation found
    TO_GAKKUMDU = "gakkumdu"  # closed here: an election crime goes to Gakkumdu
    AWAITING_APPROVAL = "menunggu_persetujuan"  # recommendation drafted, supervisor to approve
    APPROVED = "disetujui"  # letters may go out
    REFERRED = "dinotifikasi"  # letters sent (referred); waiting for the PPK's follow-up
    PPK_OVERDUE = "tindak_lanjut_terlambat"  # PPK deadline passed or PPK refused: escalation
    CLOSED = "selesai"  # PPK decision recorded

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[Stage, str] = {
    Stage.RECEIVED: "Diterima, menunggu kajian awal",
    Stage.NEEDS_COMPLETION: "Menunggu kelengkapan laporan",
    Stage.REGISTERED: "Diregistrasi",
    Stage.NOT_REGISTERED: "Tidak diregistrasi",
    Stage.DELEGATED: "Dilimpahkan",
    Stage.FORWARDED: "Diteruskan ke instansi lain",
    Stage.CLARIFICATION: "Klarifikasi",
    Stage.UNDER_REVIEW: "Kajian dugaan pelanggaran",
    Stage.NOT_A_VIOLATION: "Bukan pelanggaran",
    Stage.TO_GAKKUMDU: "Diteruskan ke Sentra Gakkumdu",
    Stage.AWAITING_APPROVAL: "Menunggu persetujuan pimpinan",
    Stage.APPROVED: "Disetujui, surat siap dikirim",
    Stage.REFERRED: "Diteruskan, menunggu tindak lanjut PPK",
    Stage.PPK_OVERDUE: "Tindak lanjut PPK melewati batas waktu atau ditolak",
    Stage.CLOSED: "Selesai",
}

ALLOWED_MOVES: dict[Stage, frozenset[Stage]] = {
    Stage.RECEIVED: frozenset(
        {
            Stage.RECEIVED,  # delegated: received again by the other Bawaslu office
            Stage.REGISTERED,
            Stage.NEEDS_COMPLETION,
            Stage.NOT_REGISTERED,
            Stage.FORWARDED,
        }
    ),
    # Completed: back to the kajian awal; or decided without waiting.
    Stage.NEEDS_COMPLETION: frozenset(
        {Stage.RECEIVED, Stage.REGISTERED, Stage.NOT_REGISTERED, Stage.FORWARDED}
    ),
    Stage.REGISTERED: frozenset({Stage.CLARIFICATION, Stage.UNDER_REVIEW}),
    Stage.CLARIFICATION: frozenset({Stage.UNDER_REVIEW}),
    Stage.UNDER_REVIEW: frozenset(
        {Stage.AWAITING_APPROVAL, Stage.NOT_A_VIOLATION, Stage.TO_GAKKUMDU}
    ),
    Stage.AWAITING_APPROVAL: frozenset({Stage.APPROVED, Stage.UNDER_REVIEW}),
    Stage.APPROVED: frozenset({Stage.REFERRED}),
    Stage.REFERRED: frozenset({Stage.CLOSED, Stage.PPK_OVERDUE}),
    Stage.PPK_OVERDUE: frozenset({Stage.CLOSED}),
}

TERMINAL: frozenset[Stage] = frozenset(
    {
        Stage.NOT_REGISTERED,
        Stage.DELEGATED,
        Stage.FORWARDED,
        Stage.NOT_A_VIOLATION,
        Stage.TO_GAKKUMDU,
        Stage.CLOSED,
    }
)


class IllegalMove(ValueError):
    """A requested stage move the lifecycle does not allow; the message is for people."""

    def __init__(self, current: Stage, target: Stage, reason: str) -> None:
        self.current, self.target, self.reason = current, target, reason
        super().__init__(reason)


def can_move(current: Stage, target: Stage) -> bool:
    return target in ALLOWED_MOVES.get(current, frozenset())


def check_move(current: Stage, target: Stage) -> None:
    """Raise `IllegalMove` with an Indonesian reason unless `current → target` is allowed."""
    if current in TERMINAL:
        raise IllegalMove(current, target, f"perkara sudah berakhir pada tahap '{current.label}'")
    if not can_move(current, target):
        allowed = ", ".join(sorted(s.label for s in ALLOWED_MOVES.get(current, frozenset())))
        raise IllegalMove(
            current,
            target,
            f"perkara pada tahap '{current.label}' tidak dapat dipindah ke '{target.label}'"
            f" (tahap berikut yang sah: {allowed})",
        )


class CaseEvent(StrEnum):
    """Every fact a case's history records, past tense. Most move the case; `DEADLINE_MISSED`,
    `ESCALATED_TO_BKN`, `LINKED`, `UNLINKED`, the consent events and the authority's replies are
    facts on the case that leave its stage as it was (a PPK's refusal moves a referred case to
    "overdue or refused")."""

    RECEIVED = "CaseReceived"
    REGISTERED = "CaseRegistered"
    COMPLETION_REQUESTED = "CompletionRequested"
    REPORT_COMPLETED = "ReportCompleted"
    NOT_REGISTERED = "CaseNotRegistered"
    FORWARDED = "CaseForwarded"
    DELEGATED = "CaseDelegated"
    CLARIFICATION_SCHEDULED = "ClarificationScheduled"
    CLARIFICATION_RECORDED = "ClarificationRecorded"
    RECOMMENDATION_DRAFTED = "RecommendationDrafted"
    DISMISSED = "CaseDismissed"
    SENT_TO_GAKKUMDU = "CaseSentToGakkumdu"
    RECOMMENDATION_RETURNED = "RecommendationReturned"
    RECOMMENDATION_APPROVED = "RecommendationApproved"
    REFERRED = "CaseReferred"
    PPK_REMINDED = "PpkReminded"
    PPK_DECISION_RECORDED = "PpkDecisionRecorded"
    DEADLINE_MISSED = "DeadlineMissed"
    DECISION_EXTENDED = "DecisionDeadlineExtended"
    DEADLINE_RECOMPUTED = "DeadlineRecomputed"
    TEXT_CORRECTED = "TextCorrected"
    REPORTER_CONSENTED = "ReporterConsented"
    CONSENT_WITHDRAWN = "ReporterConsentWithdrawn"
    EVIDENCE_ADDED = "EvidenceAdded"
    ESCALATED_TO_BKN = "EscalatedToBkn"
    LINKED = "CaseLinked"  # linked to a related case (recorded on both)
    UNLINKED = "CaseUnlinked"  # that link removed (recorded on both)
    REFERRAL_ACKNOWLEDGED = "ReferralAcknowledged"
    AUTHORITY_RECOMMENDED = "AuthorityRecommendationRecorded"
    PPK_REFUSED = "PpkRefused"
