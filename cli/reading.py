"""Reading report and findings files from disk into validated models."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from models.findings import Findings
from models.problems import Problem, ReportRejected
from models.report.model import Report
from models.report.parse import decode_report_text, parse_report, problems_from


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportRejected(
            [
                Problem(
                    code="berkas_tidak_ada",
                    field="(berkas)",
                    message=f"berkas {path} tidak ditemukan",
                )
            ]
        ) from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise ReportRejected(
            [
                Problem(
                    code="berkas_tidak_terbaca",
                    field="(berkas)",
                    message=f"berkas {path} bukan teks UTF-8",
                )
            ]
        ) from None


def read_report(path: Path) -> Report:
    """Parse a report file. The evidence files it names are checked where it is recorded."""
    return parse_report(read_report_data(path))


def read_report_data(path: Path) -> object:
    """The decoded document of a report file (not yet validated)."""
    return decode_report_text(read_text(path), filename=path.name)


def read_findings(path: Path) -> Findings:
    data = decode_report_text(read_text(path), filename=path.name)
    try:
        return Findings.model_validate(data)
    except ValidationError as error:
        problems = [
            p.model_copy(update={"field": f"findings.{p.field}"}) for p in problems_from(error)
        ]
        raise ReportRejected(problems) from None
