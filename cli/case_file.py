"""`netra berkas CASE`: the case file to hand over (one ZIP: letters, evidence, audit extract,
summary, index, SHA256SUMS), written as the operator."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli.context import CaseArg, build_context


def berkas(
    case_ref: CaseArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Berkas ZIP yang ditulis (bawaan: berkas-perkara-NOMOR.zip)."
        ),
    ] = None,
    samarkan: Annotated[
        bool,
        typer.Option(
            "--samarkan", help="Rahasiakan identitas pelapor walau operator berhak melihatnya."
        ),
    ] = False,
) -> None:
    """Buat berkas perkara (ZIP) untuk auditor, BKN atau pengadilan, dengan SHA256SUMS."""
    from models.access import NotPermitted
    from services.case_file import CaseFileRefused, export_case_file, zip_filename
    from services.reading import readable_case

    ctx = build_context()
    try:
        target = output or Path(zip_filename(readable_case(ctx.deps, ctx.operator, case_ref)))
        made = export_case_file(
            ctx.deps, ctx.operator, case_ref, target, redact=samarkan, now=ctx.now()
        )
    except LookupError as error:
        render.err_console.print(f"[red]Gagal:[/] {error}.")
        raise typer.Exit(code=1) from None
    except NotPermitted as error:
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None
    except CaseFileRefused as error:
        render.err_console.print(f"Gagal: {error}", markup=False, highlight=False)
        raise typer.Exit(code=1) from None
    except OSError as error:
        render.err_console.print(
            f"[red]Gagal:[/] berkas {target} tidak dapat ditulis: {error.strerror or error}"
        )
        raise typer.Exit(code=1) from None
    reporter = "dirahasiakan" if made.redacted else "disertakan"
    render.console.print(
        f"Berkas perkara ditulis ke {made.path}: {len(made.members)} berkas "
        f"({len(made.absent)} tidak disertakan, lihat indeks.html), identitas pelapor {reporter}. "
        f"SHA-256 ZIP: {made.sha256}",
        markup=False,
        soft_wrap=True,
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("berkas")(berkas)
