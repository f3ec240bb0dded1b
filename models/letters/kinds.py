"""The letter kinds: the body model of each, its audience, and the template file that renders
it (templates/letters/<name>.docx)."""

from __future__ import annotations

from models.letters.contexts import (
    ClarificationInvitation,
    ClarificationRecord,
    CompletionRequest,
    DecisionReview,
    DelegationLetter,
    DismissalNotice,
    ForwardingLetter,
    PpkReminder,
    PreliminaryReview,
    ReceiptAcknowledgement,
    RedactedDecisionReview,
    RedactedReport,
    Referral,
    ReferralNotice,
    ReporterInvitation,
    SiasnBlockRequest,
    StatusNotice,
)
from models.letters.head import LetterBody
from models.rules.confidentiality import Audience

LETTER_MODELS: dict[str, type[LetterBody]] = {
    m.kind: m
    for m in (
        ReceiptAcknowledgement,
        PreliminaryReview,
        StatusNotice,
        CompletionRequest,
        DelegationLetter,
        ForwardingLetter,
        RedactedReport,
        ClarificationInvitation,
        ReporterInvitation,
        ClarificationRecord,
        DecisionReview,
        RedactedDecisionReview,
        Referral,
        ReferralNotice,
        DismissalNotice,
        PpkReminder,
        SiasnBlockRequest,
    )
}


def kinds_for(audience: Audience) -> frozenset[str]:
    return frozenset(kind for kind, model in LETTER_MODELS.items() if model.audience is audience)


# Letters that leave Bawaslu for the reported person, the PPK, KASN/BKN: no reporter identity.
OUTBOUND_KINDS = kinds_for(Audience.OUTBOUND)
# Records kept inside Bawaslu; they may name the reporter.
INTERNAL_KINDS = kinds_for(Audience.INTERNAL)
# Letters to the reporter: about their own report, never other parties' personal data.
REPORTER_KINDS = kinds_for(Audience.REPORTER)


def template_name(kind: str) -> str:
    """The file stem in templates/letters/ that renders `kind`."""
    if kind not in LETTER_MODELS:
        raise KeyError(f"unknown letter kind {kind!r}; known: {', '.join(sorted(LETTER_MODELS))}")
    return kind


TEMPLATE_NAMES: tuple[str, ...] = tuple(LETTER_MODELS)

# How each kind is laid out (templates/letters/): a naskah dinas letter with an addressee; a
# record (berita acara, kajian) with a title, a number and its makers' signatures; or an
# attachment that carries the number of the letter it belongs to.
RECORD_KINDS = frozenset({"kajian_awal", "berita_acara_klarifikasi", "kajian_dugaan_pelanggaran"})
ATTACHMENT_KINDS = frozenset({"kajian_dugaan_pelanggaran_disamarkan", "laporan_disamarkan"})
LETTER_KINDS = frozenset(LETTER_MODELS) - RECORD_KINDS - ATTACHMENT_KINDS
