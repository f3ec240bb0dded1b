"""Clarification: one invitation per person heard, then one Berita Acara per person; each once,
and never for someone who is not a party to the case."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, col, select

from cli.local.mail_sink import MailSink
from models.inputs import HearingOutcome
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from models.tables import Hearing
from services.clarification import UnknownParty, invite_for_clarification, record_clarification
from services.deps import Deps
from services.notification import deliver_mail
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    at,
    events,
    letter_text,
    letters,
    plan_of,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

pytestmark = ON_SQLITE
WITA = timezone(timedelta(hours=8))
PLAN = plan_of(PPU)
REPORT = report_of(PPU)


def _invite(deps: Deps) -> StageResult:
    assert PLAN.clarification is not None
    now = at(REPORT, PLAN.times.clarification)
    return invite_for_clarification(deps, "1", PLAN.clarification, actor=staff("petugas"), now=now)


def _record(deps: Deps, outcomes: list[HearingOutcome]) -> StageResult:
    now = at(REPORT, PLAN.times.clarification_record)
    return record_clarification(deps, "1", outcomes, actor=staff("petugas"), now=now)


def _hearings(deps: Deps) -> list[Hearing]:
    with Session(deps.engine) as session:
        return list(session.exec(select(Hearing).order_by(col(Hearing.id))).all())


async def test_invitations_go_to_each_reported_person_and_witness(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.REGISTERED)
    mails = len(sink.messages)

    result = _invite(deps)
    await deliver_mail(deps, "1")

    assert (result.stage, result.outcome) == (Stage.CLARIFICATION, StageOutcome.MOVED)
    invitations = [x for x in letters(deps) if x.kind == "undangan_klarifikasi"]
    assert [(x.recipient_key, x.outbound) for x in invitations] == [
        ("terlapor-0", True),
        ("saksi-0", True),
    ]
    assert "Kantor Bawaslu Kabupaten Penajam Paser Utara" in letter_text(deps, invitations[0])
    # The reporter of a laporan is invited too, by a letter for them alone.
    [own] = [x for x in letters(deps) if x.kind == "undangan_klarifikasi_pelapor"]
    assert (own.recipient_key, own.outbound) == ("pelapor-0", False)
    # the witness gave no email address: her invitation is issued, not emailed
    assert [str(m["To"]) for m in sink.messages[mails:]] == [
        '"Drs. Agus Salim, M.Si." <agus.salim@example.go.id>',
        "Rahmat Hidayat <rahmat.hidayat@example.org>",
    ]
    assert {h.scheduled_at for h in _hearings(deps)} == {datetime(2024, 10, 16, 10, tzinfo=WITA)}
    assert len(_hearings(deps)) == 3
    assert events(deps)[-1] == "ClarificationScheduled"


async def test_inviting_again_repeats_nothing(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    before, mails = state(deps), len(sink.messages)
    again = _invite(deps)
    await deliver_mail(deps, "1")
    assert (again.stage, again.outcome) == (Stage.CLARIFICATION, StageOutcome.ALREADY_DONE)
    assert state(deps) == before and len(sink.messages) == mails


@pytest.mark.parametrize("stage", [Stage.RECEIVED, Stage.UNDER_REVIEW])
async def test_inviting_for_a_case_at_another_stage_changes_nothing(
    deps: Deps, stage: Stage
) -> None:
    await run_sample(deps, PPU, until=stage)
    before = state(deps)
    result = _invite(deps)
    assert (result.stage, result.outcome) == (stage, StageOutcome.ELSEWHERE)
    assert state(deps) == before


async def test_the_hearing_record_keeps_each_persons_attendance_oath_and_statement(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    outbox_before = state(deps)["outbox"]

    result = _record(deps, PLAN.clarification_outcomes)

    assert (result.stage, result.outcome) == (Stage.UNDER_REVIEW, StageOutcome.MOVED)
    records = [x for x in letters(deps) if x.kind == "berita_acara_klarifikasi"]
    assert [(x.recipient_key, x.outbound) for x in records] == [
        ("terlapor-0", False),
        ("saksi-0", False),
        ("pelapor-0", False),  # invited, not heard: recorded absent
    ]
    assert "membenarkan hadir pada deklarasi" in letter_text(deps, records[0])
    assert [(h.attended, h.oath_taken) for h in _hearings(deps)] == [
        (True, True),
        (True, True),
        (False, False),
    ]
    assert [bool(h.statement) for h in _hearings(deps)] == [True, True, False]
    assert state(deps)["outbox"] == outbox_before  # the record stays inside Bawaslu
    assert events(deps)[-1] == "ClarificationRecorded"


async def test_a_person_without_an_outcome_is_recorded_as_absent(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    assert _record(deps, PLAN.clarification_outcomes[:1]).stage is Stage.UNDER_REVIEW
    witness = _hearings(deps)[1]
    assert (witness.attended, witness.oath_taken, witness.statement) == (False, False, None)
    records = sorted(x.recipient_key for x in letters(deps) if x.kind == "berita_acara_klarifikasi")
    assert records == ["pelapor-0", "saksi-0", "terlapor-0"]


async def test_recording_again_repeats_nothing(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.UNDER_REVIEW)
    before = state(deps)
    changed = [HearingOutcome(party="terlapor-0", attended=False)]
    again = _record(deps, changed)
    assert (again.stage, again.outcome) == (Stage.UNDER_REVIEW, StageOutcome.ALREADY_DONE)
    assert state(deps) == before
    assert _hearings(deps)[0].attended is True


async def test_recording_a_hearing_before_the_invitations_changes_nothing(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.REGISTERED)
    before = state(deps)
    result = _record(deps, PLAN.clarification_outcomes)
    assert (result.stage, result.outcome) == (Stage.REGISTERED, StageOutcome.ELSEWHERE)
    assert state(deps) == before and _hearings(deps) == []


async def test_an_outcome_for_someone_not_party_to_the_case_is_refused(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    before = state(deps)
    stranger = HearingOutcome(party="saksi-3", attended=True)
    known = "terlapor-0, saksi-0, pelapor-0"
    with pytest.raises(UnknownParty, match=f"pihak tidak dikenal: saksi-3; yang ada: {known}"):
        _record(deps, [*PLAN.clarification_outcomes, stranger])
    assert state(deps) == before
    assert [h.attended for h in _hearings(deps)] == [None, None, None]


async def test_two_outcomes_for_one_person_are_refused(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    before = state(deps)
    present = HearingOutcome(party="terlapor-0", attended=True, oath_taken=True, statement="Hadir.")
    absent = HearingOutcome(party="terlapor-0", attended=False)
    with pytest.raises(ValueError, match="lebih dari sekali untuk: terlapor-0"):
        _record(deps, [present, absent])
    assert state(deps) == before
