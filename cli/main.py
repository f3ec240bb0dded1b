"""`netra`: the command line of Netra. Messages about cases are in Indonesian.

Prefect is imported only by the commands that run flows, so `--help`, `assess`, `show` and `list`
start fast. Every cli module is cheap to import (typer needs all of them for `--help`): what a
command uses beyond typer, rich and the closed vocabularies (pydantic models, the rulebook, the
database, the services, Prefect) it imports when it runs. tests/adapters/test_cli_startup.py
holds to it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.audit import register as register_audit_commands
from cli.case_file import register as register_case_file_command
from cli.context import build_context
from cli.evidence import register as register_evidence_commands
from cli.links import register as register_link_commands
from cli.mail import register as register_mail_commands
from cli.serve import register as register_serve
from cli.stages import register as register_stage_commands
from cli.statistics import register as register_statistics
from cli.tokens import register as register_token_commands
from cli.users import register as register_user_commands
from cli.web import register as register_web
from models.stages import Stage

if TYPE_CHECKING:
    from models.problems import Problem, ReportRejected
    from models.report.model import Report
    from services.deps import Deps

app = typer.Typer(
    help="Netra: penanganan perkara netralitas ASN untuk Bawaslu.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Basis data perkara.", no_args_is_help=True)


@app.callback()
def _every_command() -> None:
    """Netra: penanganan perkara netralitas ASN untuk Bawaslu."""
    from adapters.db.origin import set_origin

    set_origin("cli")  # what the audit trail says every action of this process came from


app.add_typer(db_app, name="db")

JsonOpt = Annotated[bool, typer.Option("--json", help="Keluaran JSON untuk program lain.")]


def _reject(title: str, error: ReportRejected, *, as_json: bool) -> None:
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "admissible": False,
                    "problems": [p.model_dump(mode="json") for p in error.problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        render.print_problems(title, error.problems)
    raise typer.Exit(code=2)


def _parse_date(text: str) -> date:
    from models.problems import Problem, ReportRejected

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReportRejected(
            [
                Problem(
                    code="format_tidak_valid",
                    field="--as-of",
                    message="bukan tanggal yang valid (format TTTT-BB-HH)",
                )
            ]
        ) from None


def _dump(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@app.command()
def assess(
    report: Annotated[Path, typer.Argument(help="Berkas laporan (JSON/YAML).")],
    findings: Annotated[Path | None, typer.Option(help="Berkas hasil kajian (acts).")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Tanggal acuan (TTTT-BB-HH).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Uji laporan terhadap aturan tanpa mencatat apa pun."""
    from cli.reading import read_findings, read_report_data
    from models.problems import ReportRejected
    from models.report.parse import parse_report, salvage_report
    from models.report.validation import calendar_problems, office_problems
    from models.rules.assessment import assess as assess_report
    from models.rules.calendar import local_date
    from models.rules.catalogue import act_problems

    ctx = build_context()
    try:
        data = read_report_data(report)
        found = read_findings(findings) if findings else None
    except ReportRejected as error:
        _reject("Laporan tidak dapat dibaca", error, as_json=as_json)
        return
    # A report that breaks the format is still assessed on what it gets right (CONTRACTS §3).
    problems: list[Problem] = []
    try:
        parsed: Report | None = parse_report(data)
    except ReportRejected as error:
        if any(p.field == "(berkas)" for p in error.problems):
            _reject("Laporan tidak dapat dibaca", error, as_json=as_json)
            return
        problems = list(error.problems)
        parsed = salvage_report(data, problems)
    if parsed is None:  # nothing to compute from: the same shape, empty
        election = data.get("election") if isinstance(data, dict) else None
        kind = election.get("type") if isinstance(election, dict) else None
        empty: dict[str, Any] = {"election": kind, "deadlines": [], "reported": []}
        _print_assessment({"admissible": False, "problems": _dumped(problems), **empty}, as_json)
        return
    problems += office_problems(parsed, ctx.rulebook.offices)
    if outside := calendar_problems(parsed, ctx.rulebook.calendar.years):
        # No deadline can be counted: the same shape, without deadlines (as for no report).
        empty = {"election": parsed.election.type.value, "deadlines": [], "reported": []}
        invalid = _dumped(problems + outside)
        _print_assessment({"admissible": False, "problems": invalid, **empty}, as_json)
        return
    office = ctx.rulebook.offices.get(parsed.office)
    zone = office.timezone if office else DEFAULT_ZONE
    on = _parse_date(as_of) if as_of else local_date(ctx.now(), zone)
    if found is not None:
        act_date = found.act_date or parsed.incident.occurred_on
        if unknown := act_problems(found.acts, act_date, ctx.rulebook.catalogue):
            _reject("Hasil kajian tidak dapat dinilai", ReportRejected(unknown), as_json=as_json)
            return
    result = assess_report(parsed, ctx.rulebook, as_of=on, findings=found)
    if problems:
        result["admissible"] = False
        result["problems"] = _dumped(problems) + result["problems"]
    _print_assessment(result, as_json)


DEFAULT_ZONE = "Asia/Jakarta"  # "today" for a report whose office is unknown


def _dumped(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.model_dump(mode="json") for p in problems]


def _print_assessment(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        _dump(result)
    else:
        render.print_assessment(result)


@app.command()
def intake(
    report: Annotated[
        Path,
        typer.Argument(
            help="Berkas laporan (JSON/YAML), folder berisi banyak laporan, atau berkas "
            "JSON-lines (*.jsonl, satu laporan per baris)."
        ),
    ],
    result: Annotated[
        Path | None,
        typer.Option(
            "--result",
            help="Berkas hasil per laporan untuk folder/JSON-lines (bawaan: PATH.hasil.jsonl).",
        ),
    ] = None,
    via_prefect: Annotated[
        bool,
        typer.Option(
            "--via-prefect", help="Folder/JSON-lines: catat dalam satu run penerimaan-massal."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Catat laporan sebagai perkara baru beserta tenggatnya (satu berkas, atau banyak sekaligus
    dari folder/JSON-lines; yang sudah tercatat tidak dicatat dua kali)."""
    from cli.batch import is_batch, run_batch
    from cli.reading import read_report
    from models.links import link_line
    from models.problems import ReportRejected
    from services.deps import with_evidence_inbox
    from services.intake import intake_report

    ctx = build_context()
    if is_batch(report):
        run_batch(ctx, report, result, as_json=as_json, via_prefect=via_prefect)
        return
    deps = with_evidence_inbox(ctx.deps, report.parent)  # files are named relative to the report
    try:
        outcome = intake_report(deps, read_report(report), actor=ctx.operator, now=ctx.now())
    except ReportRejected as error:
        _reject(
            f"Laporan ditolak, tidak ada yang dicatat ({len(error.problems)} masalah)",
            error,
            as_json=as_json,
        )
        return
    waiting = _send_queued(deps, str(outcome.case.id))
    case = outcome.case
    if waiting and not as_json:
        render.console.print(
            f"{waiting} surel (tanda terima) menunggu server surel; kirim "
            f"dengan `netra notify {case.id}`."
        )
    if as_json:
        _dump(
            {
                "id": case.id,
                "created": outcome.created,
                "stage": case.stage,
                "admissible": case.admissible,
                "linked": [
                    {"case_id": x.case_id, "case": x.label, "reason": x.reason}
                    for x in outcome.linked
                ],
            }
        )
    elif outcome.created:
        render.console.print(
            f"Perkara #{case.id} dicatat (tahap: {case.stage.label}; "
            f"kajian awal: {'memenuhi' if case.admissible else 'tidak memenuhi'}"
            " syarat)."
        )
        for linked in outcome.linked:
            render.console.print(
                f"Ditautkan dengan perkara terkait: {link_line(linked.label, linked.reason)}"
            )
    else:
        render.console.print(
            f"Laporan ini sudah tercatat sebagai perkara #{case.id}; tidak dicatat dua kali."
        )


def _send_queued(deps: Deps, case_ref: str) -> int:
    """Try to send the case's queued mail now; returns how many still wait."""
    import asyncio

    from adapters.smtp import SmtpConfigError
    from services.notification import deliver_mail

    try:
        report = asyncio.run(deliver_mail(deps, case_ref))
    except SmtpConfigError as error:
        render.err_console.print(f"Pengaturan SMTP salah: {error}")
        return -1
    return len(report.retry_later)


@app.command()
def show(
    case_ref: Annotated[str, typer.Argument(metavar="CASE", help="Nomor/ID perkara.")],
    as_json: JsonOpt = False,
) -> None:
    """Tampilkan satu perkara: pihak, tenggat, riwayat, surat dan surel."""
    from adapters.db.views import case_view
    from services.audit import Who, read_case_file

    ctx = build_context()
    try:
        view = case_view(ctx.engine, case_ref)
    except LookupError as error:
        render.err_console.print(str(error))
        raise typer.Exit(code=1) from None
    read_case_file(ctx.engine, Who.of(ctx.operator), view.case_id, via="netra show", now=ctx.now())
    if as_json:
        _dump(view.as_json())
    else:
        render.print_case(view, ctx.offices)


@app.command("list")
def list_(
    office: Annotated[str | None, typer.Option(help="Kunci kantor.")] = None,
    stage: Annotated[Stage | None, typer.Option(help="Tahap.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Perkara per halaman.")] = 100,
    page: Annotated[int, typer.Option(min=1, help="Halaman ke-.")] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Daftar perkara dengan tahap dan tenggat berikutnya, per halaman (urut nomor perkara)."""
    from adapters.db.views import case_rows, count_cases

    ctx = build_context()
    start = (page - 1) * limit
    rows = case_rows(ctx.engine, office=office, stage=stage, limit=limit, offset=start)
    if as_json:
        _dump(
            [
                {
                    "id": c.id,
                    "case_number": c.case_number,
                    "office": c.office_key,
                    "kind": c.kind,
                    "stage": c.stage,
                    "next_deadline": {"rule": d.rule, "due": d.due_on} if d else None,
                }
                for c, d in rows
            ]
        )
    else:
        render.console.print(render.cases_table(rows, ctx.offices))
        total = count_cases(ctx.engine, office=office, stage=stage)
        if total > len(rows):
            shown = f"{start + 1}–{start + len(rows)}" if rows else "tidak ada"
            render.console.print(
                f"Perkara {shown} dari {total}; halaman berikut: --page {page + 1}"
                if start + len(rows) < total
                else f"Perkara {shown} dari {total}."
            )


register_stage_commands(app)
register_link_commands(app)
register_mail_commands(app)
register_user_commands(app)
register_token_commands(app)
register_evidence_commands(app)
register_audit_commands(app)
register_case_file_command(app)
register_serve(app)
register_web(app)
register_statistics(app)


@app.command()
def demo() -> None:
    """Jalankan laporan contoh dengan pengaturan bawaan (SQLite di var/)."""
    from cli.demo import run_demo

    run_demo(build_context())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Perbarui skema basis data ke versi terbaru (Alembic)."""
    from adapters.db.migrate import current_revision

    ctx = build_context()
    render.console.print(
        f"Skema basis data: revisi {current_revision(ctx.engine)} "
        f"({ctx.engine.url.render_as_string(hide_password=True)})"
    )


def main() -> None:
    """The `netra` command: the app, with what no command handles itself said in Indonesian
    (`cli.failures`) instead of a Python traceback."""
    try:
        app(prog_name="netra")
    except Exception as error:
        from cli.failures import report

        raise SystemExit(report(error)) from None


if __name__ == "__main__":  # `python -m cli.main`: how `netra serve` starts the desk (cli/lifeline)
    main()
