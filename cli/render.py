"""Human-readable output of cases and assessments (Indonesian), with rich."""

from __future__ import annotations

import shlex
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from models import labels
from models.audit import LETTER_TAMPERED_NOTE
from models.enums import OutboxStatus
from models.indonesian import tanggal, zona_waktu

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from sqlalchemy.engine import Engine

    from adapters.db.views import CaseView
    from models.problems import Problem
    from models.rules.office import Office
    from models.tables import Evidence, Letter, OutboxMessage
    from models.tables.case import Case, CaseDeadline
    from services.recompute import DeadlineChange

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
    """`netra assess` for a person: the verdict, what is wrong with the report, the checks, the
    deadlines and each reported person's authority and recommendation (when computable)."""
    verdict = (
        "[green]MEMENUHI SYARAT[/]" if result["admissible"] else "[red]TIDAK MEMENUHI SYARAT[/]"
    )
    election = labels.label(labels.ELECTIONS, result.get("election"))
    console.print(f"Kajian awal ({election}): {verdict}")
    errors = [p for p in result["problems"] if p.get("severity", "error") == "error"]
    for error in errors:
        console.print(f"[red]Masalah[/] {error['field']}: {error['message']}")
    if "checks" in result:
        checks = Table("Syarat", "Jenis", "Hasil", "Alasan", title_justify="left")
        for check in result["checks"]:
            checks.add_row(
                check["check"].replace("_", " "),
                check["kind"],
                "ya" if check["passed"] else "tidak",
                check["reason"],
            )
        console.print(checks)
    if not result["deadlines"] and not result["reported"]:  # nothing could be computed
        return
    deadlines = Table("Tenggat", "Batas akhir", "Satuan", "Dasar", title_justify="left")
    for item in result["deadlines"]:
        deadlines.add_row(
            labels.label(labels.RULES, item["rule"]),
            tanggal(date.fromisoformat(item["due"])),
            labels.label(labels.UNITS, item["unit"]),
            item["basis"],
        )
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
        status = labels.label(labels.EMPLOYMENT, person["employment"])
        people.add_row(person["name"], status, valid, person["authority"], rec_text)
    console.print(people)
    warnings = [p for p in result["problems"] if p.get("severity") == "warning"]
    for warning in warnings:
        console.print(f"[yellow]Peringatan[/] {warning['field']}: {warning['message']}")


def cases_table(
    rows: list[tuple[Case, CaseDeadline | None]], offices: Mapping[str, Office]
) -> Table:
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
        due = (
            f"{labels.label(labels.RULES, deadline.rule)}, {tanggal(deadline.due_on)}"
            if deadline
            else "-"
        )
        table.add_row(
            str(case.id),
            case.case_number or "(belum diregistrasi)",
            _office_name(case.office_key, offices),
            labels.label(labels.REPORT_KINDS, case.kind),
            case.stage.label,
            due,
        )
    return table


def _office_name(key: str, offices: Mapping[str, Office]) -> str:
    office = offices.get(key)
    return office.short_name if office else key


def print_case(view: CaseView, offices: Mapping[str, Office]) -> None:
    """One case as its office reads it: Indonesian labels, dates and times in the office's
    zone, its parties, deadlines, history, letters and emails."""
    case = view.case
    office = offices.get(case.office_key)
    zone = office.timezone if office else "Asia/Jakarta"
    console.print(f"[bold]Perkara #{case.id}[/] {case.case_number or '(belum diregistrasi)'}")
    console.print(
        f"Tahap: {case.stage.label}  ·  Kantor: {_office_name(case.office_key, offices)}  ·  "
        f"{labels.label(labels.REPORT_KINDS, case.kind)} "
        f"{labels.label(labels.ELECTIONS, case.election_type)} {case.election_year}"
    )
    console.print(
        f"Diterima: {tanggal(case.received_on)}  ·  Kejadian: "
        f"{tanggal(case.occurred_on)} di {case.incident_place}"
    )
    console.print(f"Ringkasan: {case.incident_summary}")
    people = Table(
        "Peran", "Nama", "Status", "Jabatan / instansi", "Diteruskan ke", title_justify="left"
    )
    for party in view.parties:
        role_detail = " / ".join(x for x in (party.job_title, party.agency) if x) or "-"
        people.add_row(
            party.role,
            party.name,
            labels.label(labels.EMPLOYMENT, party.employment),
            role_detail,
            party.authority or "-",
        )
    console.print(people)
    if view.related:
        console.print(related_table(view, zone))
    console.print(evidence_table(view.evidence, zone))
    console.print(deadlines_table(view.deadlines))
    if view.replies:
        replies = Table(
            *labels.REPLY_COLUMNS, title="Tanggapan atas penerusan", title_justify="left"
        )
        for reply in view.replies:
            replies.add_row(*labels.reply_row(reply))
        console.print(replies)
    history = Table(
        f"Waktu ({zona_waktu(zone)})",
        "Peristiwa",
        "Ke tahap",
        "Oleh",
        "Keterangan",
        title="Riwayat",
        title_justify="left",
    )
    for e in view.events:
        history.add_row(
            labels.waktu(e.at, zone),
            labels.label(labels.EVENTS, e.event),
            e.to_stage.label,
            e.actor,
            e.reason,
        )
    console.print(history)
    _print_letters_and_mail(view.letters, view.emails, zone)


def related_table(view: CaseView, zone: str) -> Table:
    """The cases linked to this one (links in force), with why and by whom."""
    from adapters.db.cases import case_label

    table = Table(
        "Perkara",
        "Tahap",
        "Alasan",
        "Ditautkan oleh",
        f"Waktu ({zona_waktu(zone)})",
        title="Perkara terkait",
        title_justify="left",
    )
    for x in view.related:
        how = "otomatis saat penerimaan" if x.link.automatic else x.link.actor
        registered = f" (#{x.other.id})" if x.other.case_number else ""
        table.add_row(
            case_label(x.other) + registered,
            x.other.stage.label,
            x.link.reason,
            how,
            labels.waktu(x.link.at, zone),
        )
    return table


def evidence_table(items: Sequence[Evidence], zone: str) -> Table:
    """The case's evidence: what each item is and, for a file, its name, type, size and full
    SHA-256 (to compare with `sha256sum` of a copy); who added it and when."""
    from models.rules.evidence import size_text

    table = Table(
        "No.",
        "Keterangan",
        "Berkas",
        "Jenis",
        "Ukuran",
        "SHA-256",
        f"Ditambahkan ({zona_waktu(zone)})",
        title="Bukti",
        title_justify="left",
    )
    table.columns[5].no_wrap = True
    for e in items:
        table.add_row(
            str(e.position + 1),
            e.description,
            e.original_name or ("(berkas tidak disimpan)" if e.file else "-"),
            e.media_type or "-",
            size_text(e.size) if e.size is not None else "-",
            e.sha256 or "-",
            f"{labels.waktu(e.added_at, zone)}, {e.added_by}",
        )
    return table


def deadlines_table(deadlines: list[CaseDeadline]) -> Table:
    table = Table(
        "Tenggat", "Mulai", "Batas akhir", "Satuan", "Status", "Dasar", title_justify="left"
    )
    for d in deadlines:
        table.add_row(
            labels.label(labels.RULES, d.rule),
            tanggal(d.start_on),
            tanggal(d.due_on),
            labels.label(labels.UNITS, d.unit),
            labels.label(labels.DEADLINE_STATUSES, d.status),
            d.basis,
        )
    return table


def print_deadline_changes(changes: list[DeadlineChange], *, applied: bool) -> None:
    if not changes:
        console.print("Tidak ada tenggat terbuka yang bergeser.")
        return
    verb = "Digeser" if applied else "Akan bergeser (jalankan lagi dengan --apply)"
    table = Table(
        "Perkara", "Tenggat", "Semula", "Menjadi", "Sebab", title=verb, title_justify="left"
    )
    for c in changes:
        table.add_row(
            c.case_label,
            labels.label(labels.RULES, c.rule),
            tanggal(c.old_due),
            tanggal(c.new_due),
            c.reason,
        )
    console.print(table)


def print_deadlines(case_id: int, engine: Engine) -> None:
    """The case's deadlines, superseded ones included."""
    from adapters.db.views import case_view

    console.print(deadlines_table(case_view(engine, str(case_id)).deadlines))


def print_evidence(case_id: int, engine: Engine, offices: Mapping[str, Office]) -> None:
    from adapters.db.views import case_view

    view = case_view(engine, str(case_id))
    office = offices.get(view.case.office_key)
    console.print(evidence_table(view.evidence, office.timezone if office else "Asia/Jakarta"))


def mail_action(message: OutboxMessage) -> str:
    """The exact command that settles an email waiting for a person."""
    if message.status is OutboxStatus.FAILED:
        if message.last_error.startswith(LETTER_TAMPERED_NOTE):
            return f"netra mail-retry {message.case_id}   # setelah berkas surat asli dipulihkan"
        return f"netra mail-retry {message.case_id}   # setelah alamat/pengaturan dibetulkan"
    key = shlex.quote(message.key)
    return f"netra mail-resolve {key} --delivered   # atau --not-delivered"


def print_mail_actions(rows: Sequence[OutboxMessage]) -> None:
    """Each email waiting for a person, with the command to settle it on a line of its own (never
    wrapped, so it can be copied as it is)."""
    for m in rows:
        status = labels.label(labels.MAIL_STATUSES, m.status)
        console.print(f"#{m.case_id} {m.subject} → {m.to_address} ({status}):", markup=False)
        console.print(f"  {mail_action(m)}", markup=False, soft_wrap=True, highlight=False)


def print_correspondence(case_id: int, engine: Engine, offices: Mapping[str, Office]) -> None:
    """Which letters the case has and which emails went to whom, and when."""
    from adapters.db.views import case_view

    view = case_view(engine, str(case_id))
    office = offices.get(view.case.office_key)
    _print_letters_and_mail(
        view.letters, view.emails, office.timezone if office else "Asia/Jakarta"
    )


def print_letter_rows(rows: Iterable[tuple[str, str, date, str, str]]) -> None:
    """Letters as (kind, number, issued on, recipient, files)."""
    table = Table(
        "Surat", "Nomor", "Tanggal", "Kepada", "Berkas", title="Surat", title_justify="left"
    )
    for kind, number, issued_on, recipient, files in rows:
        table.add_row(
            labels.label(labels.LETTER_KINDS, kind), number, tanggal(issued_on), recipient, files
        )
    console.print(table)


def _print_letters_and_mail(
    letters: list[Letter], messages: list[OutboxMessage], zone: str
) -> None:
    print_letter_rows(
        (
            letter.kind,
            letter.number,
            letter.issued_on,
            letter.recipient_name,
            ".docx + .pdf" if letter.pdf_sha256 else ".docx",
        )
        for letter in letters
    )
    mail = Table(
        "Surel",
        "Kepada",
        "Status",
        f"Terkirim ({zona_waktu(zone)})",
        "Catatan",
        title="Surel",
        title_justify="left",
    )
    for m in messages:
        mail.add_row(
            m.subject,
            f"{m.to_name} <{m.to_address}>",
            labels.label(labels.MAIL_STATUSES, m.status),
            labels.waktu(m.sent_at, zone),
            m.last_error or "",
        )
    console.print(mail)
    print_mail_actions(
        [m for m in messages if m.status in (OutboxStatus.SENDING, OutboxStatus.FAILED)]
    )
