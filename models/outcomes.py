"""Rules of process: what each decision does to a case, and the named guards that refuse one.

Pure, like `models/stages.py` (which moves are allowed) and `models/rules/admissibility.py` (what
the law requires of a report). The services apply these; the CLI and the flows read the
`StageResult` a service returns instead of working out again what happened. A guard returns the
Indonesian reason a person reads, or None when the decision may go ahead.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from models.enums import DecisionOutcome
from models.indonesian import tanggal
from models.inputs import ApprovalInput, FindingsInput, VerificationChoice, VerificationDecision
from models.letters.contexts import NoticeStatus
from models.rules.admissibility import CheckResult
from models.rules.deadlines import REPORTER_WINDOWS, RuleId
from models.stages import TERMINAL, CaseEvent, Stage
from models.tables import DeadlineStatus


@dataclass(frozen=True)
class Transition:
    target: Stage
    event: CaseEvent


class StageOutcome(StrEnum):
    MOVED = "moved"  # the step happened now
    ALREADY_DONE = "already_done"  # it had happened before: nothing repeated
    WAITING = "waiting"  # it cannot complete yet (mail not yet accepted); try again later
    ELSEWHERE = "elsewhere"  # the case is at another stage: this step does not apply


@dataclass(frozen=True)
class StageResult:
    """What a stage service did, and where the case stands."""

    stage: Stage
    outcome: StageOutcome
    case_id: int
    label: str  # the case as people know it: its Bawaslu number, else "laporan #7"

    @property
    def case_ref(self) -> str:
        """A reference every service accepts."""
        return str(self.case_id)


def settled(
    current: Stage,
    *,
    entering: Collection[Stage],
    steps: Collection[Transition],
    history: Collection[str],
) -> StageOutcome | None:
    """None when a step that starts from `entering` applies to a case at `current`. Otherwise
    the step was already done if the case stands where one of its `steps` led and that step's
    event is in the case's `history`; else the case is elsewhere."""
    if current in entering:
        return None
    done = any(current is step.target and step.event in history for step in steps)
    return StageOutcome.ALREADY_DONE if done else StageOutcome.ELSEWHERE


# --- kajian awal ---------------------------------------------------------------------------
VERIFICATION: dict[VerificationChoice, Transition] = {
    VerificationChoice.REGISTER: Transition(Stage.REGISTERED, CaseEvent.REGISTERED),
    VerificationChoice.COMPLETE: Transition(Stage.NEEDS_COMPLETION, CaseEvent.COMPLETION_REQUESTED),
    VerificationChoice.NOT_REGISTER: Transition(Stage.NOT_REGISTERED, CaseEvent.NOT_REGISTERED),
    VerificationChoice.FORWARD: Transition(Stage.FORWARDED, CaseEvent.FORWARDED),
    # Delegation hands the case to the other office's kajian awal: received again, there.
    VerificationChoice.DELEGATE: Transition(Stage.RECEIVED, CaseEvent.DELEGATED),
}
# What the reporter is told by a status notice (a completion request has its own letter).
VERIFICATION_NOTICE: dict[VerificationChoice, NoticeStatus] = {
    VerificationChoice.REGISTER: NoticeStatus.REGISTERED,
    VerificationChoice.NOT_REGISTER: NoticeStatus.NOT_REGISTERED,
    VerificationChoice.FORWARD: NoticeStatus.FORWARDED,
    VerificationChoice.DELEGATE: NoticeStatus.DELEGATED,
}


def notice_text(decision: VerificationDecision) -> str | None:
    """What the reporter's notice says beside the status: the reason a report was not
    registered, or where it went (forwarded, delegated). A registration names its number."""
    if decision.decision is VerificationChoice.REGISTER:
        return None
    if decision.decision is VerificationChoice.NOT_REGISTER:
        return decision.reason
    return decision.forward_to or decision.reason


def reason_missing(decision: VerificationDecision) -> str | None:
    """Not registering, forwarding or delegating a report must say why; a completion request
    names what the reporter must complete."""
    if decision.decision is VerificationChoice.COMPLETE:
        if not [item for item in decision.missing_items if item.strip()]:
            return "sebutkan kelengkapan yang diminta dari pelapor (missing_items / --item)"
        return None
    if decision.decision is not VerificationChoice.REGISTER and not decision.reason.strip():
        return "alasan wajib diisi bila laporan tidak diregistrasi, diteruskan, atau dilimpahkan"
    if decision.decision is VerificationChoice.FORWARD and not decision.target:
        return "sebutkan instansi tujuan penerusan (forward_to / --to)"
    if decision.decision is VerificationChoice.DELEGATE and not decision.target:
        return "sebutkan kantor Bawaslu tujuan pelimpahan (forward_to / --to, kunci kantornya)"
    return None


def delegation_refusal(target: str, *, current: str, known: Collection[str]) -> str | None:
    """Why the case cannot be delegated to the office `target` (Indonesian), or None."""
    if target not in known:
        return (
            f"kantor Bawaslu {target!r} tidak dikenal; yang terdaftar di config/offices.yaml: "
            + ", ".join(sorted(known))
        )
    if target == current:
        return "laporan sudah berada pada kantor tersebut; pilih kantor Bawaslu lain"
    return None


def registration_needs_reason(
    decision: VerificationDecision, checks: Collection[CheckResult]
) -> str | None:
    """Registering a report that fails the kajian awal checks is allowed, with a reason."""
    failed = [c.check for c in checks if not c.passed]
    if decision.decision is VerificationChoice.REGISTER and failed and not decision.reason.strip():
        return (
            "laporan tidak memenuhi syarat (" + ", ".join(failed) + "); "
            "registrasi tetap dapat dilakukan bila disertai alasan (--reason)"
        )
    return None


# --- completing an incomplete report (DOMAIN.md §2.2: not completed in time → not registered) --
REPORT_COMPLETED = Transition(Stage.RECEIVED, CaseEvent.REPORT_COMPLETED)
NOT_COMPLETED = Transition(Stage.NOT_REGISTERED, CaseEvent.NOT_REGISTERED)


def completion_refusal(*, is_laporan: bool, requested_before: bool) -> str | None:
    """Why the reporter cannot be asked to complete this report (Indonesian), or None. A temuan
    has no reporter to ask; a report is asked to be completed once."""
    if not is_laporan:
        return "temuan tidak dimintakan kelengkapan kepada pelapor; lengkapi temuan itu sendiri"
    if requested_before:
        return (
            "kelengkapan laporan ini sudah pernah diminta; putuskan registrasi atau tidak "
            "diregistrasi"
        )
    return None


def not_completed_reason(due: date) -> str:
    """Why a report the reporter did not complete in time is not registered."""
    return f"laporan tidak dilengkapi sampai batas waktu kelengkapan ({tanggal(due)})"


def amendment_mismatch(original: tuple[str, ...], amended: tuple[str, ...]) -> str | None:
    """A completed report stays the same report: same office, kind, election and reporter (as
    the report was first received, wherever the case has been delegated since)."""
    if original != amended:
        return (
            "laporan pengganti harus untuk kantor, jenis laporan, pemilihan dan pelapor yang "
            "sama dengan laporan semula"
        )
    return None


# --- clarification -------------------------------------------------------------------------
CLARIFICATION_SCHEDULED = Transition(Stage.CLARIFICATION, CaseEvent.CLARIFICATION_SCHEDULED)
CLARIFICATION_RECORDED = Transition(Stage.UNDER_REVIEW, CaseEvent.CLARIFICATION_RECORDED)


def heard_twice(parties: Sequence[str]) -> str | None:
    """One berita acara per person: two outcomes for one person would contradict each other."""
    twice = sorted({p for p in parties if list(parties).count(p) > 1})
    if twice:
        return f"hasil klarifikasi dicatat lebih dari sekali untuk: {', '.join(twice)}"
    return None


# --- kajian and recommendation -------------------------------------------------------------
RECOMMENDATION: dict[DecisionOutcome, Transition] = {
    DecisionOutcome.VIOLATION: Transition(
        Stage.AWAITING_APPROVAL, CaseEvent.RECOMMENDATION_DRAFTED
    ),
    DecisionOutcome.NO_VIOLATION: Transition(Stage.NOT_A_VIOLATION, CaseEvent.DISMISSED),
    DecisionOutcome.CRIME: Transition(Stage.TO_GAKKUMDU, CaseEvent.SENT_TO_GAKKUMDU),
}


def acts_missing(findings: FindingsInput) -> str | None:
    """A proven violation names the acts (their codes decide the sanction)."""
    if findings.violation and not findings.acts:
        return "kode pelanggaran (acts) wajib diisi bila terbukti melanggar"
    return None


def decision_outcome(findings: FindingsInput, *, crime: bool) -> DecisionOutcome:
    """Not proven → dismissed; an election crime → Gakkumdu; otherwise a violation to refer."""
    if not findings.violation:
        return DecisionOutcome.NO_VIOLATION
    return DecisionOutcome.CRIME if crime else DecisionOutcome.VIOLATION


def tells_reporter_at_decision(outcome: DecisionOutcome) -> bool:
    """A dismissal or a Gakkumdu route ends the case here: the reporter hears it now. A violation
    is told when the supervisor has approved the referral."""
    return outcome is not DecisionOutcome.VIOLATION


# --- approval ------------------------------------------------------------------------------
def approval_transition(approval: ApprovalInput) -> Transition:
    """The one approval rule's effect; the rule itself (a return needs a note) is
    `ApprovalInput`'s, wherever the decision comes from (CLI, Run form, pause form)."""
    if approval.approved:
        return Transition(Stage.APPROVED, CaseEvent.RECOMMENDATION_APPROVED)
    return Transition(Stage.UNDER_REVIEW, CaseEvent.RECOMMENDATION_RETURNED)


# --- referral and follow-up ----------------------------------------------------------------
REFERRAL = Transition(Stage.REFERRED, CaseEvent.REFERRED)
PPK_REMINDED = Transition(Stage.PPK_OVERDUE, CaseEvent.PPK_REMINDED)
PPK_DECIDED = Transition(Stage.CLOSED, CaseEvent.PPK_DECISION_RECORDED)
AWAITING_PPK: frozenset[Stage] = frozenset({Stage.REFERRED, Stage.PPK_OVERDUE})


def may_refer(stage: Stage, unsent: int) -> bool:
    """An approved case is referred once every one of its emails has been accepted; the PPK's
    follow-up period starts then."""
    return stage is Stage.APPROVED and unsent == 0


class FollowUp(StrEnum):
    REMIND_PPK = "remind_ppk"  # pengingat to the PPK; the reply period starts
    ESCALATE_TO_BKN = "escalate_to_bkn"  # ask BKN to block the SIASN record
    CLOSE_INCOMPLETE = "close_incomplete"  # the report was not completed: not registered


# What the sweep does when a deadline is missed while the case is at a stage.
ON_MISSED: dict[tuple[str, Stage], FollowUp] = {
    (RuleId.PPK_FOLLOWUP, Stage.REFERRED): FollowUp.REMIND_PPK,
    (RuleId.PPK_REMINDER_REPLY, Stage.PPK_OVERDUE): FollowUp.ESCALATE_TO_BKN,
    (RuleId.COMPLETION, Stage.NEEDS_COMPLETION): FollowUp.CLOSE_INCOMPLETE,
    # After KASN/BKN's recommendation (services/replies.py): reminded if not yet, else escalated.
    (RuleId.PPK_FOLLOWUP_RECOMMENDATION, Stage.REFERRED): FollowUp.REMIND_PPK,
    (RuleId.PPK_FOLLOWUP_RECOMMENDATION, Stage.PPK_OVERDUE): FollowUp.ESCALATE_TO_BKN,
}


def followup_for(rule: str, stage: Stage) -> FollowUp | None:
    """What a missed deadline sets off at this stage; nothing for any other rule."""
    return ON_MISSED.get((rule, stage))


def is_late(missed_rules: Collection[str], days_left: int | None) -> bool:
    """A case is late when one of the office's deadlines was missed or its next one is past; a
    late report (the reporter's window) is the reporter's, not the office's."""
    office_missed = any(rule not in REPORTER_WINDOWS for rule in missed_rules)
    return office_missed or (days_left is not None and days_left < 0)


# --- extending the decision deadline (UU 7/2017 Pasal 454(8); UU 1/2015 Pasal 134(6)) -------
# Stages in which the kajian is still to be decided: the only ones an extension applies to.
BEFORE_DECISION: frozenset[Stage] = frozenset(
    {Stage.REGISTERED, Stage.CLARIFICATION, Stage.UNDER_REVIEW}
)


def extension_refusal(
    decision: DeadlineStatus | None, extended_until: date | None, *, today: date, due: date | None
) -> str | None:
    """Why the decision deadline cannot be extended now (Indonesian), or None. The law allows
    one extension, decided before the deadline passes."""
    if extended_until is not None:
        return (
            f"batas waktu kajian sudah diperpanjang sampai {tanggal(extended_until)}; "
            "undang-undang tidak memberi perpanjangan kedua"
        )
    if decision is None or due is None:
        return "perkara ini belum mempunyai batas waktu kajian (belum diregistrasi)"
    if decision is not DeadlineStatus.OPEN or today > due:
        return (
            f"batas waktu kajian ({tanggal(due)}) sudah lewat atau selesai; perpanjangan "
            "diputuskan sebelum batas itu"
        )
    return None


def extension_start(
    start_event: str, *, received_on: date, registered_on: date, decision_due: date
) -> date:
    """The day the extension counts from, by its rule's start event: Pemilu from registration
    (the 14 working days replace the 7 days), Pilkada from the decision deadline (+2 days)."""
    starts = {
        "received_at": received_on,
        "registered": registered_on,
        "decision_due": decision_due,
    }
    return starts[start_event]


# --- correcting a recorded text (the original kept) -----------------------------------------
# What may be corrected, and until when: never after approval, when the letters that carry the
# text have been issued to outsiders.
_UNTIL_APPROVAL = frozenset(
    {
        Stage.RECEIVED,
        Stage.REGISTERED,
        Stage.CLARIFICATION,
        Stage.UNDER_REVIEW,
        Stage.AWAITING_APPROVAL,
    }
)
CORRECTABLE: dict[str, tuple[str, frozenset[Stage]]] = {
    "account": ("uraian kejadian", _UNTIL_APPROVAL),
    "summary": ("ringkasan kejadian", _UNTIL_APPROVAL),
    "place": ("tempat kejadian", _UNTIL_APPROVAL),
    "statement": (
        "keterangan klarifikasi",
        frozenset({Stage.UNDER_REVIEW, Stage.AWAITING_APPROVAL}),
    ),
    "reasoning": ("pertimbangan kajian", frozenset({Stage.AWAITING_APPROVAL})),
}


def correction_target(target: str) -> tuple[str, str | None]:
    """'statement:terlapor-0' -> ('statement', 'terlapor-0'); 'account' -> ('account', None)."""
    kind, _, party = target.partition(":")
    return kind, party or None


def correction_refusal(target: str, stage: Stage, text: str, reason: str) -> str | None:
    """Why this correction cannot be made (Indonesian), or None."""
    kind, party = correction_target(target)
    if kind not in CORRECTABLE:
        return (
            f"teks {target!r} tidak dapat dikoreksi; yang dapat: account, summary, place, "
            "statement:<pihak>, reasoning"
        )
    if (kind == "statement") != (party is not None):
        return (
            "keterangan klarifikasi dikoreksi per pihak: statement:terlapor-0, "
            "statement:saksi-0, ..."
        )
    label, stages = CORRECTABLE[kind]
    if stage not in stages:
        return f"{label} tidak dapat dikoreksi pada tahap '{stage.label}'"
    if not text.strip():
        return "teks pengganti tidak boleh kosong"
    if not reason.strip():
        return "alasan koreksi wajib diisi"
    return None


# --- the reporter's consent to disclosure (Perbawaslu 1/2022 Pasal 18(2)(b)) ----------------
def consent_refusal(*, is_laporan: bool, given_on: date, today: date, means: str) -> str | None:
    """Why this consent cannot be recorded (Indonesian), or None."""
    if not is_laporan:
        return "temuan tidak mempunyai pelapor yang dapat memberi persetujuan"
    if given_on > today:
        return f"tanggal persetujuan ({tanggal(given_on)}) belum tiba"
    if not means.strip():
        return "sebutkan bentuk persetujuan (mis. surat pernyataan tanggal ...)"
    return None


NO_CONSENT = "tidak ada persetujuan pelapor yang berlaku untuk ditarik"


# --- evidence added to a case after intake --------------------------------------------------
def evidence_refusal(stage: Stage, description: str) -> str | None:
    """Why evidence cannot be added to a case at `stage` (Indonesian), or None. A closed case
    takes no more evidence: nothing would weigh it."""
    if stage in TERMINAL:
        return f"perkara sudah berakhir pada tahap '{stage.label}'; bukti tidak dapat ditambahkan"
    if not description.strip():
        return "keterangan bukti wajib diisi"
    return None
