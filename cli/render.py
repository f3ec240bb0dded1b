"""Human-readable output of cases and assessments (Indonesian), with rich."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from models.problems import Problem

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from models.tables.case import Case, CaseDeadline, Party, StageEvent

# Piped or captured output (make demo in CI, logs) gets room for the tables instead of 80 columns.
_WIDTH = None if sys.stdout.isatty() else 160
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)


def print_problems(title: str, problems: list[Problem]) -> None:
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("Isian")
    table.add_column("Masalah")
    for problem in problems:
        table.add_row(problem.field, problem.message)
    err_console.print(table)


def print_assessment(result: dict[str, Any]) -> None:
    verdict = (
        "[green]MEMENUHI SYARAT[/]" if result["admissible"] else "[red]TIDAK MEMENUHI SYARAT[/]"
    )
    console.print(f"Kajian awal ({result['election']}): {verdict}")
    checks = Table("Syarat", "Jenis", "Hasil", "Alasan", title_justify="left")
    for check in result["checks"]:
        checks.add_row(
            check["check"], check["kind"], "ya" if check["passed"] else "tidak", check["reason"]
        )
    console.print(checks)
    deadlines = Table("Tenggat", "Batas akhir", "Satuan", "Dasar", title_justify="left")
    for item in result["deadlines"]:
        unit = "hari kerja" if item["unit"] == "working" else "hari kalender"
        deadlines.add_row(item["rule"], item["due"], unit, item["basis"])
    console.print(deadlines)
    people = Table(
        "Terlapor", "Status", "NIP sah", "Diteruskan ke", "Rekomendasi", title_justify="left"
    )
    for person in result["reported"]:
        rec = person.get("recommendation")
        rec_text = (
            f"{rec['regime']} / {rec['band']}" + ("" if rec["confirmed"] else " (belum pasti)")
            if rec
            else "-"
        )
        valid = {True: "ya", False: "TIDAK", None: "-"}[person["nip_valid"]]
        people.add_row(person["name"], person["employment"], valid, person["authority"], rec_text)
    console.print(people)
    warnings = [p for p in result["problems"] if p.get("severity") == "warning"]
    for warning in warnings:
        console.print(f"[yellow]Peringatan[/] {warning['field']}: {warning['message']}")


def cases_table(rows: list[tuple[Case, CaseDeadline | None]]) -> Table:
    table = Table(
        "#",
        "Nomor perkara",
        "Kantor",
        "Jenis",
        "Tahap",
        "Tenggat berikut",
        title="Daftar perkara",
        title_justify="left",
    )
    for case, deadline in rows:
        due = f"{deadline.rule} {deadline.due_on.isoformat()}" if deadline else "-"
        table.add_row(
            str(case.id),
            case.case_number or "(belum diregistrasi)",
            case.office_key,
            case.kind,
            case.stage.label,
            due,
        )
    return table


def print_case(
    case: Case, parties: list[Party], deadlines: list[CaseDeadline], events: list[StageEvent]
) -> None:
    console.print(f"[bold]Perkara #{case.id}[/] {case.case_number or '(belum diregistrasi)'}")
    console.print(
        f"Tahap: {case.stage.label}  ·  Kantor: {case.office_key}  ·  "
        f"{case.kind} {case.election_type} {case.election_year}"
    )
    console.print(
        f"Diterima: {case.received_on.isoformat()}  ·  Kejadian: "
        f"{case.occurred_on.isoformat()} di {case.incident_place}"
    )
    console.print(f"Ringkasan: {case.incident_summary}")
    people = Table(
        "Peran", "Nama", "Status", "Jabatan / instansi", "Diteruskan ke", title_justify="left"
    )
    for party in parties:
        role_detail = " / ".join(x for x in (party.job_title, party.agency) if x) or "-"
        people.add_row(
            party.role, party.name, party.employment or "-", role_detail, party.authority or "-"
        )
    console.print(people)
    table = Table(
        "Tenggat", "Mulai", "Batas akhir", "Satuan", "Status", "Dasar", title_justify="left"
    )
    for d in deadlines:
        table.add_row(
            d.rule, d.start_on.isoformat(), d.due_on.isoformat(), d.unit, d.status, d.basis
        )
    console.print(table)
    history = Table(
        "Waktu (UTC)",
        "Peristiwa",
        "Dari",
        "Ke",
        "Oleh",
        "Keterangan",
        title="Riwayat",
        title_justify="left",
    )
    for e in events:
        history.add_row(
            e.at.strftime("%Y-%m-%d %H:%M"),
            e.event,
            e.from_stage.label if e.from_stage else "-",
            e.to_stage.label,
            e.actor,
            e.reason,
        )
    console.print(history)


def print_correspondence(case_id: int, engine: Engine) -> None:
    """Which letters the case has and which emails went to whom, and when."""
    from adapters.db.views import correspondence

    letters, messages = correspondence(engine, case_id)
    table = Table("Surat", "Nomor", "Tanggal", "Kepada", title="Surat", title_justify="left")
    for letter in letters:
        table.add_row(
            letter.kind, letter.number, letter.issued_on.isoformat(), letter.recipient_name
        )
    console.print(table)
    mail = Table(
        "Surel",
        "Kepada",
        "Status",
        "Terkirim (UTC)",
        "Catatan",
        title="Surel",
        title_justify="left",
    )
    for m in messages:
        sent = m.sent_at.strftime("%Y-%m-%d %H:%M") if m.sent_at else "-"
        mail.add_row(
            m.key.split("/", 1)[1],
            f"{m.to_name} <{m.to_address}>",
            m.status,
            sent,
            m.last_error or "",
        )
    console.print(mail)
