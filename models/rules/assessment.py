"""`netra assess`: the rulebook applied to one report, without recording anything.

Builds the object of CONTRACTS.md §3. Pure: today's date, the rulebook and the findings are inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.enums import ReportKind
from models.findings import Findings
from models.problems import Problem, Severity
from models.report.model import Election, Report
from models.report.validation import date_problems, nip_problems
from models.rules.admissibility import CheckInput, CheckResult, is_admissible, run_checks
from models.rules.calendar import local_date
from models.rules.catalogue import is_crime, phase_problems, recommend
from models.rules.deadlines import Deadline, RuleId, compute_deadline
from models.rules.elections import ElectionFacts
from models.rules.identifiers import check_nip
from models.rules.routing import route
from models.rules.rulebook import Rulebook


@dataclass(frozen=True)
class Timeline:
    """The deadlines a report starts, computed from its own dates."""

    received_on: date
    window: Deadline
    kajian_awal: Deadline
    decision: Deadline
    decision_extension: Deadline

    def all(self) -> list[Deadline]:
        return [self.window, self.kajian_awal, self.decision, self.decision_extension]


def window_rule_id(kind: ReportKind) -> str:
    return RuleId.REPORT_WINDOW if kind is ReportKind.LAPORAN else RuleId.TEMUAN_WINDOW


def build_timeline(
    report: Report, rulebook: Rulebook, *, registered_on: date | None = None
) -> Timeline:
    """Deadlines of a report. Until it is registered, registration is assumed on receipt."""
    office = rulebook.offices.get(report.office)
    # An unknown office (a problem of its own) leaves the offset the report gives.
    received_on = (
        local_date(report.received_at, office.timezone) if office else report.received_at.date()
    )
    election, calendar, rules = report.election.type, rulebook.calendar, rulebook.deadlines
    starts: dict[str, date] = {
        "known_on": report.discovered_on,
        "received_at": received_on,
        "registered": registered_on or received_on,
    }

    def due(rule_id: str) -> Deadline:
        rule = rules.rule(election, rule_id)
        deadline = compute_deadline(rule, starts[rule.start_event], calendar)
        starts[f"{rule_id}_due"] = deadline.due
        return deadline

    window = due(window_rule_id(report.kind))
    kajian, decision = due(RuleId.KAJIAN_AWAL), due(RuleId.DECISION)
    # Pemilu: the 14 working days run from registration (UU 7/2017 Pasal 454(8)), replacing the
    # 7 days; Pilkada: 2 more days after the decision deadline (UU 10/2016 Pasal 134(6)).
    return Timeline(received_on, window, kajian, decision, due(RuleId.DECISION_EXTENSION))


def check_report(report: Report, timeline: Timeline) -> list[CheckResult]:
    return run_checks(
        CheckInput(report=report, received_on=timeline.received_on, window=timeline.window)
    )


def contest_problems(contest: str | None, facts: ElectionFacts | None) -> list[Problem]:
    """A contest the election does not know is a warning; the earliest date is used."""
    if contest is None or (facts is not None and contest.strip().casefold() in facts.contests):
        return []
    known = ", ".join(sorted(facts.contests)) if facts and facts.contests else "tidak ada"
    return [
        Problem(
            code="kontestasi_tidak_dikenal",
            field="findings.contest",
            message=f"kontestasi {contest!r} tidak dikenal untuk pemilihan ini (yang dikenal: "
            f"{known}); dipakai tanggal penetapan calon paling awal",
            severity=Severity.WARNING,
        )
    ]


def _deadline_json(deadline: Deadline) -> dict[str, Any]:
    return {
        "rule": deadline.rule,
        "due": deadline.due.isoformat(),
        "unit": str(deadline.unit),
        "basis": deadline.basis,
        "start": deadline.start.isoformat(),
        "start_event": deadline.start_event,
        "confirmed": deadline.confirmed,
    }


def findings_warnings(
    acts: Sequence[str],
    act_date: date,
    contest: str | None,
    election: Election,
    rulebook: Rulebook,
) -> list[Problem]:
    """Warnings on findings that never stop a decision: an unknown contest, and codes whose SKB
    phase (Huruf A: bakal calon; Huruf B: calon) contradicts the act's date against the
    contest's determination date (the earliest contest's without one)."""
    facts = rulebook.elections.facts(election.type, election.year)
    determined = facts.determined_on(contest) if facts else None
    return [
        *contest_problems(contest, facts),
        *phase_problems(acts, act_date, determined, rulebook.catalogue),
    ]


def _problem_json(problem: Problem) -> dict[str, Any]:
    return problem.model_dump(mode="json")


def assess(
    report: Report, rulebook: Rulebook, *, as_of: date, findings: Findings | None = None
) -> dict[str, Any]:
    """The CONTRACTS.md §3 object for `report` as it stands on `as_of`."""
    timeline = build_timeline(report, rulebook)
    checks = check_report(report, timeline)
    problems = [
        Problem(code=c.check, field=c.field, message=c.reason) for c in checks if not c.passed
    ]
    incoherent = date_problems(report, timeline.received_on)
    problems += incoherent + nip_problems(report, severity=Severity.WARNING)
    deadlines = [_deadline_json(d) for d in timeline.all()]

    act_date = (findings.act_date or report.incident.occurred_on) if findings else None
    crime = False
    if findings and act_date:
        problems += findings_warnings(
            findings.acts, act_date, findings.contest, report.election, rulebook
        )
        crime = is_crime(findings.acts, rulebook.catalogue, act_date)
        followup = compute_deadline(
            rulebook.deadlines.rule(report.election.type, RuleId.PPK_FOLLOWUP),
            as_of,
            rulebook.calendar,
        )
        deadlines.append(_deadline_json(followup))

    reported = []
    for person in report.reported:
        entry: dict[str, Any] = {
            "name": person.name,
            "employment": str(person.employment),
            "nip_valid": check_nip(person.nip, person.employment).valid,
            "authority": str(
                route(
                    person.employment,
                    referral_date=as_of,
                    switch_date=rulebook.elections.referral_switch_date,
                    crime=crime,
                )
            ),
        }
        if findings and act_date:
            entry["recommendation"] = recommend(
                findings.acts, person.employment, act_date, rulebook.catalogue
            ).to_contract()
        reported.append(entry)

    return {
        "admissible": is_admissible(checks) and not incoherent,
        "problems": [_problem_json(p) for p in problems],
        "election": str(report.election.type),
        "deadlines": deadlines,
        "reported": reported,
        "checks": [
            {
                "check": c.check,
                "kind": c.kind,
                "passed": c.passed,
                "basis": c.basis,
                "reason": c.reason,
            }
            for c in checks
        ],
        "as_of": as_of.isoformat(),
    }
