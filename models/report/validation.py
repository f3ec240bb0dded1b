"""Checks on a parsed report that need the configuration: known office, coherent dates, NIPs."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date

from models.enums import Employment
from models.problems import Problem, Severity
from models.report.model import Report
from models.rules.identifiers import check_nip
from models.rules.office import Office


def office_problems(report: Report, offices: Mapping[str, Office]) -> list[Problem]:
    if report.office in offices:
        return []
    known = ", ".join(sorted(offices))
    return [
        Problem(
            code="kantor_tidak_dikenal",
            field="office",
            message=f"kantor '{report.office}' tidak terdaftar dalam konfigurasi "
            f"(config/offices.yaml); yang terdaftar: {known}",
        )
    ]


def calendar_problems(report: Report, years: frozenset[int]) -> list[Problem]:
    """The dates deadlines are counted from must fall in the years whose working days the
    calendar holds, short of its last (a deadline may run into the next year): else no deadline
    can be counted and the report is refused here rather than failing later."""
    if not years:
        return []
    first, last = min(years), max(years) - 1
    checked = (
        ("received_at", report.received_at.date()),
        (
            "incident.known_on" if report.incident.known_on else "incident.occurred_on",
            report.discovered_on,
        ),
    )
    return [
        Problem(
            code="tanggal_di_luar_kalender",
            field=field,
            message=f"tahun {value.year} di luar kalender hari kerja yang dimuat ({first}–{last}); "
            "tenggat tidak dapat dihitung (periksa tahunnya)",
        )
        for field, value in checked
        if not first <= value.year <= last
    ]


def date_problems(report: Report, received_on: date) -> list[Problem]:
    incident, problems = report.incident, []
    if incident.occurred_on > received_on:
        problems.append(
            Problem(
                code="tanggal_tidak_runtut",
                field="incident.occurred_on",
                message="tanggal kejadian tidak boleh sesudah laporan diterima",
            )
        )
    if incident.known_on and incident.known_on < incident.occurred_on:
        problems.append(
            Problem(
                code="tanggal_tidak_runtut",
                field="incident.known_on",
                message="tanggal diketahui tidak boleh sebelum tanggal kejadian",
            )
        )
    if incident.known_on and incident.known_on > received_on:
        problems.append(
            Problem(
                code="tanggal_tidak_runtut",
                field="incident.known_on",
                message="tanggal diketahui tidak boleh sesudah laporan diterima",
            )
        )
    return problems


def nip_problems(report: Report, *, severity: Severity) -> list[Problem]:
    """Invalid NIPs (an error at intake, a warning in a dry run). Messages never contain a NIP."""
    problems: list[Problem] = []
    for index, person in enumerate(report.reported):
        field = f"reported[{index}].nip"
        if person.nip is None:
            if person.employment in {Employment.PNS, Employment.CPNS}:
                problems.append(
                    Problem(
                        code="nip_kosong",
                        field=field,
                        severity=Severity.WARNING,
                        message="NIP terlapor PNS tidak dicantumkan",
                    )
                )
            continue
        result = check_nip(person.nip, person.employment)
        if result.valid is False:
            problems.append(
                Problem(
                    code="nip_tidak_valid",
                    field=field,
                    severity=severity,
                    message="NIP tidak valid: " + "; ".join(result.reasons),
                )
            )
    return problems


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _one_line_fields(report: Report) -> Iterator[tuple[str, str | None]]:
    """The texts that letters and email headers print on one line: names, titles, addresses."""
    yield "reporter.name", report.reporter.name
    yield "reporter.address", report.reporter.address
    for i, person in enumerate(report.reported):
        yield f"reported[{i}].name", person.name
        yield f"reported[{i}].position", person.position
        yield f"reported[{i}].agency", person.agency
        yield f"reported[{i}].address", person.address
        if person.ppk is not None:
            yield f"reported[{i}].ppk.title", person.ppk.title
            yield f"reported[{i}].ppk.name", person.ppk.name
    for i, witness in enumerate(report.witnesses):
        yield f"witnesses[{i}].name", witness.name
        yield f"witnesses[{i}].address", witness.address


def text_problems(report: Report) -> list[Problem]:
    """A line break or another control character in a name or an address would break every
    letter and email header that carries it (a case could then never be notified)."""
    return [
        Problem(
            code="karakter_kendali",
            field=field,
            message="tidak boleh memuat baris baru, tab atau karakter kendali lain",
        )
        for field, text in _one_line_fields(report)
        if text and _CONTROL.search(text)
    ]


def nul_problems(report: Report) -> list[Problem]:
    """A NUL character anywhere (a long text included): no database stores it, so a report that
    carries one (typed into a form, say) is refused before anything is recorded."""
    problems: list[Problem] = []
    stack: list[tuple[str, object]] = [("", report.model_dump(mode="json"))]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str) and "\x00" in node:
            problems.append(
                Problem(code="karakter_nul", field=path, message="tidak boleh memuat karakter NUL")
            )
        elif isinstance(node, dict):
            for key in node:  # a key is stored too (references, fields the contract may add)
                if "\x00" in str(key):
                    problems.append(
                        Problem(
                            code="karakter_nul",
                            field=path or "(laporan)",
                            message="nama isian tidak boleh memuat karakter NUL",
                        )
                    )
            names = ((str(k).replace("\x00", ""), v) for k, v in node.items())
            stack.extend((f"{path}.{k}" if path else k, v) for k, v in names)
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node))
    return sorted(problems, key=lambda p: p.field)
