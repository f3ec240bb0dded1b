"""One command per stage; each runs its Prefect flow (locally, or on PREFECT_API_URL if set)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError

from cli import render
from cli.context import build_context
from cli.prefect_env import configure_prefect
from cli.reading import read_report, read_text
from models.inputs import (
    ApprovalInput,
    FindingsInput,
    HearingOutcome,
    HearingSchedule,
    PpkDecisionInput,
    VerificationChoice,
    VerificationDecision,
)
from models.problems import ReportRejected
from models.report.parse import decode_report_text, problems_from
from models.stages import Stage

CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="ID atau nomor perkara.")]


def run_flow(make: Any, *args: Any, **kwargs: Any) -> Any:
    """Import Prefect only now (it is slow to import), then run the flow to completion."""
    configure_prefect(build_context().settings)
    import flows.stages as pipeline

    coroutine: Coroutine[Any, Any, Any] = getattr(pipeline, make)(*args, **kwargs)
    try:
        return asyncio.run(coroutine)
    except (ValueError, LookupError, RuntimeError) as error:
        # Domain refusals (IllegalMove, ConfidentialityBreach, ConcurrentChange, SMTP settings):
        # the stage's transaction was rolled back, so nothing of this command was recorded.
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None


def read_model(path: Path, model: Any) -> Any:
    """Read a YAML/JSON file into `model`, with Indonesian problems on failure."""
    try:
        data = decode_report_text(read_text(path), filename=path.name)
        return TypeAdapter(model).validate_python(data)
    except ValidationError as error:
        render.print_problems(f"Berkas {path} tidak valid", problems_from(error))
    except ReportRejected as error:
        render.print_problems(f"Berkas {path} tidak dapat dibaca", error.problems)
    raise typer.Exit(code=2)


def report_stage(case_ref: str, stage: Any, expected: set[Stage] | None = None) -> None:
    """Show where the case stands; a command that could not apply to the case exits 2."""
    from adapters.db.views import case_view

    view = case_view(build_context().engine, case_ref)
    render.console.print(
        f"Perkara #{view.case.id} {view.case.case_number or ''}: tahap [bold]{stage.label}[/]"
    )
    render.print_correspondence(view.case.id or 0, build_context().engine)
    if expected is not None and stage not in expected:
        render.err_console.print(
            f"[yellow]Perintah ini tidak mengubah apa pun:[/] perkara berada pada tahap "
            f"'{stage.label}'."
        )
        raise typer.Exit(code=2)


def register(app: typer.Typer) -> None:
    actor = build_context().actor

    @app.command()
    def verify(
        case_ref: CaseArg,
        decision: Annotated[VerificationChoice, typer.Option(help="Keputusan.")],
        reason: Annotated[str, typer.Option(help="Alasan.")] = "",
        to: Annotated[str | None, typer.Option(help="Diteruskan kepada.")] = None,
    ) -> None:
        """Kajian awal: registrasi, tidak diregistrasi, diteruskan, atau dilimpahkan."""
        choice = VerificationDecision(decision=decision, reason=reason, forward_to=to)
        targets = {
            VerificationChoice.REGISTER: Stage.REGISTERED,
            VerificationChoice.NOT_REGISTER: Stage.NOT_REGISTERED,
            VerificationChoice.FORWARD: Stage.FORWARDED,
            VerificationChoice.DELEGATE: Stage.DELEGATED,
        }
        stage = run_flow("verification_flow", case_ref, choice, actor)
        report_stage(case_ref, stage, {targets[decision]})

    @app.command()
    def clarify(
        case_ref: CaseArg,
        date: Annotated[str, typer.Option(help="Tanggal (TTTT-BB-HH).")],
        time: Annotated[str, typer.Option(help="Jam (JJ:MM), waktu setempat.")],
        place: Annotated[str, typer.Option(help="Tempat.")],
    ) -> None:
        """Kirim undangan klarifikasi kepada terlapor dan saksi."""
        try:
            schedule = HearingSchedule.model_validate({"date": date, "time": time, "place": place})
        except ValidationError as error:
            render.print_problems("Jadwal tidak valid", problems_from(error))
            raise typer.Exit(code=2) from None
        stage = run_flow("clarification_flow", case_ref, schedule, actor)
        report_stage(case_ref, stage, {Stage.CLARIFICATION})

    @app.command("record-clarification")
    def record_clarification(
        case_ref: CaseArg,
        outcomes: Annotated[Path, typer.Option(help="Berkas YAML/JSON hasil klarifikasi.")],
    ) -> None:
        """Catat hasil klarifikasi (Berita Acara)."""
        parsed = read_model(outcomes, list[HearingOutcome])
        stage = run_flow("clarification_record_flow", case_ref, parsed, actor)
        report_stage(case_ref, stage, {Stage.UNDER_REVIEW})

    @app.command()
    def recommend(
        case_ref: CaseArg,
        findings: Annotated[Path, typer.Option(help="Berkas hasil kajian (CONTRACTS §2).")],
    ) -> None:
        """Kajian dugaan pelanggaran dan rekomendasi sanksi (menunggu persetujuan)."""
        parsed = read_model(findings, FindingsInput)
        stage = run_flow("recommendation_flow", case_ref, parsed, actor)
        report_stage(
            case_ref, stage, {Stage.AWAITING_APPROVAL, Stage.NOT_A_VIOLATION, Stage.TO_GAKKUMDU}
        )

    @app.command()
    def approve(
        case_ref: CaseArg,
        return_note: Annotated[
            str | None, typer.Option("--return", help="Kembalikan dengan catatan.")
        ] = None,
        note: Annotated[str, typer.Option(help="Catatan persetujuan.")] = "",
    ) -> None:
        """Persetujuan pimpinan atas rekomendasi (atau kembalikan dengan catatan)."""
        try:
            approval = ApprovalInput(approved=return_note is None, note=return_note or note)
        except ValidationError:
            render.err_console.print("[red]Gagal:[/] catatan wajib diisi bila dikembalikan.")
            raise typer.Exit(code=2) from None
        stage = run_flow("approval_flow", case_ref, approval, actor)
        report_stage(case_ref, stage, {Stage.APPROVED if approval.approved else Stage.UNDER_REVIEW})

    @app.command()
    def notify(case_ref: CaseArg) -> None:
        """Kirim surat yang menunggu; perkara diteruskan bila semua terkirim."""
        stage = run_flow("notification_flow", case_ref, actor)
        if stage is Stage.APPROVED:
            render.err_console.print(
                "Sebagian surel belum terkirim (server surel tidak dapat "
                "dihubungi atau menolak); ulangi `netra notify` nanti."
            )
        report_stage(case_ref, stage, {Stage.NOTIFIED, Stage.APPROVED})

    @app.command()
    def sweep(
        at: Annotated[
            str | None, typer.Option(help="Waktu acuan ISO 8601 (bawaan: sekarang).")
        ] = None,
    ) -> None:
        """Sapu tenggat: pengingat, tenggat terlewat, pengingat PPK, eskalasi ke BKN."""
        from datetime import datetime

        now = datetime.fromisoformat(at) if at else None
        report = run_flow("sweep_flow", now)
        render.console.print(
            f"Pengingat: {len(report.reminded)} · tenggat terlewat: {len(report.missed)} · "
            f"pengingat PPK: {len(report.ppk_reminders)} · eskalasi BKN: "
            f"{len(report.escalations)}"
        )
        for label in report.missed:
            render.console.print(f"  terlewat: {label}")

    @app.command("ppk-decision")
    def ppk_decision(
        case_ref: CaseArg,
        sanction: Annotated[str, typer.Option(help="Sanksi yang dijatuhkan.")],
        decree_number: Annotated[str, typer.Option(help="Nomor keputusan PPK.")],
        decree_date: Annotated[str, typer.Option(help="Tanggal (TTTT-BB-HH).")],
    ) -> None:
        """Catat keputusan PPK (sanksi, nomor dan tanggal keputusan); perkara selesai."""
        try:
            decision = PpkDecisionInput.model_validate(
                {"sanction": sanction, "decree_number": decree_number, "decree_date": decree_date}
            )
        except ValidationError as error:
            render.print_problems("Keputusan PPK tidak valid", problems_from(error))
            raise typer.Exit(code=2) from None
        stage = run_flow("ppk_decision_flow", case_ref, decision, actor)
        report_stage(case_ref, stage, {Stage.CLOSED})

    @app.command("mail-retry")
    def mail_retry(case_ref: CaseArg) -> None:
        """Antrekan lagi surel yang ditolak server (setelah alamat/pengaturan dibetulkan)."""
        from services.deps import build_deps
        from services.notification import retry_undelivered

        count = retry_undelivered(build_deps(build_context().settings), case_ref)
        render.console.print(f"{count} surel diantrekan lagi; jalankan `netra notify {case_ref}`.")

    @app.command("mail-resolve")
    def mail_resolve(
        key: Annotated[str, typer.Argument(help="Kunci surel (lihat netra show).")],
        delivered: Annotated[
            bool,
            typer.Option(
                "--delivered/--not-delivered",
                help="Hasil pemeriksaan: surel sudah diterima atau belum.",
            ),
        ],
    ) -> None:
        """Putuskan surel yang terhenti saat dikirim (status 'sending'); tidak dikirim otomatis."""
        from sqlmodel import select

        from adapters.db.engine import unit_of_work
        from adapters.db.outbox import resolve_stuck
        from models.tables import OutboxMessage

        with unit_of_work(build_context().engine) as session:
            row = session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first()
            if row is None or row.id is None:
                render.err_console.print(f"surel '{key}' tidak ditemukan")
                raise typer.Exit(code=1)
            if not resolve_stuck(session, row.id, delivered=delivered, now=build_context().now()):
                render.err_console.print(
                    f"surel '{key}' tidak sedang terhenti (status {row.status})"
                )
                raise typer.Exit(code=2)
        render.console.print("dicatat terkirim" if delivered else "diantrekan untuk dikirim lagi")

    @app.command()
    def process(
        report: Annotated[Path, typer.Argument(help="Berkas laporan.")],
        decisions: Annotated[Path, typer.Option(help="Berkas keputusan (YAML).")],
        replay: Annotated[
            bool, typer.Option(help="Pakai garis waktu perkara sendiri (mulai received_at).")
        ] = False,
    ) -> None:
        """Seluruh tahap untuk satu laporan sesuai berkas keputusan."""
        from flows.stages import Decisions

        try:
            parsed_report = read_report(report)
        except ReportRejected as error:
            render.print_problems("Laporan ditolak", error.problems)
            raise typer.Exit(code=2) from None
        plan = read_model(decisions, Decisions)
        stage = run_flow("process_case", parsed_report, plan, replay)
        render.console.print(f"Selesai pada tahap [bold]{stage.label}[/]")
