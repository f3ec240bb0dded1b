"""`netra audit verify` and `netra audit export CASE`: the audit trail for an operator and an
auditor."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli.context import CaseArg, build_context

audit_app = typer.Typer(help="Jejak audit: periksa keutuhan, ekspor per perkara.")


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


@audit_app.command("verify")
def verify(
    anchor: Annotated[
        str | None,
        typer.Option(
            help="Baris terakhir yang dicatat sebelumnya (NOMOR:HASH, dari keluaran verify): "
            "juga memastikan baris itu masih ada dan tidak berubah."
        ),
    ] = None,
) -> None:
    """Periksa rantai hash jejak audit: baris yang diubah, dihapus atau dipindah urutannya."""
    from models.access import NotPermitted
    from models.audit import ChainHead
    from services.audit import verify_trail

    try:
        noted = ChainHead.parse(anchor) if anchor else None
    except ValueError as error:
        render.err_console.print(str(error))
        raise typer.Exit(code=2) from None
    ctx = build_context()
    try:
        check = verify_trail(ctx.engine, ctx.operator, anchor=noted)
    except NotPermitted as error:
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None
    if check.whole:
        render.console.print(f"Jejak audit utuh: {check.rows} baris.")
        if check.head is not None:
            render.console.print(
                f"Baris terakhir (catat sebagai jangkar --anchor): {check.head}",
                markup=False,
                soft_wrap=True,
                highlight=False,
            )
        return
    render.err_console.print(
        f"Jejak audit TIDAK utuh: {len(check.problems)} masalah pada {check.rows} baris."
    )
    for problem in check.problems:
        render.err_console.print(f"  {problem.message}", markup=False, highlight=False)
    raise typer.Exit(code=1)


@audit_app.command("export")
def export(
    case_ref: CaseArg,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="csv (bawaan) atau jsonl.")
    ] = ExportFormat.CSV,
    out: Annotated[
        Path | None, typer.Option("--out", help="Tulis ke berkas ini (bawaan: layar).")
    ] = None,
) -> None:
    """Ekspor jejak audit satu perkara untuk auditor (dengan hash tiap baris)."""
    from services.audit import export_case_trail

    ctx = build_context()
    try:
        label, rows = export_case_trail(ctx.engine, ctx.operator, case_ref, now=ctx.now())
    except LookupError as error:
        render.err_console.print(str(error))
        raise typer.Exit(code=1) from None
    except PermissionError as error:  # not an auditor of the case's office
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None
    from models.audit import export_record, records_csv, records_jsonl

    records = [export_record(row) for row in rows]
    text = records_jsonl(records) if fmt is ExportFormat.JSONL else records_csv(records)
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        render.err_console.print(f"berkas {out} tidak dapat ditulis: {error.strerror or error}")
        raise typer.Exit(code=1) from None
    render.err_console.print(f"{len(rows)} baris jejak audit perkara {label} ditulis ke {out}.")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
