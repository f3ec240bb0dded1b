"""`netra demo`: the sample reports through the rulebook and into the case database."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from cli.context import Context
from cli.reading import read_report
from cli.render import console
from models.assessment import assess
from models.intake import intake_report
from models.problems import ReportRejected

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples" / "reports"


def run_intake_demo(ctx: Context) -> None:
    table = Table(
        "Berkas",
        "Perkara",
        "Baru",
        "Memenuhi syarat",
        "Batas laporan",
        "Diteruskan ke",
        title="Laporan contoh",
        title_justify="left",
    )
    for path in sorted(SAMPLES_DIR.glob("*.json")):
        try:
            report = read_report(path)
            outcome = intake_report(
                report, rulebook=ctx.rulebook, engine=ctx.engine, actor=ctx.actor, now=ctx.now()
            )
        except ReportRejected as error:
            table.add_row(path.name, "ditolak", "-", "-", "-", str(error))
            continue
        result = assess(report, ctx.rulebook, as_of=outcome.case.received_on)
        window = result["deadlines"][0]
        authorities = ", ".join(sorted({p["authority"] for p in result["reported"]}))
        table.add_row(
            path.name,
            f"#{outcome.case.id}",
            "ya" if outcome.created else "tidak",
            "ya" if result["admissible"] else "TIDAK",
            window["due"],
            authorities,
        )
    console.print(table)
