"""Recording reports in the real case database, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from adapters.db.cases import ConcurrentChange, get_case, move_case
from adapters.db.engine import unit_of_work
from adapters.db.migrate import current_revision
from cli.local.mail_sink import MailSink
from cli.reading import read_report
from config.settings import Settings
from models.outcomes import Transition
from models.problems import ReportRejected
from models.rules.rulebook import Rulebook
from models.stages import CaseEvent, IllegalMove, Stage
from models.tables.case import Case, CaseDeadline, Party, PartyRole, StageEvent
from services.deps import Deps
from services.intake import intake_report
from services.notification import deliver_mail
from tests.conftest import sample_report
from tests.services.helpers import DOCX, ON_SQLITE, letter_text, letters, outbox
from tests.support.actors import staff

NOW = datetime(2024, 10, 14, 2, 0, tzinfo=UTC)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_migrations_create_the_schema(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"cases", "party", "evidence", "deadline", "stage_event"} <= tables
    assert current_revision(engine) is not None


def test_intake_records_case_parties_deadlines_and_event(engine: Engine, deps: Deps) -> None:
    report = read_report(sample_report("report-ppu-camat.json"))
    outcome = intake_report(deps, report, actor=staff("petugas"), now=NOW)
    assert outcome.created
    with Session(engine) as session:
        case = get_case(session, str(outcome.case.id))
        assert case.stage is Stage.RECEIVED
        assert case.received_on == date(2024, 10, 14)
        assert case.received_at == datetime(2024, 10, 14, 1, 15, tzinfo=UTC)
        roles = sorted((p.role.value, p.name) for p in session.exec(select(Party)).all())
        assert roles == [
            (PartyRole.REPORTER.value, "Rahmat Hidayat"),
            (PartyRole.WITNESS.value, "Siti Aminah"),
            (PartyRole.REPORTED.value, "Drs. Agus Salim, M.Si."),
        ]
        deadlines = {d.rule: d.due_on for d in session.exec(select(CaseDeadline)).all()}
        # Pilkada counts calendar days: known 11 Oct + 7 = 18 Oct; received 14 Oct + 2 = 16 Oct.
        assert deadlines == {"report_window": date(2024, 10, 18), "kajian_awal": date(2024, 10, 16)}
        events = session.exec(select(StageEvent)).all()
        assert [(e.event, e.from_stage, e.to_stage, e.actor) for e in events] == [
            ("CaseReceived", None, Stage.RECEIVED, "petugas")
        ]


def test_same_report_twice_is_recognised(engine: Engine, deps: Deps) -> None:
    report = read_report(sample_report("temuan-balikpapan-pppk.json"))
    first = intake_report(deps, report, actor=staff("a"), now=NOW)
    second = intake_report(deps, report, actor=staff("b"), now=NOW)
    assert second.case.id == first.case.id and not second.created
    assert _count(engine, "cases") == 1
    assert _count(engine, "stage_event") == 1


@ON_SQLITE
async def test_a_laporan_is_acknowledged_to_its_reporter_once(deps: Deps, sink: MailSink) -> None:
    report = read_report(sample_report("report-ppu-camat.json"))
    assert intake_report(deps, report, actor=staff("petugas"), now=NOW).created
    await deliver_mail(deps)
    receipt = letters(deps)
    assert [(x.kind, x.recipient_key, x.outbound, x.issued_on) for x in receipt] == [
        ("tanda_terima", "pelapor-tanda-terima", False, date(2024, 10, 14))
    ]
    text = letter_text(deps, receipt[0])
    assert "Rahmat Hidayat" in text and "Video acara deklarasi" in text
    assert [str(m["To"]) for m in sink.messages] == ["Rahmat Hidayat <rahmat.hidayat@example.org>"]
    assert [a.get_content_type() for a in sink.messages[0].iter_attachments()] == [DOCX]

    again = intake_report(deps, report, actor=staff("petugas"), now=NOW)
    await deliver_mail(deps)
    assert not again.created
    assert letters(deps) == receipt and len(sink.messages) == 1 and len(outbox(deps)) == 1


@ON_SQLITE
async def test_a_temuan_is_recorded_without_a_receipt(deps: Deps, sink: MailSink) -> None:
    report = read_report(sample_report("temuan-balikpapan-pppk.json"))
    assert intake_report(deps, report, actor=staff("petugas"), now=NOW).created
    await deliver_mail(deps)
    assert letters(deps) == [] and outbox(deps) == [] and sink.messages == []


def test_rejected_report_records_nothing(engine: Engine, deps: Deps) -> None:
    report = read_report(sample_report("report-ppu-camat.json"))
    bad = report.model_copy(update={"office": "bawaslu-kab-tidak-ada"})
    bad_person = report.reported[0].model_copy(update={"nip": "197805122006041"})
    bad = bad.model_copy(update={"reported": [bad_person]})
    with pytest.raises(ReportRejected) as caught:
        intake_report(deps, bad, actor=staff("a"), now=NOW)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"office", "reported[0].nip"}
    assert all("197805122006041" not in p.message for p in caught.value.problems)
    assert _count(engine, "cases") == 0 and _count(engine, "party") == 0


def test_a_crash_mid_intake_leaves_nothing(
    engine: Engine, deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    import services.intake as cases

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("listrik padam")

    monkeypatch.setattr(cases, "add_parties", explode)
    report = read_report(sample_report("report-ppu-camat.json"))
    with pytest.raises(RuntimeError):
        intake_report(deps, report, actor=staff("a"), now=NOW)
    assert _count(engine, "cases") == 0


def test_moves_are_checked_and_leave_an_event(engine: Engine, deps: Deps) -> None:
    report = read_report(sample_report("report-ppu-camat.json"))
    case_id = intake_report(deps, report, actor=staff("a"), now=NOW).case.id
    with unit_of_work(engine) as session:
        case = get_case(session, str(case_id))
        move_case(
            session,
            case,
            Transition(Stage.REGISTERED, CaseEvent.REGISTERED),
            actor=staff("ketua"),
            reason="memenuhi syarat",
            now=NOW,
        )
    with unit_of_work(engine) as session:
        case = get_case(session, str(case_id))
        with pytest.raises(IllegalMove):
            to_referred = Transition(Stage.REFERRED, CaseEvent.REFERRED)
            move_case(session, case, to_referred, actor=staff("a"), reason="", now=NOW)
    with Session(engine) as session:
        case = get_case(session, str(case_id))
        assert (case.stage, case.version) == (Stage.REGISTERED, 2)
        assert [(e.event, e.from_stage, e.to_stage) for e in session.exec(select(StageEvent))] == [
            ("CaseReceived", None, Stage.RECEIVED),
            ("CaseRegistered", Stage.RECEIVED, Stage.REGISTERED),  # the stage it left, not the new
        ]


def test_stale_writer_loses_the_compare_and_set(engine: Engine, deps: Deps) -> None:
    report = read_report(sample_report("report-ppu-camat.json"))
    case_id = intake_report(deps, report, actor=staff("a"), now=NOW).case.id
    with Session(engine) as session:
        stale = get_case(session, str(case_id))
        session.expunge(stale)
    with unit_of_work(engine) as session:
        move_case(
            session,
            get_case(session, str(case_id)),
            Transition(Stage.REGISTERED, CaseEvent.REGISTERED),
            actor=staff("a"),
            reason="",
            now=NOW,
        )
    with pytest.raises(ConcurrentChange), unit_of_work(engine) as session:
        session.add(stale)
        move_case(
            session,
            stale,
            Transition(Stage.NOT_REGISTERED, CaseEvent.NOT_REGISTERED),
            actor=staff("b"),
            reason="",
            now=NOW,
        )
    assert _count(engine, "stage_event") == 2


@pytest.mark.postgres
def test_racing_intakes_of_one_report_record_one_case(
    postgres_url: str, rulebook: Rulebook, tmp_path: Path
) -> None:
    from adapters.db.engine import make_engine
    from adapters.db.migrate import upgrade

    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    deps = Deps(Settings(var_dir=tmp_path / "var"), engine, rulebook)
    report = read_report(sample_report("report-pangkalpinang-lurah.json"))
    barrier = threading.Barrier(4)
    results: list[bool] = []

    def worker() -> None:
        barrier.wait()
        results.append(intake_report(deps, report, actor=staff("w"), now=NOW).created)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    with Session(engine) as session:
        assert len(session.exec(select(Case)).all()) == 1
    engine.dispose()


@ON_SQLITE
def test_what_could_never_be_finished_is_refused_at_intake(engine: Engine, deps: Deps) -> None:
    """A line break in a name breaks every email header that carries it, and an incident dated
    after the report arrived cannot be judged: both are refused, each said, nothing recorded."""
    report = read_report(sample_report("report-ppu-camat.json"))
    reported = report.reported[0].model_copy(update={"name": "Drs. Agus\nSalim"})
    witness = report.witnesses[0].model_copy(update={"address": "Jl. Nusa\tIndah"})
    future = report.incident.model_copy(update={"occurred_on": date(2024, 10, 15)})
    bad = report.model_copy(
        update={"reported": [reported], "witnesses": [witness], "incident": future}
    )
    with pytest.raises(ReportRejected) as refused:
        intake_report(deps, bad, actor=staff("a"), now=NOW)
    found = {(p.code, p.field) for p in refused.value.problems}
    assert {
        ("karakter_kendali", "reported[0].name"),
        ("karakter_kendali", "witnesses[0].address"),
        ("tanggal_tidak_runtut", "incident.occurred_on"),
    } <= found
    assert all(
        "karakter kendali" in p.message or "tanggal" in p.message for p in refused.value.problems
    )
    assert _count(engine, "cases") == 0 and _count(engine, "letter") == 0
