"""Letters after the referral: the reminder to the PPK and the request to BKN to block the
SIASN record of the reported ASN (Peraturan BKN 1/2023)."""

from __future__ import annotations

from collections.abc import Sequence

from models.indonesian import jumlah, tanggal
from models.letters.common import person_of
from models.letters.contexts import PpkReminder, SiasnBlockRequest
from models.tables import Case, CaseDeadline, Letter, Party


def ppk_reminder(
    case: Case,
    people: Sequence[Party],
    referral: Letter,
    followup: CaseDeadline,
    *,
    reply_days: int,
    authority_name: str,
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
    )


def siasn_block_request(
    case: Case,
    people: Sequence[Party],
    referral: Letter,
    followup: CaseDeadline,
    reminder: Letter,
) -> SiasnBlockRequest:
    return SiasnBlockRequest(
        persons=tuple(person_of(p) for p in people),
        ppk_title=people[0].ppk_title or "Pejabat Pembina Kepegawaian",
        case_number=case.case_number or "-",
        referral_number=referral.number,
        referral_date_text=tanggal(referral.issued_on),
        due_date_text=tanggal(followup.due_on),
        reminder_number=reminder.number,
        reminder_date_text=tanggal(reminder.issued_on),
    )
