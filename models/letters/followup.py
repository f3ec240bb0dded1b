"""Letters after the referral: the reminder to the PPK and the request to BKN to block the
SIASN record of the reported ASN (Peraturan BKN 1/2023), after a lapse or the PPK's refusal."""

from __future__ import annotations

from collections.abc import Sequence

from models.indonesian import jumlah, tanggal
from models.letters.common import person_of
from models.letters.contexts import PpkReminder, SiasnBlockRequest
from models.rules.referral import authority_name
from models.tables import AuthorityReply, Case, CaseDeadline, Letter, Party


def recommendation_text(reply: AuthorityReply) -> str:
    """'rekomendasi Badan Kepegawaian Negara Nomor ... tanggal 2 Oktober 2024'."""
    return (
        f"rekomendasi {authority_name(reply.authority)} Nomor {reply.number} "
        f"tanggal {tanggal(reply.replied_on)}"
    )


def ppk_reminder(
    case: Case,
    people: Sequence[Party],
    referral: Letter,
    followup: CaseDeadline,
    *,
    reply_days: int,
    authority_name: str,
    recommendation: AuthorityReply | None = None,
    followup_note: str | None = None,
) -> PpkReminder:
    return PpkReminder(
        persons=tuple(person_of(p) for p in people),
        case_number=case.case_number or "-",
        authority_name=authority_name,
        referral_number=referral.number,
        referral_date_text=tanggal(referral.issued_on),
        period_text=jumlah((followup.due_on - followup.start_on).days, "hari"),
        due_date_text=tanggal(followup.due_on),
        reply_period_text=jumlah(reply_days, "hari"),
        recommendation_text=recommendation_text(recommendation) if recommendation else None,
        followup_note=followup_note,
    )


def siasn_block_request(
    case: Case,
    people: Sequence[Party],
    referral: Letter,
    followup: CaseDeadline,
    reminder: Letter | None,
    refusal: AuthorityReply | None = None,
) -> SiasnBlockRequest:
    """The escalation cites the reminder the PPK left unanswered, or the PPK's refusal (which
    may come before any reminder)."""
    return SiasnBlockRequest(
        persons=tuple(person_of(p) for p in people),
        ppk_title=people[0].ppk_title or "Pejabat Pembina Kepegawaian",
        case_number=case.case_number or "-",
        referral_number=referral.number,
        referral_date_text=tanggal(referral.issued_on),
        due_date_text=tanggal(followup.due_on),
        reminder_number=reminder.number if reminder else None,
        reminder_date_text=tanggal(reminder.issued_on) if reminder else None,
        refused_on_text=tanggal(refusal.replied_on) if refusal else None,
        refusal_reason=refusal.reason if refusal else None,
    )
