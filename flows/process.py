"""`process_case`: the automatic path of one report, every stage its plan allows, in order.
Re-running resumes: each stage finds the case where it stands."""

from __future__ import annotations

from datetime import datetime, timedelta

from prefect import flow

from flows.stages import (
    approval_flow,
    clarification_flow,
    clarification_record_flow,
    intake_flow,
    notification_flow,
    recommendation_flow,
    verification_flow,
)
from models.inputs import CasePlan
from models.outcomes import StageResult
from models.stages import Stage
from services.deps import get_deps
from services.submission import submission_received_at


@flow(name="proses-perkara", flow_run_name="proses-kiriman-{submission}")
async def process_case(
    submission: int, plan: CasePlan, replay_timeline: bool = False, actor: str = ""
) -> StageResult:
    """The automatic path of a submitted report (`services.submission`): every stage the plan
    allows, in order, by the plan's investigator and supervisor (Netra user names), else by
    `actor`. Re-running resumes."""
    received_at = submission_received_at(get_deps(), submission)

    def at(days: float) -> datetime | None:
        return received_at + timedelta(days=days) if replay_timeline else None

    who, supervisor, times = plan.investigator or actor, plan.supervisor or actor, plan.times
    case = str(await intake_flow(submission, who, now=at(0)))
    result = await verification_flow(case, plan.verification, who, at(times.verification))
    if result.stage is Stage.REGISTERED and plan.clarification:
        result = await clarification_flow(case, plan.clarification, who, at(times.clarification))
    if result.stage is Stage.CLARIFICATION and plan.clarification_outcomes:
        result = await clarification_record_flow(
            case, plan.clarification_outcomes, who, at(times.clarification_record)
        )
    if result.stage is Stage.UNDER_REVIEW and plan.findings:
        result = await recommendation_flow(case, plan.findings, who, at(times.recommendation))
    if result.stage is Stage.AWAITING_APPROVAL and plan.approval:
        result = await approval_flow(case, plan.approval, supervisor, at(times.approval))
    if result.stage is Stage.APPROVED:
        result = await notification_flow(case, "sistem", at(times.notification))
    return result
