"""Waiting for the supervisor in a paused run (the Prefect UI's Resume form).

The case never depends on the run: past the configured wait it simply stays "awaiting approval"
in the database, the supervisor is reminded, and the "persetujuan" deployment (or `netra
approve`) carries it on later. The approval rule is `ApprovalInput`'s, the same as everywhere.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from prefect import apause_flow_run, get_run_logger
from prefect.exceptions import FlowPauseTimeout
from prefect.input import RunInput
from pydantic import Field, ValidationError

from adapters.db.views import case_view
from flows.case_page import approval_markdown
from flows.support import NETRA_TASK, deliver_task, late_answer
from models.inputs import ApprovalInput
from models.outcomes import StageResult
from models.report.parse import problems_from
from services.deps import get_deps, resolve_now
from services.supervision import remind_supervisor

PAUSE_MARGIN_SECONDS = 3600
remind_supervisor_task = NETRA_TASK(remind_supervisor)


class SupervisorDecision(RunInput):
    """The supervisor's answer in the UI's resume form. The choice has no default, so an
    untouched form cannot approve or return anything by accident."""

    decision: Literal["setujui", "kembalikan"] = Field(
        title="Keputusan", description="Setujui rekomendasi, atau kembalikan untuk dikaji ulang."
    )
    note: str = Field(default="", title="Catatan", description="Wajib bila dikembalikan")
    decided_by: str = Field(default="pimpinan", title="Nama pimpinan yang memutuskan")

    def as_approval(self) -> ApprovalInput:
        """The decision under the one approval rule (a return needs a note: ValidationError)."""
        return ApprovalInput(approved=self.decision == "setujui", note=self.note)


async def await_supervisor(recommended: StageResult) -> tuple[ApprovalInput, str] | None:
    """Pause for the supervisor's decision; None when none came in time (the supervisor is
    reminded) or the answer broke the approval rule (logged; the case waits as it was)."""
    deps, case_ref = get_deps(), recommended.case_ref
    view = case_view(deps.engine, case_ref)
    form = SupervisorDecision.with_initial_data(description=approval_markdown(view, deps))
    wait, key = deps.settings.approval_wait_seconds, f"persetujuan-{recommended.case_id}"
    logger = get_run_logger()
    try:
        # Our own limit, inside a longer server-side pause: a pause that expires on the server
        # forces the run to Failed, and waiting past the limit is a normal outcome here.
        answer = await asyncio.wait_for(
            apause_flow_run(
                wait_for_input=form,
                timeout=wait + PAUSE_MARGIN_SECONDS,
                poll_interval=max(1, min(10, wait // 4)),
                key=key,
            ),
            timeout=wait,
        )
    except (TimeoutError, FlowPauseTimeout):
        reminded = remind_supervisor_task(deps, case_ref, now=resolve_now(None))
        await deliver_task(case_ref)
        late = await late_answer(form, key)  # a Resume sent in the last moments still counts
        if late is None:
            logger.warning(
                "Belum ada keputusan pimpinan setelah %d detik; perkara tetap menunggu "
                "persetujuan%s.",
                wait,
                " dan pimpinan sudah diingatkan lewat surel" if reminded else "",
            )
            return None
        answer = late
    try:
        return answer.as_approval(), answer.decided_by
    except ValidationError as error:
        reasons = "; ".join(p.message for p in problems_from(error))
        logger.error("Keputusan pimpinan ditolak; perkara tetap menunggu persetujuan. %s", reasons)
        return None
