"""Netra at scale, every figure against a baseline measured in the same run, in one table:

1. start-up: `netra --help`, `netra assess`, `netra list`, `netra show`, `netra users list` and
   `netra audit verify` (a small SQLite)
   against `python -c pass` (median of 5 runs each);
2. N cases (default 20: 1,000 would take hours on 2 shared cores; 10,000 is extrapolated) from
   batch intake to emailed letters through the production path (`services.batch` as
   `netra intake FOLDER` runs it, then every stage flow in this process under Prefect's
   temporary server, as `netra process` runs them, against a recording SMTP server) against the
   bare loop (`benchmarks.pipeline.whole_path`, the stage services without Prefect):
   seconds per case, peak memory (each path in its own child process), and 10,000 cases
   extrapolated from the measured rate;
3. one stage on the warm engine (`benchmarks.warm_engine`): `netra verify` handed to a running
   `netra serve` against the same command running its flow itself (`--engine-cases`, 0: skip);
4. PostgreSQL with synthetic cases (`benchmarks.scale_queries`): the register's and the list's
   first page, the count, "Menunggu saya" and `netra show` (`case_view`) of a case in the middle,
   against 50 case rows read by id.

    python -m benchmarks.scale [--cases N] [--pg-cases 100000,1000000] [--skip-pg]
    python -m benchmarks.scale --startup-only      # part 1 alone
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples/reports/report-ppu-camat.json"
TARGET_CASES = 10_000  # the batch the targets speak of


@dataclass
class Row:
    label: str
    value: float
    unit: str
    baseline: float | None = None  # in the same unit
    limit: float | None = None  # the target: value <= limit
    target: str = ""

    def cells(self) -> list[str]:
        def num(x: float) -> str:
            return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"

        ratio = f"{self.value / self.baseline:.2f}x" if self.baseline else ""
        verdict = ""
        if self.limit is not None:
            verdict = (
                "met"
                if self.value <= self.limit
                else f"missed by {num(self.value - self.limit)} {self.unit}"
                f" ({self.value / self.limit:.2f}x)"
            )
        base = f"{num(self.baseline)} {self.unit}" if self.baseline is not None else ""
        return [self.label, f"{num(self.value)} {self.unit}", base, ratio, self.target, verdict]


def print_table(rows: list[Row]) -> None:
    head = ["measure", "value", "baseline", "ratio", "target", "verdict"]
    table = [head, *(r.cells() for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(head))]
    for n, line in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


# 1. Start-up -------------------------------------------------------------------------------


def median_run(command: list[str], env: dict[str, str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, cwd=ROOT, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"{command} failed: {done.stderr.decode()[-800:]}")
    return statistics.median(times)


def startup(folder: Path) -> list[Row]:
    netra = str(Path(sys.executable).parent / "netra")
    env = {**os.environ, "NETRA_VAR_DIR": str(folder / "var-startup")}
    env.update(NETRA_SMTP_PORT="9", NETRA_MAIL_MAX_ATTEMPTS="1", NETRA_OPERATOR="petugas-bench")
    env.pop("NETRA_DATABASE_URL", None)
    inbox = folder / "startup-reports"
    inbox.mkdir()
    for i, data in enumerate(reports(5)):
        (inbox / f"laporan-{i}.json").write_text(json.dumps(data))
    for setup in (["db", "upgrade"], ["intake", str(inbox), "--json"]):
        subprocess.run([netra, *setup], env=env, capture_output=True, cwd=ROOT, check=False)
    bare = median_run([sys.executable, "-c", "pass"], env)
    rows = [Row("start-up: python -c pass (median of 5)", bare * 1000, "ms")]
    for label, args in (
        ("netra --help", ["--help"]),
        ("netra assess SAMPLE --json", ["assess", str(SAMPLE), "--json"]),
        ("netra list --limit 50 (5 cases)", ["list", "--limit", "50"]),
        ("netra show 1", ["show", "1"]),
        ("netra users list", ["users", "list"]),
        ("netra audit verify", ["audit", "verify"]),
    ):
        seconds = median_run([netra, *args], env)
        rows.append(
            Row(f"start-up: {label}", seconds * 1000, "ms", bare * 1000, 3 * bare * 1000, "<= 3x")
        )
    return rows


# 2. Intake to emailed letters ------------------------------------------------------------


def reports(n: int) -> list[dict[str, Any]]:
    """`n` PPU reports a second apart, each about its own civil servant (its own NIP), so no
    case links to all the others."""
    from benchmarks.batch_intake import synthetic

    out = synthetic(n)
    for i, data in enumerate(out):
        person = data["reported"][0]
        sex, day = 1 + i // 999 % 2, 1 + i // 1998 % 28  # unique for 55,944 reports
        person["nip"] = f"197805{day:02d}200604{sex}{1 + i % 999:03d}"
        person["name"] = f"{person['name']} {i}"
        data["reporter"]["name"] = f"{data['reporter']['name']} {i}"
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child(part: str, n: int) -> dict[str, float]:
    """Run one path in a child process (its own peak memory); returns its figures."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", "--part", part, "--cases", str(n)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{part} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(lines[-1])
    return result


def bare_part(n: int) -> dict[str, float]:
    from benchmarks.pipeline import whole_path
    from cli.local.mail_sink import MailSink
    from config.settings import Settings, SmtpSecurity
    from models.report.parse import parse_report
    from services.deps import build_deps

    with tempfile.TemporaryDirectory() as folder, MailSink(Path(folder) / "mail") as sink:
        settings = Settings(
            var_dir=Path(folder) / "var", smtp_port=sink.port, smtp_security=SmtpSecurity.NONE
        )
        deps = build_deps(settings)
        parsed = [parse_report(d) for d in reports(n + 1)]
        warm = time.perf_counter()
        asyncio.run(whole_path(deps, parsed[0], intake_at=parsed[0].received_at))
        warm = time.perf_counter() - warm
        started = time.perf_counter()

        async def every() -> None:
            for report in parsed[1:]:
                await whole_path(deps, report, intake_at=report.received_at)

        asyncio.run(every())
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "warm": warm, "emails": len(sink.received), "mb": peak_mb()}


def production_part(n: int) -> dict[str, float]:
    """Batch intake of N+1 reports (`services.batch`, as `netra intake FOLDER`), then the stage
    flows of the first case (Prefect's temporary server starts: timed apart), then those of the
    other N, all in this process."""
    from benchmarks.pipeline import DAYS, FINDINGS, HEARD, SCHEDULE
    from cli.batch import read_batch
    from cli.local.mail_sink import MailSink
    from cli.prefect_env import configure_prefect
    from config.settings import Settings, SmtpSecurity
    from models.inputs import ApprovalInput, VerificationChoice, VerificationDecision
    from models.stages import Stage
    from services.deps import use_settings
    from tests.support.actors import seed_staff, staff

    with tempfile.TemporaryDirectory() as folder, MailSink(Path(folder) / "mail") as sink:
        inbox = Path(folder) / "masuk"
        inbox.mkdir()
        for i, data in enumerate(reports(n + 1)):
            (inbox / f"laporan-{i:05d}.json").write_text(json.dumps(data))
        settings = Settings(
            var_dir=Path(folder) / "var", smtp_port=sink.port, smtp_security=SmtpSecurity.NONE
        )
        configure_prefect(settings)
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        deps = use_settings(settings)
        seed_staff(deps, "bench")
        from flows.stages import (
            approval_flow,
            clarification_flow,
            clarification_record_flow,
            notification_flow,
            recommendation_flow,
            verification_flow,
        )
        from services.batch import BatchStatus, intake_batch, send_receipts

        started = time.perf_counter()
        items = read_batch(inbox)
        last = max(i.report.received_at for i in items if i.report is not None)
        t0 = last + timedelta(minutes=1)
        summary = intake_batch(deps, items, actor=staff("bench"), now=lambda: t0)
        asyncio.run(send_receipts(deps, summary.case_ids))
        intake = time.perf_counter() - started
        assert summary.count(BatchStatus.RECORDED) == n + 1, summary
        cases = [str(c) for c in dict.fromkeys(summary.case_ids)]

        def at(days: float) -> datetime:
            return t0 + timedelta(days=days)

        async def stages(case: str) -> None:
            register = VerificationDecision(decision=VerificationChoice.REGISTER)
            await verification_flow(case, register, "bench", at(DAYS["verify"]))
            await clarification_flow(case, SCHEDULE, "bench", at(DAYS["clarify"]))
            await clarification_record_flow(case, HEARD, "bench", at(DAYS["hearing"]))
            await recommendation_flow(case, FINDINGS, "bench", at(DAYS["recommend"]))
            await approval_flow(case, ApprovalInput(approved=True), "bench", at(DAYS["approve"]))
            result = await notification_flow(case, "sistem", at(DAYS["approve"]))
            assert result.stage is Stage.REFERRED, result

        warm = time.perf_counter()
        asyncio.run(stages(cases[0]))
        warm = time.perf_counter() - warm

        async def every() -> None:
            for case in cases[1:]:
                await stages(case)

        began = time.perf_counter()
        asyncio.run(every())
        flows = time.perf_counter() - began
        return {
            "seconds": intake * n / (n + 1) + flows,
            "intake": intake,
            "flows": flows,
            "warm": warm,
            "emails": len(sink.received),
            "mb": peak_mb(),
        }


def pipeline_rows(n: int) -> list[Row]:
    bare = child("bare", n)
    prod = child("production", n)
    per_bare, per_prod = bare["seconds"] / n, prod["seconds"] / n
    extrapolated = per_prod * TARGET_CASES / 60
    note = f" ({n} measured)" if n != TARGET_CASES else ""
    return [
        Row(f"bare loop: s/case, {n} cases", per_bare, "s", None, 0.5, "< 0.5 s/case"),
        Row(
            f"production: s/case, {n} cases",
            per_prod,
            "s",
            per_bare,
            1.5 * per_bare,
            "<= 1.5x bare",
        ),
        Row(f"  of which batch intake, s/case (N+1={n + 1})", prod["intake"] / (n + 1), "s"),
        Row(f"  of which stage flows, s/case ({n})", prod["flows"] / n, "s"),
        Row("  first case's flows (Prefect server start)", prod["warm"], "s", bare["warm"]),
        Row(
            f"production: emails sent ({n + 1} cases)",
            prod["emails"],
            "mails",
            bare["emails"],
        ),
        Row(
            f"production: {TARGET_CASES:,} cases, minutes{note}",
            extrapolated + prod["warm"] / 60,
            "min",
            bare["seconds"] / n * TARGET_CASES / 60,
            15,
            "<= 15 min, 2 cores",
        ),
        Row(f"bare loop: peak memory, {n} cases", bare["mb"], "MB"),
        Row(
            f"production: peak memory, {n} cases",
            prod["mb"],
            "MB",
            bare["mb"],
            400,
            "< 400 MB at 10,000",
        ),
    ]


# 3. PostgreSQL at scale ------------------------------------------------------------------


def pg_rows(n: int) -> list[Row]:
    from sqlmodel import Session, col, select

    from adapters.db.engine import make_engine
    from adapters.db.migrate import upgrade
    from adapters.db.search import deadlines_due
    from adapters.db.views import case_rows, case_view, count_cases
    from benchmarks.scale_queries import PAGE, database, fill, timed
    from models.tables import Case

    rows: list[Row] = []
    with database(use_sqlite=False) as url:
        if not url.startswith("postgresql"):
            print("PostgreSQL on 127.0.0.1:5432 not reachable: its rows are left out")
            return []
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        fill(engine, n, parties=True)
        rows.append(
            Row(f"pg {n:,}: fill (cases, deadlines, parties)", time.perf_counter() - started, "s")
        )

        def baseline() -> object:
            with Session(engine) as session:
                query = select(Case).where(col(Case.id) <= PAGE).order_by(col(Case.id))
                return session.exec(query).all()

        base = timed(baseline) * 1000
        rows.append(Row(f"pg {n:,}: baseline, {PAGE} case rows by id", base, "ms"))
        middle = str(n // 2)
        steps: list[tuple[str, Callable[[], object], float | None]] = [
            (
                "register: first page by next due",
                lambda: case_rows(engine, open_only=True, soonest_first=True, limit=PAGE),
                100,
            ),
            ("netra show (case_view), middle case", lambda: case_view(engine, middle), 100),
            ("list: first page", lambda: case_rows(engine, limit=PAGE), None),
            ("list: count", lambda: count_cases(engine), None),
            (
                "Menunggu saya: open deadlines due by 10 Jan",
                lambda: deadlines_due(engine, None, date(2024, 1, 10)),
                None,
            ),
        ]
        for label, step, limit in steps:
            ms = timed(step) * 1000
            target = "" if limit is None else f"<= {limit:.0f} ms at 1,000,000"
            rows.append(Row(f"pg {n:,}: {label}", ms, "ms", base, limit, target))
        engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--cases", type=int, default=20)  # 1,000 takes hours here
    parser.add_argument("--pg-cases", default="100000")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--startup-only", action="store_true", help="only part 1 (start-up)")
    parser.add_argument("--engine-cases", type=int, default=3, help="0: no warm-engine part")
    parser.add_argument("--part", choices=["bare", "production"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:  # a child process of pipeline_rows
        figures = bare_part(args.cases) if args.part == "bare" else production_part(args.cases)
        print(json.dumps(figures))
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        rows = startup(Path(folder))
    if not args.startup_only:
        rows += pipeline_rows(args.cases)
    if args.engine_cases and not args.startup_only:
        from benchmarks.warm_engine import warm_engine_rows

        rows += warm_engine_rows(args.engine_cases)
    if not (args.skip_pg or args.startup_only):
        for n in (int(x) for x in args.pg_cases.split(",") if x.strip()):
            rows += pg_rows(n)
    print(f"\nNetra at scale ({os.cpu_count()} cores, {time.perf_counter() - started:.0f} s)")
    print_table(rows)


if __name__ == "__main__":
    main()
