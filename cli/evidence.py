"""`netra evidence add`: a file added to a case as evidence, through the `bukti-tambahan` flow.

The file is named as the person sees it (any path they can read); the flow reads it from its
folder (the command makes that folder the evidence inbox for this run), so the server form and
the command line follow one rule."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli.context import CaseArg, build_context
from cli.running import run_flow, stage_flows

evidence_app = typer.Typer(help="Bukti perkara.", no_args_is_help=True)


@evidence_app.command("add")
def add(
    case_ref: CaseArg,
    file: Annotated[Path, typer.Argument(help="Berkas bukti (PDF, foto, video, dokumen...).")],
    description: Annotated[str, typer.Option(help="Keterangan bukti.")],
) -> None:
    """Tambahkan berkas bukti pada perkara; berkas disimpan sekali menurut isinya (SHA-256)."""
    from models.outcomes import StageOutcome

    path = file.resolve()
    actor = build_context().actor
    result = run_flow(
        lambda: stage_flows().evidence_flow(case_ref, path.name, description, actor),
        evidence_inbox=path.parent,
    )
    if result.outcome is StageOutcome.ALREADY_DONE:
        render.console.print(
            f"Berkas {file} sudah tercatat sebagai bukti perkara #{result.case_id}; "
            "tidak dicatat dua kali."
        )
    else:
        render.console.print(f"Bukti dicatat pada perkara #{result.case_id} ({result.label}).")
    ctx = build_context()
    render.print_evidence(result.case_id, ctx.engine, ctx.rulebook.offices)


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
