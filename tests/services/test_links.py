"""Related reports (issue 10, Build 6) on the real databases: intake links a new case to the open
cases about the same person or incident in the same election, and says so; a person links,
unlinks and links again; what cannot be done is refused in Indonesian and records nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from adapters.db.views import case_view
from cli.local.mail_sink import MailSink
from flows.case_page import approval_markdown, case_markdown
from models.enums import ElectionType, Employment
from models.inputs import VerificationChoice, VerificationDecision
from models.outcomes import StageOutcome
from models.report.model import Report, ReportedPerson
from models.stages import Stage
from models.tables import CaseLink, Letter, StageEvent
from services.deps import Deps
from services.intake import intake_report
from services.links import LinkMade, LinkRefused, link_cases, unlink_cases
from services.verification import verify_case
from tests.services.helpers import PPU, at, letter_text, report_of, run_sample, state
from tests.support.actors import staff

HONORER = "report-pilkada-ppnpn-honorer"
FIRST = report_of(PPU)
WHEN = at(FIRST, 0.5)


def second_report(
    base: Report = FIRST,
    *,
    person: dict[str, Any] | None = None,
    incident: dict[str, Any] | None = None,
    election: dict[str, Any] | None = None,
) -> Report:
    """Another reporter's report, a few hours later, with the reported person, the incident or
    the election changed as given. By default the incident is another one (day and place)."""
    reporter = base.reporter.model_copy(
        update={"name": "Budi Santoso", "email": "budi@example.org", "phone": "081299990000"}
    )
    reported = base.reported[0].model_copy(update=person or {})
    moved = {"occurred_on": base.incident.occurred_on - timedelta(days=1), "place": "Pasar Waru"}
    return base.model_copy(
        update={
            "reporter": reporter,
            "received_at": base.received_at + timedelta(hours=3),
            "reported": [ReportedPerson.model_validate(reported.model_dump())],
            "incident": base.incident.model_copy(update=incident or moved),
            "election": base.election.model_copy(update=election or {}),
        }
    )


def _events(deps: Deps, case_id: int) -> list[tuple[str, str]]:
    with Session(deps.engine) as session:
        query = select(StageEvent).where(StageEvent.case_id == case_id)
        return [(e.event, e.reason) for e in session.exec(query.order_by(col(StageEvent.id)))]


def _links(deps: Deps) -> list[CaseLink]:
    with Session(deps.engine) as session:
        return list(session.exec(select(CaseLink).order_by(col(CaseLink.id))).all())


def _state(deps: Deps) -> dict[str, Any]:
    with deps.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM case_link ORDER BY id")).all()
    return {**state(deps), "case_link": [tuple(r) for r in rows]}


def _receipt(deps: Deps, case_id: int) -> str:
    with Session(deps.engine) as session:
        query = select(Letter).where(Letter.case_id == case_id, Letter.kind == "tanda_terima")
        return letter_text(deps, session.exec(query).one())


ASN_SPACED_NIP = {"name": "Agus Salim", "nip": "19780512 200604 1 003"}
PPNPN_SAME_PERSON = {"name": "ANDI  saputra", "agency": "dinas lingkungan hidup kota balikpapan"}
SAME_INCIDENT = {"place": "gedung serbaguna waru  kecamatan waru"}
ANOTHER_PERSON = {
    "name": "Budi Hartono",
    "nip": None,
    "employment": Employment.PPNPN,
    "agency": "Kecamatan Waru",
}


@pytest.mark.parametrize(
    ("base", "changes", "reason"),
    [
        (PPU, {"person": ASN_SPACED_NIP}, "terlapor sama (NIP): Agus Salim"),
        (
            HONORER,
            {"person": PPNPN_SAME_PERSON},
            "terlapor sama (nama dan instansi): ANDI  saputra",
        ),
        (
            PPU,
            {"person": ANOTHER_PERSON, "incident": SAME_INCIDENT},
            "kejadian sama: 10 Oktober 2024, gedung serbaguna waru  kecamatan waru",
        ),
    ],
    ids=["same-nip", "same-name-and-agency", "same-incident"],
)
async def test_intake_links_a_related_report_and_says_so_on_both_cases(
    deps: Deps, sink: MailSink, base: str, changes: dict[str, Any], reason: str
) -> None:
    first = intake_report(deps, report_of(base), actor=staff("petugas"), now=WHEN)
    second = intake_report(
        deps, second_report(report_of(base), **changes), actor=staff("budi"), now=WHEN
    )
    assert second.created and second.linked == (LinkMade(1, f"{first.case.kind.value} #1", reason),)
    [link] = _links(deps)
    assert (link.case_id, link.other_case_id, link.automatic, link.actor) == (1, 2, True, "budi")
    assert _events(deps, 1)[-1] == ("CaseLinked", f"ditautkan dengan laporan #2: {reason}")
    assert _events(deps, 2)[-1] == ("CaseLinked", f"ditautkan dengan laporan #1: {reason}")
    # Linked, not merged: each case keeps its own stage; both see the link.
    assert [x.other.id for x in case_view(deps.engine, "1").related] == [2]
    assert [x.other.id for x in case_view(deps.engine, "2").related] == [1]
    # The reporter's receipt never mentions another case.
    receipt = _receipt(deps, 2)
    assert "#1" not in receipt and "terkait" not in receipt.lower() and "Rahmat" not in receipt


async def test_the_same_report_again_links_nothing_twice(deps: Deps, sink: MailSink) -> None:
    intake_report(deps, FIRST, actor=staff("a"), now=WHEN)
    related = second_report(person=ASN_SPACED_NIP)
    assert intake_report(deps, related, actor=staff("a"), now=WHEN).linked
    again = intake_report(deps, related, actor=staff("a"), now=WHEN)
    assert not again.created and again.linked == () and len(_links(deps)) == 1


async def test_a_closed_case_is_not_linked(deps: Deps, sink: MailSink) -> None:
    intake_report(deps, FIRST, actor=staff("a"), now=WHEN)
    refused = VerificationDecision(
        decision=VerificationChoice.NOT_REGISTER, reason="Melewati batas waktu"
    )
    assert verify_case(deps, "1", refused, actor=staff("a"), now=WHEN).stage is Stage.NOT_REGISTERED
    outcome = intake_report(deps, second_report(person=ASN_SPACED_NIP), actor=staff("a"), now=WHEN)
    assert outcome.created and outcome.linked == () and _links(deps) == []
    assert "CaseLinked" not in [e for e, _ in _events(deps, 1) + _events(deps, 2)]


@pytest.mark.parametrize(
    "election",
    [{"type": ElectionType.PEMILU}, {"year": 2029}, {"region": "Kabupaten Paser"}],
    ids=["type", "year", "region"],
)
async def test_a_case_of_another_election_is_not_linked(
    deps: Deps, sink: MailSink, election: dict[str, Any]
) -> None:
    intake_report(deps, FIRST, actor=staff("a"), now=WHEN)
    same_everything = second_report(person=ASN_SPACED_NIP, incident={}, election=election)
    outcome = intake_report(deps, same_everything, actor=staff("a"), now=WHEN)
    assert outcome.created and outcome.linked == () and _links(deps) == []


async def test_a_person_links_unlinks_and_links_again_keeping_the_history(
    deps: Deps, sink: MailSink
) -> None:
    intake_report(deps, FIRST, actor=staff("a"), now=WHEN)
    intake_report(deps, report_of(HONORER), actor=staff("a"), now=WHEN)
    assert _links(deps) == []  # another election, another person: nothing automatic

    linked = link_cases(
        deps, "1", "#2", reason="pelapor menyebut kejadian berantai", actor=staff("ana"), now=WHEN
    )
    assert (linked.outcome, linked.case_id) == (StageOutcome.MOVED, 1)
    before = _state(deps)
    again = link_cases(deps, "2", "1", reason="lagi", actor=staff("ana"), now=WHEN)
    assert again.outcome is StageOutcome.ALREADY_DONE and _state(deps) == before

    later = WHEN + timedelta(hours=1)
    unlinked = unlink_cases(
        deps, "2", "1", reason="ternyata tidak berkaitan", actor=staff("ketua"), now=later
    )
    assert unlinked.outcome is StageOutcome.MOVED
    assert case_view(deps.engine, "1").related == [] and case_view(deps.engine, "2").related == []
    before = _state(deps)
    assert unlink_cases(deps, "1", "2", reason="x", actor=staff("k"), now=later).outcome is (
        StageOutcome.ALREADY_DONE
    )
    assert _state(deps) == before

    relinked = link_cases(deps, "1", "2", reason="bukti baru", actor=staff("ana"), now=later)
    assert relinked.outcome is StageOutcome.MOVED
    first, second = _links(deps)
    assert (first.removed_by, first.removed_reason, first.removed_at) == (
        "ketua",
        "ternyata tidak berkaitan",
        later,
    )
    assert (second.reason, second.automatic, second.removed_at) == ("bukti baru", False, None)
    assert [x.link.reason for x in case_view(deps.engine, "2").related] == ["bukti baru"]
    assert [e for e, _ in _events(deps, 2)][-3:] == ["CaseLinked", "CaseUnlinked", "CaseLinked"]
    assert _events(deps, 1)[-2] == (
        "CaseUnlinked",
        "tautan dengan laporan #2 dilepas: ternyata tidak berkaitan",
    )
    shown = case_view(deps.engine, "1").as_json()["links"]
    assert [(x["case_id"], x["removed_by"]) for x in shown] == [(2, "ketua"), (2, None)]


@pytest.mark.parametrize(
    ("action", "case", "other", "reason", "refusal"),
    [
        ("link", "1", "#1", "r", "dengan dirinya sendiri"),
        ("link", "1", "99", "r", "perkara '99' tidak ditemukan"),
        ("link", "1", "2", " ", "alasan penautan wajib diisi"),
        ("unlink", "1", "2", "r", "perkara #1 dan #2 tidak tertaut"),
        ("unlink", "1", "1", "r", "dengan dirinya sendiri"),
    ],
)
async def test_what_cannot_be_done_with_links_is_refused_and_records_nothing(
    deps: Deps, sink: MailSink, action: str, case: str, other: str, reason: str, refusal: str
) -> None:
    intake_report(deps, FIRST, actor=staff("a"), now=WHEN)
    intake_report(deps, report_of(HONORER), actor=staff("a"), now=WHEN)
    service = link_cases if action == "link" else unlink_cases
    before = _state(deps)
    with pytest.raises((LinkRefused, LookupError), match=refusal):
        service(deps, case, other, reason=reason, actor=staff("a"), now=WHEN)
    assert _state(deps) == before


async def test_the_supervisor_and_the_case_page_see_the_related_case(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    late = second_report(person=ASN_SPACED_NIP)
    intake_report(
        deps,
        late.model_copy(update={"received_at": at(FIRST, 3)}),
        actor=staff("a"),
        now=at(FIRST, 3),
    )
    view = case_view(deps.engine, "1")
    line = "laporan #2 (terlapor sama (NIP): Agus Salim)"
    summary = approval_markdown(view, deps)
    assert f"**Perkara terkait:**\n\n- {line}" in summary
    page = case_markdown(view, deps, at(FIRST, 3))
    assert f"## Perkara terkait\n\n- {line}" in page
    assert "001/LP/PW/Kab/64.09/X/2024 (terlapor sama (NIP): Agus Salim)" in case_markdown(
        case_view(deps.engine, "2"), deps, at(FIRST, 3)
    )
    assert date(2024, 10, 10) == view.case.occurred_on  # the case itself is untouched
