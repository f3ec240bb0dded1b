"""`netra demo`: every sample report through every stage on embedded defaults.

SQLite under var/, Prefect's local mode, and an SMTP server on 127.0.0.1 that saves each message
as an .eml under var/mail/. Each case runs on its own timeline (a clock starting at received_at).
A second run finds every case where it stands and sends nothing again.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from rich.table import Table

from cli.context import Context, warn_placeholder_signers
from cli.prefect_env import configure_prefect
from cli.reading import read_report
from cli.render import console
from config.settings import SmtpSecurity
from models.report.parse import decode_report_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def run_demo(ctx: Context) -> None:
    from cli.local.mail_sink import MailSink
    from services.deps import use_settings

    configure_prefect(ctx.settings)
    warn_placeholder_signers(ctx.rulebook.offices)
    started = time.perf_counter()
    with MailSink(ctx.settings.mail_dir, port=0) as sink:
        # The flows run in this process: they take these settings, not the environment.
        local = {
            "smtp_host": "127.0.0.1",
            "smtp_port": sink.port,
            "smtp_security": SmtpSecurity.NONE,
            "evidence_inbox": SAMPLES / "reports",  # the samples name files beside them
        }
        use_settings(ctx.settings.model_copy(update=local))
        asyncio.run(_run_samples(ctx.actor))
        received = len(sink.messages)
    elapsed = time.perf_counter() - started
    print_summary(ctx, received, elapsed)


async def _run_samples(actor: str) -> None:
    from flows.process import process_case
    from models.inputs import CasePlan
    from services.deps import get_deps
    from services.submission import submit_report

    for plan_path in sorted((SAMPLES / "decisions").glob("*.yaml")):
        report = read_report(SAMPLES / "reports" / f"{plan_path.stem}.json")
        plan = CasePlan.model_validate(decode_report_text(plan_path.read_text(encoding="utf-8")))
        # Prefect gets the submission's number; the report stays in the case database.
        submission = submit_report(get_deps(), report, now=report.received_at)
        await process_case(submission, plan, replay_timeline=True, actor=actor)


def print_summary(ctx: Context, received: int, elapsed: float) -> None:
    from sqlmodel import Session, select

    from adapters.db.views import case_rows
    from models import labels
    from models.indonesian import tanggal
    from models.letters.decision import BAND_TEXT
    from models.tables import Letter, OutboxMessage, OutboxStatus
    from models.tables.proceedings import CaseDecision

    table = Table(
        "#",
        "Nomor perkara",
        "Tahap",
        "Tenggat berikut",
        "Rekomendasi",
        "Surat",
        "Surel terkirim",
        title="Demo Netra",
        title_justify="left",
    )
    with Session(ctx.engine) as session:
        for case, deadline in case_rows(ctx.engine):
            decision = session.exec(
                select(CaseDecision).where(CaseDecision.case_id == case.id)
            ).first()
            bands = (
                ", ".join(
                    f"{r.authority.value}: {BAND_TEXT[r.recommendation.band].lower()}"
                    for r in decision.rows
                )
                if decision
                else "-"
            )
            letters = session.exec(select(Letter).where(Letter.case_id == case.id)).all()
            sent = session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.case_id == case.id, OutboxMessage.status == OutboxStatus.SENT
                )
            ).all()
            due = "-"
            if deadline:
                due = f"{labels.label(labels.RULES, deadline.rule)}, {tanggal(deadline.due_on)}"
            table.add_row(
                str(case.id),
                case.case_number or "-",
                case.stage.label,
                due,
                bands,
                str(len(letters)),
                str(len(sent)),
            )
    console.print(table)
    console.print(f"Surat: {ctx.settings.letters_dir}  ·  Surel (.eml): {ctx.settings.mail_dir}")
    if received:
        console.print(f"{received} surel dikirim dalam jalankan ini ({elapsed:.1f} detik).")
    else:
        console.print(
            f"Tidak ada surel baru: semua surat sudah terkirim sebelumnya "
            f"({elapsed:.1f} detik). Ulangi dari awal dengan `make demo-reset`."
        )
