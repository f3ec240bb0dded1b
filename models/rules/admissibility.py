"""Kajian awal (preliminary review): the formal and material requirements of a report.

DOMAIN.md §2 step 2, Perbawaslu 7/2022 Pasal 15. Each check is a named, pure function with its legal
basis; the result says in Indonesian why it passed or failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from models.enums import ReportKind
from models.indonesian import jumlah, tanggal
from models.report.model import Report
from models.rules.deadlines import Deadline

CheckKind = Literal["formal", "materiel"]


@dataclass(frozen=True)
class CheckResult:
    check: str
    kind: CheckKind
    passed: bool
    field: str
    basis: str
    reason: str


@dataclass(frozen=True)
class CheckInput:
    report: Report
    received_on: date  # office-local date of receipt
    window: Deadline  # report_window (laporan) or temuan_window (temuan)


Check = Callable[[CheckInput], CheckResult]

_BASIS_FORMAL = "Perbawaslu 7/2022 Pasal 15 ayat (3) (syarat formal)"
_BASIS_MATERIEL = "Perbawaslu 7/2022 Pasal 15 ayat (4) (syarat materiel)"
_ELIGIBLE_NATIONALITY = {"WNI", "INDONESIA", "WARGA NEGARA INDONESIA"}


def reporter_identity(data: CheckInput) -> CheckResult:
    report, reporter = data.report, data.report.reporter
    basis = f"{_BASIS_FORMAL}; UU 7/2017 Pasal 454 ayat (2)"
    if report.kind is ReportKind.TEMUAN:
        return CheckResult(
            "identitas_pelapor",
            "formal",
            True,
            "reporter",
            basis,
            "temuan: pelapor adalah jajaran pengawas sendiri",
        )
    if not (reporter.name and reporter.address):
        return CheckResult(
            "identitas_pelapor",
            "formal",
            False,
            "reporter",
            basis,
            "nama dan alamat pelapor wajib ada",
        )
    nationality = (reporter.nationality or "WNI").strip().upper()
    if nationality not in _ELIGIBLE_NATIONALITY:
        return CheckResult(
            "identitas_pelapor",
            "formal",
            False,
            "reporter.nationality",
            basis,
            "pelapor harus warga negara Indonesia yang mempunyai hak pilih",
        )
    return CheckResult(
        "identitas_pelapor", "formal", True, "reporter", basis, "nama dan alamat pelapor lengkap"
    )


def reported_identity(data: CheckInput) -> CheckResult:
    unnamed = [
        f"reported[{i}]"
        for i, person in enumerate(data.report.reported)
        if not (person.nip or person.position or person.agency or person.address)
    ]
    basis = _BASIS_FORMAL
    if unnamed:
        return CheckResult(
            "identitas_terlapor",
            "formal",
            False,
            unnamed[0],
            basis,
            "terlapor harus dapat dikenali: cantumkan NIP, jabatan, instansi atau alamat",
        )
    return CheckResult(
        "identitas_terlapor", "formal", True, "reported", basis, "identitas terlapor dapat dikenali"
    )


def timeliness(data: CheckInput) -> CheckResult:
    window = data.window
    field = "incident.known_on"
    period = jumlah(window.days, "hari kerja" if window.unit == "working" else "hari")
    received, due, start = (tanggal(d) for d in (data.received_on, window.due, window.start))
    if data.received_on <= window.due:
        reason = (
            f"disampaikan {received}, dalam batas waktu "
            f"(paling lambat {due}, {period} sejak {start})"
        )
        return CheckResult("ketepatan_waktu", "formal", True, field, window.basis, reason)
    reason = (
        f"disampaikan {received}, melewati batas waktu {due} ({period} sejak diketahui {start})"
    )
    return CheckResult("ketepatan_waktu", "formal", False, field, window.basis, reason)


def time_and_place(data: CheckInput) -> CheckResult:
    incident = data.report.incident
    if incident.occurred_on > data.received_on:
        return CheckResult(
            "waktu_dan_tempat",
            "materiel",
            False,
            "incident.occurred_on",
            _BASIS_MATERIEL,
            "tanggal kejadian sesudah tanggal laporan diterima",
        )
    return CheckResult(
        "waktu_dan_tempat",
        "materiel",
        True,
        "incident",
        _BASIS_MATERIEL,
        f"kejadian {tanggal(incident.occurred_on)} di {incident.place}",
    )


def account(data: CheckInput) -> CheckResult:
    ok = bool(data.report.incident.account.strip())
    return CheckResult(
        "uraian_kejadian",
        "materiel",
        ok,
        "incident.account",
        _BASIS_MATERIEL,
        "uraian kejadian tersedia" if ok else "uraian kejadian wajib diisi",
    )


def evidence(data: CheckInput) -> CheckResult:
    count = len(data.report.evidence)
    if count == 0:
        return CheckResult(
            "bukti",
            "materiel",
            False,
            "evidence",
            _BASIS_MATERIEL,
            "laporan harus disertai paling sedikit satu alat bukti",
        )
    return CheckResult(
        "bukti", "materiel", True, "evidence", _BASIS_MATERIEL, f"{count} alat bukti dilampirkan"
    )


CHECKS: tuple[Check, ...] = (
    reporter_identity,
    reported_identity,
    timeliness,
    time_and_place,
    account,
    evidence,
)


def run_checks(data: CheckInput) -> list[CheckResult]:
    return [check(data) for check in CHECKS]


def is_admissible(results: list[CheckResult]) -> bool:
    return all(result.passed for result in results)
