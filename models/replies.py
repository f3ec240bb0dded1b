"""Rules of process for the other side's replies after the referral (DOMAIN.md §2 items 6-7):
when a reply may be recorded, which replies contradict one already on record, and which of the
PPK's deadlines a reply replaces. Pure, like `models.outcomes`; a guard returns the Indonesian
reason a person reads, or None.

- An acknowledgement (KASN/BKN received the referral, with its SIAPNET/SBT number) is a fact:
  the PPK's clock stays as it is.
- KASN/BKN's recommendation re-anchors the PPK's follow-up to the recommendation's date (the PPK
  acts on the recommendation): the open PPK deadline is superseded, not moved.
- A PPK's refusal is escalation to BKN at once; the PPK's open deadlines no longer apply.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from models.enums import Authority
from models.indonesian import tanggal
from models.inputs import ReplyInput, ReplyKind
from models.outcomes import AWAITING_PPK, Transition
from models.rules.deadlines import RuleId
from models.rules.referral import ASN_AUTHORITIES, authority_name
from models.stages import CaseEvent, Stage
from models.tables import AuthorityReply

REPLY_EVENTS: dict[ReplyKind, CaseEvent] = {
    ReplyKind.ACKNOWLEDGED: CaseEvent.REFERRAL_ACKNOWLEDGED,
    ReplyKind.RECOMMENDATION: CaseEvent.AUTHORITY_RECOMMENDED,
    ReplyKind.PPK_REFUSED: CaseEvent.PPK_REFUSED,
}
# A refusal moves a referred case to "overdue or refused" (at PPK_OVERDUE it is only a fact).
PPK_REFUSAL = Transition(Stage.PPK_OVERDUE, CaseEvent.PPK_REFUSED)

# The key `Case.references` keeps each authority's number under (CONTRACTS §1 `references`).
REFERENCE_SYSTEMS: dict[Authority, str] = {Authority.BKN: "sbt", Authority.KASN: "siapnet"}

# The PPK's deadlines: the current follow-up (after a recommendation, else from the referral)
# and the reply to the reminder. A recommendation or a refusal supersedes the open ones.
FOLLOWUP_RULES: tuple[RuleId, ...] = (RuleId.PPK_FOLLOWUP_RECOMMENDATION, RuleId.PPK_FOLLOWUP)
PPK_CLOCK: frozenset[str] = frozenset({*FOLLOWUP_RULES, RuleId.PPK_REMINDER_REPLY})


def reply_stage_refusal(stage: Stage) -> str | None:
    """Replies answer a referral: only a referred case (waiting for, or late with, the PPK)."""
    if stage in AWAITING_PPK:
        return None
    return (
        f"tanggapan atas penerusan hanya dicatat setelah perkara diteruskan (tahap "
        f"'{Stage.REFERRED.label}' atau '{Stage.PPK_OVERDUE.label}'); perkara ini berada pada "
        f"tahap '{stage.label}'"
    )


def reply_date_refusal(replied_on: date, *, referred_on: date, today: date) -> str | None:
    """A reply is dated between the referral and today."""
    if replied_on > today:
        return f"tanggal tanggapan ({tanggal(replied_on)}) belum terjadi"
    if replied_on < referred_on:
        return (
            f"tanggal tanggapan ({tanggal(replied_on)}) sebelum tanggal surat penerusan "
            f"({tanggal(referred_on)})"
        )
    return None


def replying_party(reply: ReplyInput, referred_to: Collection[Authority]) -> Authority | None:
    """Who replied: the PPK for a refusal; else the authority given, or the one the case was
    referred to (None when it went to no ASN authority)."""
    if reply.kind is ReplyKind.PPK_REFUSED:
        return Authority.PPK
    if reply.authority is not None:
        return reply.authority
    return next((a for a in sorted(referred_to) if a in ASN_AUTHORITIES), None)


def authority_refusal(
    kind: ReplyKind,
    party: Authority | None,
    referred_to: Collection[Authority],
    *,
    replied_on: date,
    switch_date: date,
) -> str | None:
    """KASN/BKN reply only to a referral made to them. A KASN referral received but not
    processed passed to BKN (SE MenPANRB 4/2024), so BKN may answer it; KASN answers nothing
    after the switch date, when its role passed to BKN."""
    if kind is ReplyKind.PPK_REFUSED:
        return None
    if party is None or not ASN_AUTHORITIES & set(referred_to):
        return "perkara ini tidak diteruskan kepada KASN/BKN; tidak ada tanggapan instansi"
    if party is Authority.KASN and Authority.KASN not in referred_to:
        return "perkara ini diteruskan kepada BKN, bukan KASN"
    if party is Authority.KASN and replied_on >= switch_date:
        return (
            f"sejak {tanggal(switch_date)} kewenangan KASN atas netralitas beralih kepada BKN; "
            "tanggapan KASN bertanggal sesudahnya tidak dapat dicatat"
        )
    return None


def is_same_reply(row: AuthorityReply, reply: ReplyInput, party: Authority | None) -> bool:
    """The reply already on record, as given again: recording it is a no-op."""
    return (row.kind, row.authority, row.replied_on) == (reply.kind, party, reply.date) and (
        (row.reference or "", row.number or "", row.sanction or "", row.reason or "")
        == (reply.reference, reply.number, reply.sanction, reply.reason)
    )


def conflict_refusal(
    reply: ReplyInput, party: Authority | None, recorded: Sequence[AuthorityReply]
) -> str | None:
    """A reply that contradicts one on record is refused, not taken as a correction: one
    acknowledgement per authority, one recommendation and one refusal per case."""
    for row in recorded:
        if row.kind is not reply.kind:
            continue
        if reply.kind is ReplyKind.ACKNOWLEDGED and row.authority is not party:
            continue
        return (
            f"{_what(row)} sudah tercatat ({_summary(row)}); tanggapan yang berbeda tidak "
            "dicatat. Bila yang tercatat keliru, hubungi administrator."
        )
    return None


def reference_conflict(
    references: Mapping[str, str], party: Authority | None, reference: str
) -> str | None:
    """The case already has another number in the same system (from the report, or recorded)."""
    system = REFERENCE_SYSTEMS.get(party) if party else None
    recorded = references.get(system) if system else None
    if recorded and recorded != reference:
        return f"nomor {system.upper() if system else ''} perkara ini sudah tercatat: {recorded}"
    return None


def follows_reply(kind: ReplyKind, stage: Stage) -> Transition | None:
    """The move a reply makes: only a refusal of a case still waiting for the PPK."""
    if kind is ReplyKind.PPK_REFUSED and stage is Stage.REFERRED:
        return PPK_REFUSAL
    return None


def _what(row: AuthorityReply) -> str:
    return {
        ReplyKind.ACKNOWLEDGED: f"tanda terima {authority_name(row.authority)}",
        ReplyKind.RECOMMENDATION: "rekomendasi instansi",
        ReplyKind.PPK_REFUSED: "penolakan PPK",
    }[row.kind]


def _summary(row: AuthorityReply) -> str:
    detail = {
        ReplyKind.ACKNOWLEDGED: f"nomor {row.reference}",
        ReplyKind.RECOMMENDATION: f"{authority_name(row.authority)} Nomor {row.number}",
        ReplyKind.PPK_REFUSED: f"alasan: {row.reason}",
    }[row.kind]
    return f"{detail}, tanggal {tanggal(row.replied_on)}"
