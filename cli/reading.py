"""Reading report and findings files from disk into validated models."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from models.findings import Findings
from models.problems import Problem, ReportRejected
from models.report.model import Report
from models.report.parse import (
    MAX_REPORT_CHARS,
    decode_report_text,
    parse_report,
    problems_from,
)


def _unreadable(code: str, message: str) -> ReportRejected:
    return ReportRejected([Problem(code=code, field="(berkas)", message=message)])


def read_text(path: Path) -> str:
    """A report, findings or text file as UTF-8 text; too large a file is refused before it is
    read (a report is a few kilobytes)."""
    try:
        if path.stat().st_size > 4 * MAX_REPORT_CHARS:  # a UTF-8 character is at most 4 bytes
            limit = MAX_REPORT_CHARS // 1000
            raise _unreadable("berkas_terlalu_besar", f"berkas {path} terlalu besar (> {limit} KB)")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _unreadable("berkas_tidak_ada", f"berkas {path} tidak ditemukan") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise _unreadable("berkas_tidak_terbaca", f"berkas {path} bukan teks UTF-8") from None
    except OSError as error:  # a name too long, no permission, a device...
        reason = error.strerror or "tidak dapat dibuka"
        raise _unreadable(
            "berkas_tidak_terbaca", f"berkas {path} tidak dapat dibuka ({reason})"
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
