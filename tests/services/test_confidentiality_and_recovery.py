"""No outbound document names the reporter; a crash mid-stage loses nothing and repeats nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import Session, select

import services.desk as desk
from adapters.docx import DocxLetter, docx_text
from cli.local.mail_sink import MailSink
from models.inputs import ApprovalInput
from models.letters.head import LetterBody, LetterHead
from models.outcomes import StageOutcome
from models.stages import Stage
from models.tables import SequenceCounter
from services.approval import approve_recommendation
from services.deps import Deps
from services.desk import ConfidentialityBreach
from tests.conftest import SAMPLES
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    at,
    case_of,
    counts,
    letter_serials,
    letter_text,
    letters,
    plan_of,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

APPROVAL_TIME = at(report_of(PPU), plan_of(PPU).times.approval)  # the ppu case's own timeline
SAMPLE_CASES = [
    "report-ppu-camat",
    "report-pangkalpinang-lurah",
    "report-pilkada-ppnpn-honorer",
    "temuan-balikpapan-pppk",
]


def _reporter_terms(stem: str) -> list[str]:
    reporter = json.loads((SAMPLES / "reports" / f"{stem}.json").read_text())["reporter"]
    return [reporter[k] for k in ("name", "phone", "email", "address") if reporter.get(k)]


@ON_SQLITE
async def test_no_outbound_document_names_the_reporter(deps: Deps, sink: MailSink) -> None:
    for stem in SAMPLE_CASES:
        assert (await run_sample(deps, stem)).stage is Stage.REFERRED
    terms = {
        t.casefold()
        for stem in SAMPLE_CASES
        if not stem.startswith("temuan")
        for t in _reporter_terms(stem)
    }
    outbound = [x for x in letters(deps) if x.outbound]
    assert {x.kind for x in outbound} >= {
        "undangan_klarifikasi",
        "surat_penerusan",
        "pemberitahuan_terlapor",
        "kajian_dugaan_pelanggaran_disamarkan",
    }
    for letter in outbound:
        text = letter_text(deps, letter).casefold()
        assert not [t for t in terms if t in text], (letter.kind, letter.recipient_key)
    reporter_addresses = {t for t in terms if "@" in t}
    for message in sink.messages:
        if str(message["To"]).casefold().split("<")[-1].rstrip(">") in reporter_addresses:
            continue
        parts = [message.get_body(("plain",)), message.get_body(("html",))]
        body = " ".join(p.get_content() for p in parts if p is not None).casefold()
        attached = " ".join(docx_text(a.get_content()) for a in message.iter_attachments())
        found = [t for t in terms if t in body or t in attached.casefold()]
        assert not found, (message["To"], message["Subject"], found)
    # the internal kajian does name the reporter: the redaction is real, not a blank template
    internal = next(x for x in letters(deps) if x.kind == "kajian_dugaan_pelanggaran")
    assert "Rahmat Hidayat" in letter_text(deps, internal)


def _serials(deps: Deps) -> list[int]:
    with Session(deps.engine) as session:
        return list(session.exec(select(SequenceCounter.last)).all())


async def test_a_crash_during_approval_keeps_the_case_and_burns_no_number(
    deps: Deps, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)).stage is (
        Stage.AWAITING_APPROVAL
    )
    before, mails = counts(deps), len(sink.messages)
    serial_before = _serials(deps)
    original = desk.render_docx  # type: ignore[attr-defined]

    def power_cut(head: LetterHead, body: LetterBody, **options: Any) -> DocxLetter:
        if body.kind == "pemberitahuan_terlapor":
            raise OSError("listrik padam saat menyusun surat")
        return original(head, body, **options)

    monkeypatch.setattr(desk, "render_docx", power_cut)
    approval = ApprovalInput(approved=True)
    with pytest.raises(OSError, match="listrik padam"):
        approve_recommendation(deps, "1", approval, actor=staff("pimpinan"), now=APPROVAL_TIME)
    assert counts(deps) == before and len(sink.messages) == mails
    assert case_of(deps).stage is Stage.AWAITING_APPROVAL
    assert _serials(deps) == serial_before
    monkeypatch.setattr(desk, "render_docx", original)
    result = approve_recommendation(deps, "1", approval, actor=staff("pimpinan"), now=APPROVAL_TIME)
    assert (result.stage, result.outcome) == (Stage.APPROVED, StageOutcome.MOVED)
    serials = letter_serials(deps)
    assert serials == list(range(1, len(serials) + 1))


@ON_SQLITE
async def test_returned_recommendation_is_reviewed_again(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    back = approve_recommendation(
        deps,
        "1",
        ApprovalInput(approved=False, note="Lengkapi pertimbangan"),
        actor=staff("pimpinan"),
        now=APPROVAL_TIME,
    )
    assert back.stage is Stage.UNDER_REVIEW
    assert not [x for x in letters(deps) if x.outbound and x.kind != "undangan_klarifikasi"]
    assert (await run_sample(deps, PPU)).stage is Stage.REFERRED
    reviews = [x.recipient_key for x in letters(deps) if x.kind == "kajian_dugaan_pelanggaran"]
    assert reviews == ["arsip-r1", "arsip-r2"]


@ON_SQLITE
async def test_findings_that_name_the_reporter_stop_the_approval_until_redrafted(
    deps: Deps, sink: MailSink
) -> None:
    plan = plan_of(PPU)
    assert plan.findings is not None
    naming = plan.findings.model_copy(
        update={"reasoning": "Menurut keterangan pelapor, Rahmat Hidayat (081250001111), ..."}
    )
    await run_sample(deps, PPU, plan.model_copy(update={"findings": naming, "approval": None}))
    assert case_of(deps).stage is Stage.AWAITING_APPROVAL  # the internal kajian may name him
    before, mails = state(deps), len(sink.messages)

    with pytest.raises(ConfidentialityBreach, match="memuat identitas pelapor") as refused:
        approve_recommendation(
            deps, "1", ApprovalInput(approved=True), actor=staff("pimpinan"), now=APPROVAL_TIME
        )
    assert "nama (rahmat hidayat)" in str(refused.value)  # says what matched
    assert state(deps) == before and len(sink.messages) == mails

    returned = ApprovalInput(approved=False, note="Hapus identitas pelapor dari pertimbangan.")
    approve_recommendation(deps, "1", returned, actor=staff("pimpinan"), now=APPROVAL_TIME)
    assert (await run_sample(deps, PPU)).stage is Stage.REFERRED
    serials = letter_serials(deps)
    assert serials == list(range(1, len(serials) + 1))


@pytest.mark.parametrize(
    ("written", "what"),
    [
        ("R. Hidayat", "nama"),
        ("0812-5000-1111", "telepon"),
        ("rahmat.hidayat[at]example.org", "surel"),
        ("jalan Provinsi km 3 Nipah-Nipah", "alamat"),
    ],
)
@ON_SQLITE
async def test_other_spellings_of_the_reporter_never_reach_an_outsider(
    deps: Deps, sink: MailSink, written: str, what: str
) -> None:
    # Staff wrote the reporter into the hearing statement, spelled their own way: it would go
    # into the redacted kajian for BKN and the PPK. Approval refuses and says what it found.
    plan = plan_of(PPU)
    outcomes = [
        o.model_copy(update={"statement": f"Terlapor hadir; dilihat oleh {written}."})
        for o in plan.clarification_outcomes
    ]
    await run_sample(
        deps, PPU, plan.model_copy(update={"clarification_outcomes": outcomes, "approval": None})
    )
    before = state(deps)
    with pytest.raises(ConfidentialityBreach) as refused:
        approve_recommendation(
            deps, "1", ApprovalInput(approved=True), actor=staff("pimpinan"), now=APPROVAL_TIME
        )
    assert f"{what} (" in str(refused.value)
    assert state(deps) == before
