"""Deadline rules (DOMAIN.md §3) as data, and the due dates they give. Pure: no file I/O.

The rules themselves live in `config/deadlines.yaml`; this module only knows their shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.enums import DayUnit, ElectionType
from models.enums import RuleId as RuleId
from models.rules.calendar import WorkCalendar

RULE_IDS: tuple[str, ...] = tuple(RuleId)
# Windows that bind the reporter, not the office: a late report is not a late office.
REPORTER_WINDOWS: frozenset[RuleId] = frozenset(
    {RuleId.REPORT_WINDOW, RuleId.TEMUAN_WINDOW, RuleId.COMPLETION}
)

# The events a period can start from; the caller supplies the date of the event.
START_EVENTS: frozenset[str] = frozenset(
    {
        "known_on",  # incident.known_on (laporan) / discovery date (temuan)
        "received_at",  # office-local date of received_at
        "completion_requested",  # date the reporter was asked to complete the report
        "registered",  # registration date of the case
        "decision_due",  # due date of the `decision` deadline
        "referred",  # date the referral (penerusan) was sent
        "validation_requested",  # date BKN asked Bawaslu to validate a complaint
        "ppk_reminded",  # date Bawaslu sent the PPK a reminder letter
        "authority_recommended",  # date of KASN/BKN's recommendation to the PPK
    }
)


class DeadlineRule(BaseModel):
    """One period: how many days of which unit, counted from which event, on which legal basis."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(min_length=1)
    days: int = Field(ge=0)
    unit: DayUnit
    start_event: str
    basis: str = Field(min_length=1)
    confirmed: bool
    note: str | None = None

    @field_validator("start_event")
    @classmethod
    def _known_start_event(cls, value: str) -> str:
        if value not in START_EVENTS:
            known = ", ".join(sorted(START_EVENTS))
            raise ValueError(f"unknown start_event {value!r}; expected one of: {known}")
        return value

    @field_validator("basis")
    @classmethod
    def _basis_not_blank(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("basis must not be blank")
        return value


class DeadlineRulebook(BaseModel):
    """All deadline rules per election type, plus whether cuti bersama are non-working days."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cuti_bersama_is_holiday: bool
    rules: dict[ElectionType, dict[str, DeadlineRule]]

    @model_validator(mode="before")
    @classmethod
    def _fill_rule_ids(cls, data: Any) -> Any:
        """Let the data omit `rule:` inside an entry: the mapping key is the rule id."""
        if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
            return data
        rules: dict[Any, Any] = {}
        for election, entries in data["rules"].items():
            if not isinstance(entries, dict):
                rules[election] = entries
                continue
            filled: dict[Any, Any] = {}
            for key, entry in entries.items():
                if isinstance(entry, dict) and "rule" not in entry:
                    entry = {"rule": key, **entry}
                filled[key] = entry
            rules[election] = filled
        return {**data, "rules": rules}

    @model_validator(mode="after")
    def _complete_and_consistent(self) -> DeadlineRulebook:
        for election in ElectionType:
            entries = self.rules.get(election)
            if entries is None:
                raise ValueError(f"no rules for election type {election.value!r}")
            missing = [rule_id for rule_id in RULE_IDS if rule_id not in entries]
            if missing:
                raise ValueError(f"{election.value}: missing rules: {', '.join(missing)}")
            for key, rule in entries.items():
                if rule.rule != key:
                    raise ValueError(f"{election.value}.{key}: entry says rule {rule.rule!r}")
        return self

    def rule(self, election: ElectionType, rule_id: str) -> DeadlineRule:
        """The rule `rule_id` for `election`; KeyError naming both when there is none."""
        entries = self.rules.get(ElectionType(election), {})
        try:
            return entries[rule_id]
        except KeyError:
            known = ", ".join(sorted(entries)) or "none"
            raise KeyError(
                f"no deadline rule {rule_id!r} for election type {election!s} (known: {known})"
            ) from None


@dataclass(frozen=True)
class Deadline:
    """A computed deadline, with everything needed to store and explain it."""

    rule: str
    start_event: str
    start: date
    due: date  # the last day still on time
    unit: DayUnit
    basis: str
    confirmed: bool
    calendar_version: str
    days: int = 0  # the period's length in `unit`


def compute_deadline(rule: DeadlineRule, start: date, calendar: WorkCalendar) -> Deadline:
    """Apply `rule` to `start` (the date of `rule.start_event`) on `calendar`."""
    return Deadline(
        rule=rule.rule,
        start_event=rule.start_event,
        start=start,
        due=calendar.add(start, rule.days, rule.unit),
        unit=rule.unit,
        basis=rule.basis,
        confirmed=rule.confirmed,
        calendar_version=calendar.version,
        days=rule.days,
    )


def is_met(deadline: Deadline, on: date) -> bool:
    """True when an act done on `on` is on time (on or before the due date)."""
    return on <= deadline.due
