"""`netra statistik`: the recap statistics in the terminal, or as CSV or XLSX, counted over the
offices the operator account (NETRA_OPERATOR) may read."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from cli import render
from cli.context import build_context


class RecapFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    XLSX = "xlsx"


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        render.err_console.print(f"[red]Gagal:[/] {option} harus berupa tanggal TTTT-BB-HH.")
        raise typer.Exit(code=2) from None


def statistik(
    format_: Annotated[
        RecapFormat, typer.Option("--format", help="Bentuk keluaran: table, csv atau xlsx.")
    ] = RecapFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", help="Berkas tujuan (wajib untuk xlsx).")
    ] = None,
    office: Annotated[str | None, typer.Option("--office", help="Kunci kantor.")] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Kode wilayah: provinsi '64' atau '64.09'.")
    ] = None,
    election: Annotated[
        str | None, typer.Option("--election", help="Pemilihan, mis. pilkada-2024.")
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="Diterima sejak (TTTT-BB-HH).")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Diterima sampai (TTTT-BB-HH).")] = None,
) -> None:
    """Statistik penanganan: diterima, diregistrasi, terbukti, diteruskan, rekomendasi KASN/BKN,
    tindak lanjut PPK, lama tahapan, tenggat terlewat; per kode, kepegawaian, jabatan, kantor."""
    from adapters.spreadsheet import xlsx_bytes
    from models.access import NotPermitted
    from models.statistics import RecapFilter, cell_text, csv_text, parse_election, recap_tables
    from services.statistics import recap

    kind, year = parse_election(election or "")
    if election and kind is None and year is None:
        render.err_console.print("[red]Gagal:[/] --election ditulis seperti pilkada-2024.")
        raise typer.Exit(code=2)
    wanted = RecapFilter(
        received_from=_day(from_, "--from"),
        received_to=_day(to, "--to"),
        election_type=kind,
        election_year=year,
        office=office,
        region=region,
    )
    ctx = build_context()
    try:
        found = recap(ctx.deps, ctx.operator, wanted)
    except NotPermitted as error:
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=1) from None
    tables = recap_tables(found)
    if format_ is RecapFormat.XLSX:
        if output is None:
            render.err_console.print("[red]Gagal:[/] --format xlsx memerlukan --output BERKAS.")
            raise typer.Exit(code=2)
        output.write_bytes(xlsx_bytes(tables, title="Statistik penanganan netralitas ASN"))
        render.console.print(f"Statistik ditulis ke {output}.")
    elif format_ is RecapFormat.CSV:
        text = csv_text(tables)
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8-sig", newline="")
            render.console.print(f"Statistik ditulis ke {output}.")
    else:
        render.console.print(f"[bold]{found.scope}[/]")
        for table in tables:
            shown = RichTable(title=table.title, caption=table.note or None)
            for header in table.headers:
                shown.add_column(header)
            for row in table.rows:
                shown.add_row(*(cell_text(c) for c in row))
            render.console.print(shown)


def register(app: typer.Typer) -> None:
    app.command("statistik")(statistik)
