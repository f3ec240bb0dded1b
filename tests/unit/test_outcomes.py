"""The rules of process (models/outcomes.py): what each decision does and the guards that refuse
one, without a database."""

from __future__ import annotations

import pytest

from models.enums import DecisionOutcome
from models.inputs import (
    APPROVAL_REFUSED,
    ApprovalInput,
    FindingsInput,
    VerificationChoice,
    VerificationDecision,
    approval_refusal,
)
from models.letters.contexts import NoticeStatus
from models.outcomes import (
    CLARIFICATION_RECORDED,
    RECOMMENDATION,
    REFERRAL,
    VERIFICATION,
    VERIFICATION_NOTICE,
    FollowUp,
    StageOutcome,
    acts_missing,
    approval_transition,
    decision_outcome,
    followup_for,
    heard_twice,
    is_late,
    may_refer,
    notice_text,
    reason_missing,
    registration_needs_reason,
    settled,
    tells_reporter_at_decision,
)
from models.rules.admissibility import CheckResult
from models.stages import ALLOWED_MOVES, CaseEvent, Stage


def _decision(
    choice: VerificationChoice, reason: str = "", to: str | None = None
) -> VerificationDecision:
    return VerificationDecision(decision=choice, reason=reason, forward_to=to)


def _check(passed: bool, name: str = "bukti") -> CheckResult:
    return CheckResult(
        check=name, kind="materiel", passed=passed, field="evidence", basis="x", reason="r"
    )


def test_every_transition_of_the_tables_is_an_allowed_move() -> None:
    tables = [*VERIFICATION.items(), *RECOMMENDATION.items()]
    starts = {VerificationChoice: Stage.RECEIVED, DecisionOutcome: Stage.UNDER_REVIEW}
    for key, transition in tables:
        assert transition.target in ALLOWED_MOVES[starts[type(key)]], key
    assert CLARIFICATION_RECORDED.target in ALLOWED_MOVES[Stage.CLARIFICATION]
    assert REFERRAL.target in ALLOWED_MOVES[Stage.APPROVED]


def test_each_verification_choice_has_its_stage_event_and_notice() -> None:
    assert VERIFICATION[VerificationChoice.REGISTER].event is CaseEvent.REGISTERED
    # A delegated case is received again, by the other office.
    delegated = VERIFICATION[VerificationChoice.DELEGATE]
    assert (delegated.target, delegated.event) == (Stage.RECEIVED, CaseEvent.DELEGATED)
    assert VERIFICATION_NOTICE[VerificationChoice.DELEGATE] is NoticeStatus.DELEGATED
    assert VERIFICATION[VerificationChoice.COMPLETE].target is Stage.NEEDS_COMPLETION
    assert set(VERIFICATION) == set(VerificationChoice)
    # A completion request has its own letter, not a status notice.
    assert set(VERIFICATION_NOTICE) == set(VerificationChoice) - {VerificationChoice.COMPLETE}


def test_only_registering_needs_no_reason() -> None:
    assert reason_missing(_decision(VerificationChoice.REGISTER)) is None
    for choice in (VerificationChoice.NOT_REGISTER, VerificationChoice.FORWARD):
        assert "alasan wajib diisi" in (reason_missing(_decision(choice, " ")) or "")
    assert reason_missing(_decision(VerificationChoice.NOT_REGISTER, "lewat waktu")) is None
    assert "instansi tujuan" in (reason_missing(_decision(VerificationChoice.FORWARD, "x")) or "")
    assert reason_missing(_decision(VerificationChoice.FORWARD, "x", to="Bupati")) is None
    asked = VerificationDecision(decision=VerificationChoice.COMPLETE, missing_items=["bukti"])
    assert reason_missing(asked) is None
    assert "sebutkan kelengkapan" in (
        reason_missing(asked.model_copy(update={"missing_items": []})) or ""
    )


def test_registering_a_report_that_fails_a_check_needs_a_reason() -> None:
    failing = [_check(True, "identitas_pelapor"), _check(False, "bukti")]
    refusal = registration_needs_reason(_decision(VerificationChoice.REGISTER), failing)
    assert refusal is not None and "(bukti)" in refusal and "--reason" in refusal
    with_reason = _decision(VerificationChoice.REGISTER, "bukti menyusul")
    assert registration_needs_reason(with_reason, failing) is None
    assert registration_needs_reason(_decision(VerificationChoice.REGISTER), [_check(True)]) is None


def test_the_reporters_notice_says_why_or_where() -> None:
    assert notice_text(_decision(VerificationChoice.REGISTER, "ok")) is None
    assert notice_text(_decision(VerificationChoice.NOT_REGISTER, "lewat")) == "lewat"
    forwarded = _decision(VerificationChoice.FORWARD, "bukan ASN", to="Bupati")
    assert notice_text(forwarded) == "Bupati"
    assert notice_text(_decision(VerificationChoice.DELEGATE, "Bawaslu Provinsi")) == (
        "Bawaslu Provinsi"
    )


def test_a_proven_violation_names_its_acts() -> None:
    assert acts_missing(FindingsInput(acts=[])) is not None
    assert acts_missing(FindingsInput(violation=False)) is None
    assert acts_missing(FindingsInput(acts=["SKB-B4"])) is None


@pytest.mark.parametrize(
    ("violation", "crime", "outcome"),
    [
        (False, True, DecisionOutcome.NO_VIOLATION),
        (True, True, DecisionOutcome.CRIME),
        (True, False, DecisionOutcome.VIOLATION),
    ],
)
def test_decision_outcome(violation: bool, crime: bool, outcome: DecisionOutcome) -> None:
    findings = FindingsInput(violation=violation, acts=["SKB-B4"] if violation else [])
    assert decision_outcome(findings, crime=crime) is outcome
    assert tells_reporter_at_decision(outcome) is (outcome is not DecisionOutcome.VIOLATION)


def test_approval_moves_forward_or_back() -> None:
    assert approval_transition(ApprovalInput(approved=True)).target is Stage.APPROVED
    returned = approval_transition(ApprovalInput(approved=False, note="Lengkapi"))
    assert (returned.target, returned.event) == (
        Stage.UNDER_REVIEW,
        CaseEvent.RECOMMENDATION_RETURNED,
    )
    assert approval_refusal(False, "  ") == APPROVAL_REFUSED
    assert approval_refusal(False, "Lengkapi") is None and approval_refusal(True, "") is None


def test_a_case_is_referred_only_when_approved_and_all_mail_is_accepted() -> None:
    assert may_refer(Stage.APPROVED, 0)
    assert not may_refer(Stage.APPROVED, 1)
    assert not may_refer(Stage.AWAITING_APPROVAL, 0)


def test_settled_tells_already_done_from_elsewhere_by_the_history() -> None:
    register = VERIFICATION[VerificationChoice.REGISTER]
    received = {Stage.RECEIVED}
    assert settled(Stage.RECEIVED, entering=received, steps=[register], history=[]) is None
    done = settled(
        Stage.REGISTERED, entering=received, steps=[register], history=["CaseRegistered"]
    )
    assert done is StageOutcome.ALREADY_DONE
    # Moved on since: the step is not repeated, and the case is no longer where it led.
    later = settled(
        Stage.CLARIFICATION, entering=received, steps=[register], history=["CaseRegistered"]
    )
    assert later is StageOutcome.ELSEWHERE
    # Standing where the step leads, but never through it (a return never drafted).
    returned = approval_transition(ApprovalInput(approved=False, note="x"))
    never = settled(
        Stage.UNDER_REVIEW,
        entering={Stage.AWAITING_APPROVAL},
        steps=[returned],
        history=["CaseReceived", "CaseRegistered", "ClarificationRecorded"],
    )
    assert never is StageOutcome.ELSEWHERE


def test_missed_ppk_deadlines_set_off_a_reminder_then_an_escalation() -> None:
    assert followup_for("ppk_followup", Stage.REFERRED) is FollowUp.REMIND_PPK
    assert followup_for("ppk_reminder_reply", Stage.PPK_OVERDUE) is FollowUp.ESCALATE_TO_BKN
    assert followup_for("ppk_followup", Stage.PPK_OVERDUE) is None  # reminded already
    assert followup_for("kajian_awal", Stage.RECEIVED) is None
    assert followup_for("aturan_kantor_sendiri", Stage.REFERRED) is None  # any rule id


def test_late_means_the_office_missed_a_deadline_or_its_next_is_past() -> None:
    assert is_late({"kajian_awal"}, 3)
    assert is_late(set(), -1)
    assert not is_late(set(), 0)
    assert not is_late({"report_window"}, 2)  # the reporter was late, not the office
    assert not is_late({"temuan_window"}, None)


def test_one_outcome_per_person_heard() -> None:
    assert heard_twice(["terlapor-0", "saksi-0"]) is None
    refusal = heard_twice(["terlapor-0", "saksi-0", "terlapor-0"])
    assert refusal == "hasil klarifikasi dicatat lebih dari sekali untuk: terlapor-0"
