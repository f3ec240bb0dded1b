"""Faults proven: `netra process` SIGKILLed at random moments, resumed, and nothing lost or doubled.

For each database (SQLite file; PostgreSQL): one undisturbed case first (the baseline: what a
case ends with, and how long its run takes), then variants of the same report (other reporter,
other reported person), each run with `netra process` and killed with SIGKILL after a delay drawn
from a seeded `random.Random` over the baseline's run time (so kills land in start-up, mid-stage,
mid-letter and mid-email), then run again (resume) until it completes. An email the kill left
"sending" is decided as a person would (`netra mail-resolve`, by looking at the recording SMTP
server) and the case resumed once more. Then the invariants:

- no lost case: every report is one case, at the baseline's final stage;
- one email per (letter, recipient): every outbox row sent, each Message-ID received once;
- letter numbers (and case numbers) 1..n of the office's year, none twice, no gap;
- no orphan file: every file under letters/ is a stored letter's, no temporary file left;
- every letter file matches its stored SHA-256.

The commands are the `netra` entry point (`cli.main:app`) in processes forked from a fork server
that imported Netra and Prefect once (tests/chaos/forked.py), on the session's Prefect test
server: an exec'd `netra` spends 15-20 s importing Prefect and starting its own temporary
server on a busy machine, which would leave most kills in Python's import. Counts: the short
form `NETRA_CHAOS_KILLS` (default 6 on SQLite, 4 on PostgreSQL); `make chaos` runs 120.
Figures go to test-output/chaos-kills-<database>.json and the end of pytest's summary.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapters.db.engine import make_engine
from adapters.docx import sha256
from adapters.letter_files import TEMPORARY_PREFIX
from cli.local.mail_sink import MailSink
from models.stages import Stage
from models.tables import Case, Letter, OutboxMessage, Party, SequenceCounter
from models.tables.case import PartyRole
from models.tables.paperwork import OutboxStatus
from tests.chaos import CHAOS_FIGURES
from tests.chaos.forked import start_netra
from tests.conftest import PROJECT, SAMPLES, sample_report

pytestmark = pytest.mark.prefect

SEED = 20241014
KILLS_PER_CASE = 3  # at most: then the case is resumed to its end and a new one begins
COMMAND_SECONDS = 900  # one command's bound (the machine may be busy)
ROUNDS = 4  # resumes after the kills before a case counts as lost
OUTPUT = Path(os.environ.get("NETRA_TEST_OUTPUT", PROJECT / "test-output"))
REPORT = sample_report("report-ppu-camat.json")
DECISIONS = SAMPLES / "decisions" / "report-ppu-camat.yaml"


def kills_for(database: str) -> int:
    default = {"sqlite": 6, "postgresql": 4}[database]
    return int(os.environ.get("NETRA_CHAOS_KILLS", default))


@dataclass
class Tally:
    database: str
    seed: int = SEED
    cases: int = 0
    kills: int = 0
    runs: int = 0
    stages_hit: Counter[str] = field(default_factory=Counter)
    kills_mid_letter: int = 0  # a letter file on disk that no stored letter names
    kills_mid_email: int = 0  # an email left "sending"
    kills_before_any_change: int = 0
    emails_resolved_by_a_person: int = 0
    strays_seen: int = 0
    letters: int = 0
    emails: int = 0
    baseline_seconds: float = 0.0
    resume_seconds: float = 0.0
    runs_ended_before_the_kill: int = 0
    seconds: float = 0.0
    invariants_held: bool = False

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "stages_hit": dict(sorted(self.stages_hit.items()))}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    if request.param == "sqlite":
        return "sqlite", f"sqlite:///{tmp_path / 'var' / 'netra.db'}"
    from tests.conftest import _reset_postgres

    url: str = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    _reset_postgres(engine)
    engine.dispose()
    return "postgresql", url


def command_env(tmp_path: Path, url: str, sink: MailSink) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NETRA_"))}
    env.update(
        NETRA_VAR_DIR=str(tmp_path / "var"),
        NETRA_DATABASE_URL=url,
        NETRA_OPERATOR="petugas-uji",
        NETRA_SMTP_PORT=str(sink.port),
        NETRA_SMTP_SECURITY="none",
        NETRA_MAIL_RETRY_BASE_SECONDS="0.01",
        NETRA_PDF="off",
        NETRA_LETTER_LINT="error",
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    return env


def variant(tmp_path: Path, n: int) -> Path:
    """The sample report with another reporter and another reported person: a new case with
    the same path through the stages."""
    if n == 0:
        return REPORT
    data = json.loads(REPORT.read_text(encoding="utf-8"))
    data["reporter"]["name"] = f"Pelapor Uji {n}"
    data["reporter"]["email"] = f"pelapor{n}@example.org"
    data["reporter"]["phone"] = f"08125{n:07d}"
    data["reported"][0]["name"] = f"Terlapor Uji {n}"
    data["reported"][0]["nip"] = f"197805122006041{n:03d}"
    data["reported"][0]["email"] = f"terlapor{n}@example.go.id"
    data["incident"]["place"] = f"Balai Desa Uji {n}, Kecamatan Waru"
    path = tmp_path / f"laporan-{n}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


class Runner:
    def __init__(self, env: dict[str, str], log: Path, tally: Tally) -> None:
        self.env, self.log, self.tally = env, log, tally

    def run(self, *args: str, kill_after: float | None = None) -> int | None:
        """`netra ARGS`; SIGKILLed after `kill_after` seconds if still running (None then)."""
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"\n$ netra {' '.join(args)} (kill after {kill_after})\n")
        self.tally.runs += 1
        process = start_netra(args, self.env, self.log)
        process.join(COMMAND_SECONDS if kill_after is None else kill_after)
        if process.is_alive():
            if kill_after is None:
                process.kill()
                pytest.fail(f"netra {args[0]} did not end within {COMMAND_SECONDS} s")
            process.kill()
            process.join(30)
            self.tally.kills += 1
            return None
        return process.exitcode

    def process(self, report: Path, kill_after: float | None = None) -> int | None:
        return self.run(
            "process", str(report), "--decisions", str(DECISIONS), kill_after=kill_after
        )


def case_of(engine: Engine, reporter: str) -> Case | None:
    with Session(engine) as session:
        found = session.exec(
            select(Case)
            .join(Party, col(Party.case_id) == col(Case.id))
            .where(Party.role == PartyRole.REPORTER, Party.name == reporter)
        ).all()
    assert len(found) <= 1, f"{reporter}: {len(found)} cases"
    return found[0] if found else None


def stored_names(engine: Engine) -> set[str]:
    with Session(engine) as session:
        letters = session.exec(select(Letter)).all()
    names = {x.path for x in letters}
    names |= {str(Path(x.path).with_suffix(".pdf")) for x in letters if x.pdf_sha256}
    return names


def strays(engine: Engine, letters_dir: Path) -> list[str]:
    on_disk = (
        {str(p.relative_to(letters_dir)) for p in letters_dir.rglob("*") if p.is_file()}
        if letters_dir.is_dir()
        else set()
    )
    return sorted(on_disk - stored_names(engine))


def stuck(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENDING)
            ).all()
        )


def snapshot(engine: Engine, reporter: str) -> tuple[Any, ...]:
    case = case_of(engine, reporter)
    if case is None:
        return ("",)
    with Session(engine) as session:
        letters = len(session.exec(select(Letter.id).where(Letter.case_id == case.id)).all())
        mail = sorted(
            str(s)
            for s in session.exec(
                select(OutboxMessage.status).where(OutboxMessage.case_id == case.id)
            ).all()
        )
    return (case.stage, letters, tuple(mail))


def note_kill(
    engine: Engine, letters_dir: Path, reporter: str, before: tuple[Any, ...], tally: Tally
) -> None:
    """Where the kill landed, read from what it left."""
    after = snapshot(engine, reporter)
    tally.stages_hit[str(after[0]) or "belum-tercatat"] += 1
    if after == before:
        tally.kills_before_any_change += 1
    left = strays(engine, letters_dir)
    if left:
        tally.kills_mid_letter += 1
        tally.strays_seen += len(left)
    if stuck(engine):
        tally.kills_mid_email += 1


def resolve_stuck_mail(engine: Engine, sink: MailSink, runner: Runner) -> int:
    """What a person does with an email left "sending": look at the mail server, and record it
    as delivered or have it sent again (`netra mail-resolve`)."""
    received = {m.message["Message-ID"] for m in sink.handler.received}
    rows = stuck(engine)
    for row in rows:
        verdict = "--delivered" if row.message_id in received else "--not-delivered"
        assert runner.run("mail-resolve", row.key, verdict) == 0
    return len(rows)


def serials(numbers: list[str]) -> list[int]:
    return sorted(int(n.split("/", 1)[0]) for n in numbers)


def check_invariants(
    engine: Engine, letters_dir: Path, sink: MailSink, reporters: list[str], tally: Tally
) -> None:
    cases = [case_of(engine, r) for r in reporters]
    assert all(c is not None for c in cases), "a report has no case"
    assert [c.stage for c in cases if c] == [Stage.REFERRED] * len(cases)
    with Session(engine) as session:
        letters = list(session.exec(select(Letter)).all())
        mail = list(session.exec(select(OutboxMessage)).all())
        counters = {
            (c.office_key, c.year, c.series): c.last
            for c in session.exec(select(SequenceCounter)).all()
        }
        case_numbers = [c.case_number for c in session.exec(select(Case)).all()]
    # Every case has the baseline's letters: the same (kind, recipient) set.
    shapes = {
        tuple(sorted((x.kind, x.recipient_key) for x in letters if x.case_id == c.id))
        for c in cases
        if c
    }
    assert len(shapes) == 1, shapes
    # Numbering: one sequence per office and year (the tanda terima is dated on receipt, the
    # rest today), each 1..n with none twice and no gap, its counter at n.
    office = {c.office_key for c in cases if c}.pop()
    numbered = [x.number for x in letters if not x.number.startswith("Lampiran ")]
    for year in {int(n.rsplit("/", 1)[1]) for n in numbered}:
        of_year = [n for n in numbered if n.endswith(f"/{year}")]
        assert serials(of_year) == list(range(1, len(of_year) + 1)), (year, serials(of_year))
        assert counters[(office, year, "surat")] == len(of_year)
    registered = [n for n in case_numbers if n]
    assert serials(registered) == list(range(1, len(cases) + 1)), registered
    assert sum(v for (_, _, series), v in counters.items() if series != "surat") == len(cases)
    # Files: every file a stored letter's, none temporary, every one as issued.
    assert strays(engine, letters_dir) == []
    assert not list(letters_dir.rglob(f"{TEMPORARY_PREFIX}*"))
    for letter in letters:
        path = letters_dir / letter.path
        assert sha256(path.read_bytes()) == letter.sha256, letter.path
        if letter.pdf_sha256:
            assert sha256(path.with_suffix(".pdf").read_bytes()) == letter.pdf_sha256
    # Email: every row sent, each Message-ID received exactly once, nothing else received.
    assert {m.status for m in mail} == {OutboxStatus.SENT}
    received = Counter(m.message["Message-ID"] for m in sink.handler.received)
    twice = {k: n for k, n in received.items() if n > 1}
    assert not twice, f"received more than once: {twice}"
    assert set(received) == {m.message_id for m in mail}
    assert all(m.letter_id in {x.id for x in letters} for m in mail if m.letter_id)
    tally.letters, tally.emails = len(letters), len(mail)


def test_killed_commands_resume_with_nothing_lost_or_doubled(
    database: tuple[str, str], sink: MailSink, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    name, url = database
    tally = Tally(name)
    started = time.monotonic()
    runner = Runner(command_env(tmp_path, url, sink), tmp_path / "netra.log", tally)
    letters_dir = tmp_path / "var" / "letters"
    draw = random.Random(f"{SEED}-{name}")
    kills = kills_for(name)

    assert runner.run("--help") == 0  # starts the fork server: not part of the baseline
    # The baseline: undisturbed; how long a whole run takes, and a resume with nothing left
    # to do (start-up and the stages finding their work done).
    t0 = time.monotonic()
    assert runner.process(REPORT) == 0, runner.log.read_text()[-3000:]
    t1 = time.monotonic()
    assert runner.process(REPORT) == 0, runner.log.read_text()[-3000:]
    whole, idle = t1 - t0, time.monotonic() - t1
    tally.baseline_seconds, tally.resume_seconds = round(whole, 1), round(idle, 1)
    engine = make_engine(url)
    reporters = [json.loads(REPORT.read_text())["reporter"]["name"]]
    try:
        left, n = kills, 0
        while left > 0 and tally.runs < 4 * kills + 8:
            n += 1
            report = variant(tmp_path, n)
            reporter = json.loads(report.read_text())["reporter"]["name"]
            reporters.append(reporter)
            mine, work = min(left, KILLS_PER_CASE), max(whole - idle, 1.0)
            while mine > 0:
                # Somewhere in what is left of the run: its start-up, then the work not done.
                delay = draw.uniform(0.0, idle + work)
                before = snapshot(engine, reporter)
                code = runner.process(report, kill_after=delay)
                assert code in (None, 0), runner.log.read_text()[-3000:]
                if code == 0:  # it ended first: the case is complete
                    tally.runs_ended_before_the_kill += 1
                    break
                note_kill(engine, letters_dir, reporter, before, tally)
                mine, left = mine - 1, left - 1
                work = max(work - max(delay - idle, 0.0), 1.0)
            for _ in range(ROUNDS):  # resume until complete
                assert runner.process(report) == 0, runner.log.read_text()[-3000:]
                resolved = resolve_stuck_mail(engine, sink, runner)
                tally.emails_resolved_by_a_person += resolved
                if not resolved:
                    break
            tally.cases = len(reporters)
        assert tally.kills == kills, f"{tally.kills} of {kills} kills landed"
        check_invariants(engine, letters_dir, sink, reporters, tally)
        tally.invariants_held = True
    finally:
        engine.dispose()
        tally.seconds = round(time.monotonic() - started, 1)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        figures = tally.as_json()
        (OUTPUT / f"chaos-kills-{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
        request.config.stash.setdefault(CHAOS_FIGURES, []).append(figures)
