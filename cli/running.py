"""How a command runs one stage: handed to the running `netra serve` (the warm engine,
`cli.handoff`) when there is one, else its Prefect flow in this process (on PREFECT_API_URL, the
served Prefect server, or a temporary one); and what it then says: where the case stands, its
letters, and whether the step was done, already done, waiting, or not applicable (exit 2).

Importing this module is cheap: the services and Prefect are imported by the commands that run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from cli import render
from cli.context import build_context, warn_placeholder_signers
from cli.prefect_env import configure_prefect

if TYPE_CHECKING:
    from models.outcomes import StageResult

T = TypeVar("T")


def stage_flows() -> ModuleType:
    """The stage flows, imported only now: Prefect is slow to import."""
    configure_prefect(build_context().settings)
    import flows.stages

    return flows.stages


def run_flow(
    start: Callable[[], Coroutine[Any, Any, T]], *, evidence_inbox: Path | None = None
) -> T:
    """Run a flow in this process with the command's settings (evidence files read from
    `evidence_inbox` when given); a refusal is said in Indonesian and exits 2."""
    from services.deps import use_settings

    ctx = build_context()
    settings = ctx.settings
    if evidence_inbox is not None:
        settings = settings.model_copy(update={"evidence_inbox": evidence_inbox.resolve()})
    warn_placeholder_signers(ctx.rulebook.offices)
    configure_prefect(settings)
    use_settings(settings)
    try:
        return asyncio.run(start())
    except (ValueError, LookupError, RuntimeError, PermissionError) as error:
        # Domain refusals (NotPermitted, IllegalMove, ConfidentialityBreach, ConcurrentChange,
        # SMTP settings): the stage's transaction was rolled back, nothing of it was recorded.
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None


StageStart = Callable[[ModuleType, str], Coroutine[Any, Any, "StageResult"]]


def run_stage(case_ref: str, path: str, body: object, start: StageStart) -> int | None:
    """One stage of one case: handed to the running engine when there is one (`cli.handoff`:
    POST `/perkara/{id}/<path>` with `body`), else its flow run here (`start(flows, actor)`).
    The case's id, or None when a remote engine did it (this machine's database does not
    hold the case)."""
    from cli.engine import EngineDown, find_engine

    ctx = build_context()
    engine = find_engine(ctx.settings)
    if engine is not None:
        from cli.handoff import hand_off, print_letters

        warn_placeholder_signers(ctx.offices)  # as a stage run here would

        try:
            answer = hand_off(engine, case_ref, path, body)
        except EngineDown:
            if not engine.local:
                render.err_console.print(
                    f"[red]Gagal:[/] server Netra di {engine.api_url} tidak dapat dihubungi; "
                    "tidak ada yang dikerjakan."
                )
                raise typer.Exit(code=2) from None
            # `netra serve` ended without removing its file: run here, as without it
        else:
            show_outcome(
                answer.case_id,
                answer.label,
                answer.stage_label,
                answer.outcome,
                lambda: print_letters(engine, answer.case_id),
            )
            return answer.case_id if engine.local else None
    result = run_flow(lambda: start(stage_flows(), ctx.actor))
    report_result(result)
    return result.case_id


def report_result(result: StageResult) -> None:
    """Show where the case stands and what it has; a step that did not apply exits 2."""

    def correspondence() -> None:
        ctx = build_context()
        render.print_correspondence(result.case_id, ctx.engine, ctx.rulebook.offices)

    show_outcome(
        result.case_id, result.label, result.stage.label, result.outcome.value, correspondence
    )


def show_outcome(
    case_id: int, label: str, stage_label: str, outcome: str, correspondence: Callable[[], None]
) -> None:
    """The case's stage, its letters (`correspondence`) and what the step did (`outcome`, a
    `StageOutcome` value); a step that did not apply exits 2."""
    number = "" if label.endswith(f"#{case_id}") else f" {label}"
    render.console.print(f"Perkara #{case_id}{number}: tahap [bold]{stage_label}[/]")
    correspondence()
    if outcome == "already_done":
        render.console.print("Langkah ini sudah dilakukan sebelumnya; tidak ada yang diulang.")
    if outcome == "waiting":
        render.err_console.print(
            "Sebagian surel belum terkirim (server surel tidak dapat dihubungi atau menolak); "
            "ulangi `netra notify` nanti."
        )
    if outcome == "elsewhere":
        render.err_console.print(
            f"[yellow]Perintah ini tidak mengubah apa pun:[/] perkara berada pada tahap "
            f"'{stage_label}'."
        )
        raise typer.Exit(code=2)
