"""Waiting for the supervisor in a paused run (the Prefect UI's Resume form).

The case never depends on the run: past the configured wait it simply stays "awaiting approval"
in the database, the supervisor is reminded, and the "persetujuan" deployment (or `netra
approve`) carries it on later. The approval rule is `ApprovalInput`'s, the same as everywhere.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Literal
from uuid import UUID

from prefect import apause_flow_run, get_run_logger
from prefect.client.orchestration import get_client
from prefect.exceptions import FlowPauseTimeout
from prefect.input import RunInput
from prefect.input.run_input import keyset_from_paused_state
from prefect.runtime import flow_run
from prefect.states import Paused
from pydantic import Field, ValidationError

from adapters.db.views import case_view
from flows.case_page import approval_markdown
from flows.support import NETRA_TASK, acting, deliver_task
from models.access import Action, require
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
    decided_by: str = Field(
        title="Nama pengguna pimpinan",
        description="Akun Netra pimpinan kantor perkara ini yang memutuskan (bukan nama lengkap)",
    )

    def as_approval(self) -> ApprovalInput:
        """The decision under the one approval rule (a return needs a note: ValidationError)."""
        return ApprovalInput(approved=self.decision == "setujui", note=self.note)


async def await_supervisor(recommended: StageResult) -> tuple[ApprovalInput, str] | None:
    """Pause for the supervisor's decision; None when none came in time (the supervisor is then
    reminded). An answer that breaks the approval rule is refused in the log and the form is
    shown again, with the reason above it, for the rest of the wait."""
    deps, case_ref = get_deps(), recommended.case_ref
    view = case_view(deps.engine, case_ref)
    summary = approval_markdown(view, deps)
    wait = deps.settings.approval_wait_seconds
    ends = asyncio.get_running_loop().time() + wait
    logger, refusal = get_run_logger(), ""
    for attempt in itertools.count(1):
        form = SupervisorDecision.with_initial_data(description=refusal + summary)
        key = f"persetujuan-{recommended.case_id}-{attempt}"
        answer = await _answer(form, key, ends - asyncio.get_running_loop().time())
        if answer is None:
            reminded = remind_supervisor_task(deps, case_ref, now=resolve_now(None))
            await deliver_task(case_ref)
            logger.warning(
                "Belum ada keputusan pimpinan setelah %d detik; perkara tetap menunggu "
                "persetujuan%s.",
                wait,
                " dan pimpinan sudah diingatkan lewat surel" if reminded else "",
            )
            return None
        try:
            approval = answer.as_approval()
            require(acting(answer.decided_by), Action.APPROVE, view.case.office_key)
            return approval, answer.decided_by
        except ValidationError as error:
            reasons = "; ".join(p.message for p in problems_from(error))
        except (ValueError, PermissionError) as error:  # unknown user, or not a pimpinan here
            reasons = str(error)
        logger.error("Keputusan pimpinan ditolak; perkara tetap menunggu. %s", reasons)
        refusal = f"**Keputusan sebelumnya ditolak:** {reasons}\n\n"
    raise AssertionError("unreachable")


async def _answer(
    form: type[SupervisorDecision], key: str, seconds: float
) -> SupervisorDecision | None:
    """The supervisor's answer within `seconds`, including a Resume sent in the last moments."""
    if seconds > 0:
        try:
            # Our own limit, inside a longer server-side pause: a pause that expires on the
            # server forces the run to Failed, and waiting past the limit is a normal outcome.
            return await asyncio.wait_for(
                apause_flow_run(
                    wait_for_input=form,
                    timeout=int(seconds) + PAUSE_MARGIN_SECONDS,
                    poll_interval=max(1, min(10, int(seconds) // 4)),
                    key=key,
                ),
                timeout=seconds,
            )
        except (TimeoutError, FlowPauseTimeout):
            pass
    return await late_answer(form, key)


async def late_answer(form: type[SupervisorDecision], key: str) -> SupervisorDecision | None:
    """The input of a Resume that arrived after our own wait ended, if any."""
    async with get_client() as client:
        run = await client.read_flow_run(UUID(flow_run.id))
    if run.state is None or not run.state.is_running():
        return None
    return await form.aload(keyset_from_paused_state(Paused(pause_key=key)))
