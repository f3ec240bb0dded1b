"""Delegation to another Bawaslu office and forwarding to another institution (Build 3 of
issue 10): the letters, the reporter's notice, and the case kept as one history."""

from __future__ import annotations

import pytest

from cli.local.mail_sink import MailSink
from models.inputs import VerificationChoice, VerificationDecision
from models.outcomes import StageOutcome
from models.stages import Stage
from services.deps import Deps
from services.handover import HandoverRefused
from services.notification import deliver_mail
from services.verification import DecisionIncomplete, verify_case
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    at,
    case_of,
    deadlines,
    events,
    letter_text,
    letters,
    outbox,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

KALTIM = "bawaslu-prov-kalimantan-timur"
DELEGATE = VerificationDecision(
    decision=VerificationChoice.DELEGATE,
    reason="terlapor menjabat pada perangkat daerah provinsi",
    forward_to=KALTIM,
)
FORWARD = VerificationDecision(
    decision=VerificationChoice.FORWARD,
    reason="yang dilaporkan adalah pelanggaran disiplin kepala desa",
    forward_to="Bupati Penajam Paser Utara",
    forward_email="bupati@example.ppu.go.id",
)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)
async def test_a_delegated_case_moves_to_the_other_office_with_its_history(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.RECEIVED)
    report = report_of(PPU)
    result = verify_case(deps, "1", DELEGATE, actor=staff("petugas"), now=at(report, 1))
    await deliver_mail(deps, "1")
    assert (result.stage, result.outcome) == (Stage.RECEIVED, StageOutcome.MOVED)
    assert case_of(deps).office_key == KALTIM
    assert events(deps) == ["CaseReceived", "CaseDelegated"]

    handed = next(x for x in letters(deps) if x.kind == "pelimpahan_laporan")
    text = letter_text(deps, handed)
    assert "BAWASLU KABUPATEN PENAJAM PASER UTARA" in text.upper()  # the origin's letterhead
    assert "/K.KI-09/" in handed.number  # and its numbering
    assert "Yth. Ketua Bawaslu Provinsi Kalimantan Timur" in text
    assert str(report.reporter.name) in text  # between Bawaslu offices the reporter is named
    notice = next(x for x in letters(deps) if x.recipient_key.startswith("pelapor-delegate"))
    assert "telah kami limpahkan kepada Bawaslu Provinsi Kalimantan Timur" in " ".join(
        letter_text(deps, notice).split()
    )
    assert sorted(str(m["To"]) for m in sink.messages[-2:]) == [
        "Ketua Bawaslu Provinsi Kalimantan Timur <bawaslu.kaltim@example.go.id>",
        "Rahmat Hidayat <rahmat.hidayat@example.org>",
    ]
    assert deadlines(deps)["kajian_awal"].status == "open"  # the receiving office's to meet

    before = state(deps)
    again = verify_case(deps, "1", DELEGATE, actor=staff("petugas"), now=at(report, 1))
    assert again.outcome is StageOutcome.ALREADY_DONE and state(deps) == before

    # The receiving office registers it: its numbering, its letterhead.
    register = VerificationDecision(decision=VerificationChoice.REGISTER)
    registered = verify_case(deps, "1", register, actor=staff("petugas kaltim"), now=at(report, 2))
    assert registered.stage is Stage.REGISTERED
    assert registered.label.startswith("001/LP/PW/Prov/64/")
    review = next(x for x in letters(deps) if x.recipient_key == "arsip")
    assert "BAWASLU PROVINSI KALIMANTAN TIMUR" in letter_text(deps, review).upper()


@ON_SQLITE
async def test_a_delegation_names_a_known_other_office(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.RECEIVED)
    now = at(report_of(PPU), 1)
    before = state(deps)
    for target, says in [
        ("bawaslu-kab-entah", "tidak dikenal"),
        ("bawaslu-kab-penajam-paser-utara", "sudah berada pada kantor tersebut"),
    ]:
        decision = DELEGATE.model_copy(update={"forward_to": target})
        with pytest.raises(HandoverRefused, match=says):
            verify_case(deps, "1", decision, actor=staff("petugas"), now=now)
    with pytest.raises(DecisionIncomplete, match="kantor Bawaslu tujuan"):
        verify_case(
            deps, "1", DELEGATE.model_copy(update={"forward_to": None}), actor=staff("x"), now=now
        )
    assert state(deps) == before


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)
async def test_a_forwarded_report_goes_with_its_redacted_summary(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.RECEIVED)
    report = report_of(PPU)
    result = verify_case(deps, "1", FORWARD, actor=staff("petugas"), now=at(report, 1))
    await deliver_mail(deps, "1")
    assert (result.stage, result.outcome) == (Stage.FORWARDED, StageOutcome.MOVED)
    letter = next(x for x in letters(deps) if x.kind == "penerusan_laporan")
    summary = next(x for x in letters(deps) if x.kind == "laporan_disamarkan")
    assert summary.number == f"Lampiran {letter.number}" and letter.outbound and summary.outbound
    text = " ".join(letter_text(deps, summary).split())
    assert "Pelapor : (dirahasiakan)" in text
    assert report.reported[0].name in text and report.incident.summary.rstrip(".") in text
    assert str(report.reporter.name) not in text
    assert all(w.name not in text for w in report.witnesses)
    assert "Yth. Bupati Penajam Paser Utara" in letter_text(deps, letter)
    to_bupati = next(m for m in sink.messages if "bupati@" in str(m["To"]))
    files = [p.get_filename() for p in to_bupati.iter_attachments()]
    assert len(files) == 2 and "lampiran-laporan" in str(files[1])
    assert {o.recipient_role for o in outbox(deps)} >= {"instansi", "pelapor"}
