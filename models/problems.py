"""A problem found in a report or a case: which field, what is wrong, in Indonesian."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"  # the report cannot be accepted / the check fails
    WARNING = "warning"  # a person should look, nothing is rejected


class Problem(BaseModel):
    """One finding about the input. `code` is stable for programs, `message` is for people."""

    model_config = ConfigDict(frozen=True)

    code: str
    field: str
    message: str
    severity: Severity = Severity.ERROR


class ReportRejected(ValueError):
    """A report that cannot be accepted; carries every problem found, never just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
