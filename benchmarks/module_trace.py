"""Which project modules one case's whole path touches, under Prefect and without it.

report-ppu-camat goes through `process_case` and through the plain stage functions, each in a fresh
process. Counted: calls between project functions, in any thread (project: .py under the repo root
but not in .venv, .tools, tests, benchmarks, dot folders or the mail sink; imports left out).
Usage: python -m benchmarks.module_trace [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import subprocess
import sys
import tempfile
import threading
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

from cli.local.mail_sink import MailSink
from config.settings import Settings, SmtpSecurity
from models.inputs import CasePlan
from models.report.model import Report
from models.report.parse import parse_report_text
from models.stages import Stage
from services.approval import approve_recommendation
from services.clarification import invite_for_clarification, record_clarification
from services.deps import get_deps, use_settings
from services.intake import intake_report
from services.notification import deliver_mail, mark_referred
from services.recommendation import recommend_sanction
from services.verification import verify_case
from tests.support.actors import staff

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {".venv", ".tools", "tests", "benchmarks"}
SAMPLE = "report-ppu-camat"
MODES = {"prefect": "process_case under prefect_test_harness", "plain": "stage services"}
FIGURES = ("modules", "functions", "edges", "both_ways")
Site = tuple[str, str]  # (module, function)


async def plain(report: Report, plan: CasePlan) -> Stage:
    """The stage services in order, as benchmarks/pipeline.py calls them, on the clock that
    process_case(replay_timeline=True) uses."""
    assert plan.clarification and plan.findings and plan.approval
    deps, who = get_deps(), plan.investigator or "petugas"
    at = {k: report.received_at + timedelta(days=d) for k, d in dict(plan.times).items()}
    case = str(intake_report(deps, report, actor=staff(who), now=report.received_at).case.id)
    verify_case(deps, case, plan.verification, actor=staff(who), now=at["verification"])
    invite_for_clarification(
        deps, case, plan.clarification, actor=staff(who), now=at["clarification"]
    )
    outcomes, now = plan.clarification_outcomes, at["clarification_record"]
    record_clarification(deps, case, outcomes, actor=staff(who), now=now)
    recommend_sanction(deps, case, plan.findings, actor=staff(who), now=at["recommendation"])
    approve_recommendation(
        deps, case, plan.approval, actor=staff(plan.supervisor or "pimpinan"), now=at["approval"]
    )
    await deliver_mail(deps, case)
    return mark_referred(deps, case, actor=staff("sistem"), now=at["notification"]).stage


class Recorder:
    """A profile hook for every thread: while active, it keeps the project-to-project calls."""

    def __init__(self, excluded: str) -> None:
        self.active, self.excluded, self.calls = False, excluded, set[tuple[Site, Site]]()
        self._modules: dict[str, str | None] = {}

    def module(self, file: str) -> str | None:
        if file not in self._modules:
            path = Path(file).resolve()
            ok = path.suffix == ".py" and path.is_relative_to(ROOT) and file != self.excluded
            parts = path.relative_to(ROOT).with_suffix("").parts if ok else ("",)
            ok = ok and parts[0] not in SKIPPED and not any(p.startswith(".") for p in parts)
            dotted = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            self._modules[file] = dotted if ok else None
        return self._modules[file]

    def site(self, frame: FrameType | None) -> Site | None:
        """(module, function) of a project function's frame; lambdas, comprehensions and
        generator expressions count as the function they are written in."""
        if frame is None or not frame.f_code.co_flags & inspect.CO_NEWLOCALS:  # module/class body
            return None
        module = self.module(frame.f_code.co_filename)
        return (module, frame.f_code.co_qualname.split(".<locals>.<")[0]) if module else None

    def profile(self, frame: FrameType, event: str, arg: object) -> None:
        if not (self.active and event == "call" and (callee := self.site(frame))):
            return
        if caller := self.site(frame.f_back):
            self.calls.add((caller, callee))

    def figures(self) -> dict[str, Any]:
        crossing = sorted((a, b) for a, b in self.calls if a[0] != b[0])
        edges = {(a[0], b[0]) for a, b in crossing}
        return {
            "modules": sorted({site[0] for call in self.calls for site in call}),
            "functions": sorted({":".join(site) for call in self.calls for site in call}),
            "edges": sorted(edges),
            "both_ways": sorted((a, b) for a, b in edges if a < b and (b, a) in edges),
            "cross_module_calls": [f"{':'.join(a)} -> {':'.join(b)}" for a, b in crossing],
        }


def run(mode: str) -> dict[str, Any]:
    from prefect.testing.utilities import prefect_test_harness

    from flows.process import process_case
    from services.submission import submit_report

    recorder = Recorder(inspect.getfile(MailSink))  # the sink is not the case path
    with tempfile.TemporaryDirectory() as tmp, MailSink(Path(tmp) / "m") as sink:
        var, port = Path(tmp) / "var", sink.port
        use_settings(Settings(var_dir=var, smtp_port=port, smtp_security=SmtpSecurity.NONE))
        text = (ROOT / "samples" / "reports" / f"{SAMPLE}.json").read_text(encoding="utf-8")
        report = parse_report_text(text, filename=f"{SAMPLE}.json")
        text = (ROOT / "samples" / "decisions" / f"{SAMPLE}.yaml").read_text(encoding="utf-8")
        plan = CasePlan.model_validate(yaml.safe_load(text))
        sys.setprofile(recorder.profile)  # installed before the harness: its threads get it too
        threading.setprofile(recorder.profile)
        prefect = mode == "prefect"
        with prefect_test_harness(server_startup_timeout=180) if prefect else nullcontext():
            recorder.active = True
            if prefect:
                submission = submit_report(get_deps(), report, now=report.received_at)
                stage = asyncio.run(process_case(submission, plan, replay_timeline=True)).stage
            else:
                stage = asyncio.run(plain(report, plan))
            recorder.active = False
        return recorder.figures() | {"final_stage": str(stage), "emails": len(sink.messages)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)  # one run, in a child
    args = parser.parse_args()
    if args.mode:
        args.json.write_text(json.dumps(run(args.mode)))
        return
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode, label in MODES.items():
            out, child = Path(tmp) / f"{mode}.json", ["-m", "benchmarks.module_trace", "--mode"]
            command = [sys.executable, *child, mode, "--json", str(out)]
            subprocess.run(command, cwd=ROOT, check=True)
            results[mode] = {"run": label, **json.loads(out.read_text())}
    for mode, r in results.items():
        print(f"{mode}: {r['run']} (final stage {r['final_stage']}, {r['emails']} emails)")
        counts = ", ".join(f"{key} {len(r[key])}" for key in FIGURES)
        print(f"  {counts}", *(f"    {a} <-> {b}" for a, b in r["both_ways"]), sep="\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
