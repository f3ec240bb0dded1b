"""What the public site shows and accepts, as pure rules: the receipt number a citizen is given
for a laporan filed online, the lookup code's alphabet, which events of a case the public may
see, and which kajian awal outcomes an office publishes. No personal data passes through here:
only case numbers, stages, event names and dates."""

from __future__ import annotations

import re

from models.stages import CaseEvent

RECEIPT_PREFIX = "NTR"  # nomor tanda terima: the same on the letter and on the public site
# No 0/O, 1/I/L: a code read aloud or copied from paper is typed right. 31 symbols ** 10 is
# about 2 ** 49.5: with the lookup throttled, guessing one code is out of reach.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
LOOKUP_PATH = "/lacak"

_NUMBER = re.compile(rf"^{RECEIPT_PREFIX}0*([1-9][0-9]{{0,11}})$")
_SEPARATORS = re.compile(r"[\s\-]+")

# The events a reporter may follow, with their dates: the stage moves of the procedure. Left
# out: links to other cases, corrections, consent, evidence, reminders, missed deadlines and
# the authority's replies (they name or concern other people, or are the office's own work).
PUBLIC_EVENTS: frozenset[str] = frozenset(
    {
        CaseEvent.RECEIVED,
        CaseEvent.COMPLETION_REQUESTED,
        CaseEvent.REPORT_COMPLETED,
        CaseEvent.REGISTERED,
        CaseEvent.NOT_REGISTERED,
        CaseEvent.FORWARDED,
        CaseEvent.DELEGATED,
        CaseEvent.CLARIFICATION_SCHEDULED,
        CaseEvent.CLARIFICATION_RECORDED,
        CaseEvent.DECISION_EXTENDED,
        CaseEvent.DISMISSED,
        CaseEvent.SENT_TO_GAKKUMDU,
        CaseEvent.RECOMMENDATION_APPROVED,
        CaseEvent.REFERRED,
        CaseEvent.PPK_DECISION_RECORDED,
    }
)

# The kajian awal's results as the public list shows them (SIGAPLAPOR publishes the same): the
# event that ended the kajian awal, and its words. The reason is the officer's free text (it may
# name people): never shown.
KAJIAN_RESULTS: dict[str, str] = {
    CaseEvent.REGISTERED: "Diregistrasi",
    CaseEvent.NOT_REGISTERED: "Tidak diregistrasi",
    CaseEvent.FORWARDED: "Tidak diregistrasi: diteruskan ke instansi yang berwenang",
}


def receipt_number(case_id: int) -> str:
    """The report's number on its tanda terima (letter and receipt page): `NTR-00042`, the
    case's own sequence."""
    return f"{RECEIPT_PREFIX}-{case_id:05d}"


def case_of_receipt(text: str) -> int | None:
    """The case a receipt number names (spaces, case and leading zeros forgiven), or None."""
    found = _NUMBER.match(normal_code(text))
    return int(found.group(1)) if found else None


def normal_code(text: str) -> str:
    """A lookup code as typed (any case, spaces or dashes between groups) in its stored form."""
    return _SEPARATORS.sub("", text).upper()


def shown_code(code: str) -> str:
    """A code as the receipt prints it: two groups of five (`ABCDE-FGHJK`)."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def lookup_url(public_url: str) -> str:
    return public_url.rstrip("/") + LOOKUP_PATH
