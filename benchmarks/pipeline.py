"""Cost of one case's whole path (7 stages, 12 letters, 8 emails) in the stage services, without
Prefect: what the business logic costs, so Prefect's share of the demo's time is known."""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.run import reports
from cli.local.mail_sink import MailSink
from config.settings import Settings, SmtpSecurity
from models.inputs import (
    ApprovalInput,
    FindingsInput,
    HearingOutcome,
    HearingSchedule,
    VerificationChoice,
    VerificationDecision,
)
from models.report.model import Report
from models.report.parse import parse_report
from services.approval import approve_recommendation
from services.clarification import invite_for_clarification, record_clarification
from services.deps import Deps, build_deps
from services.intake import intake_report
from services.notification import deliver_mail, mark_referred
from services.recommendation import recommend_sanction
from services.verification import verify_case
from tests.support.actors import staff

SCHEDULE = HearingSchedule.model_validate(
    {"date": "2024-10-16", "time": "10:00", "place": "Kantor"}
)
HEARD = [
    HearingOutcome(party="terlapor-0", attended=True),
    HearingOutcome(party="saksi-0", attended=False),
]
FINDINGS = FindingsInput(acts=["SKB-B4"])
# Days after intake at which each stage acts (the same timeline for both paths of benchmarks.scale).
DAYS = {"verify": 1, "clarify": 1.2, "hearing": 2.3, "recommend": 2.5, "approve": 2.6}


async def whole_path(deps: Deps, report: Report, *, intake_at: datetime) -> str:
    """One case from intake to its letters emailed and the case referred, by the stage services
    alone (no Prefect); returns the case id."""
    t = intake_at
    case = str(intake_report(deps, report, actor=staff("b"), now=t).case.id)
    register = VerificationDecision(decision=VerificationChoice.REGISTER)
    verify_case(deps, case, register, actor=staff("b"), now=t + timedelta(days=DAYS["verify"]))
    invite_for_clarification(
        deps, case, SCHEDULE, actor=staff("b"), now=t + timedelta(days=DAYS["clarify"])
    )
    record_clarification(
        deps, case, HEARD, actor=staff("b"), now=t + timedelta(days=DAYS["hearing"])
    )
    recommend_sanction(
        deps, case, FINDINGS, actor=staff("b"), now=t + timedelta(days=DAYS["recommend"])
    )
    approval = ApprovalInput(approved=True)
    approve_recommendation(
        deps, case, approval, actor=staff("k"), now=t + timedelta(days=DAYS["approve"])
    )
    await deliver_mail(deps, case)
    mark_referred(deps, case, actor=staff("s"), now=t + timedelta(days=DAYS["approve"]))
    return case


async def run(n: int) -> None:
    with tempfile.TemporaryDirectory() as folder, MailSink(Path(folder) / "mail") as sink:
        settings = Settings(
            var_dir=Path(folder) / "var", smtp_port=sink.port, smtp_security=SmtpSecurity.NONE
        )
        deps = build_deps(settings)
        ppu = [
            parse_report(d)
            for d in reports(n * 6)
            if d["office"].endswith("paser-utara")
            and d["kind"] == "laporan"
            and d["reported"][0]["employment"] == "PNS"
        ][:n]
        started = time.perf_counter()
        for report in ppu:
            await whole_path(deps, report, intake_at=report.received_at)
        seconds = time.perf_counter() - started
        print(
            f"whole path without Prefect: {len(ppu)} cases, {len(sink.messages)} emails, "
            f"{seconds / len(ppu) * 1000:.0f} ms/case, {len(ppu) / seconds * 3600:.0f} cases/hour"
        )


if __name__ == "__main__":
    asyncio.run(run(10))
