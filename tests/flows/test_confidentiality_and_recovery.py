"""No outbound document names the reporter; a crash mid-stage loses nothing and repeats nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

import services.desk as desk
from adapters.db.cases import get_case
from adapters.docx import docx_text
from cli.local.mail_sink import MailSink
from flows.stages import approval_flow
from models.inputs import ApprovalInput
from models.letters.head import LetterBody, LetterHead
from models.stages import Stage
from models.tables import SequenceCounter
from tests.conftest import SAMPLES
from tests.flows.helpers import counts, decisions_for, engine, letter_bytes, letters, run_sample

pytestmark = pytest.mark.prefect
APPROVAL_TIME = datetime(2024, 10, 17, 3, 0, tzinfo=UTC)  # the ppu case's own timeline
SAMPLE_CASES = [
    "report-ppu-camat",
    "report-pangkalpinang-lurah",
    "report-pilkada-ppnpn-honorer",
    "temuan-balikpapan-pppk",
]


def _reporter_terms(stem: str) -> list[str]:
    import json

    reporter = json.loads((SAMPLES / "reports" / f"{stem}.json").read_text())["reporter"]
    return [reporter[k] for k in ("name", "phone", "email", "address") if reporter.get(k)]


async def test_no_outbound_document_names_the_reporter(netra_env: Path, sink: MailSink) -> None:
    for stem in SAMPLE_CASES:
        await run_sample(stem)
    terms = {
        t.casefold()
        for stem in SAMPLE_CASES
        if not stem.startswith("temuan")
        for t in _reporter_terms(stem)
    }
    outbound = [x for x in letters() if x.outbound]
    assert {x.kind for x in outbound} >= {
        "undangan_klarifikasi",
        "surat_penerusan",
        "pemberitahuan_terlapor",
        "kajian_dugaan_pelanggaran_disamarkan",
    }
    for letter in outbound:
        text = docx_text(letter_bytes(netra_env, letter)).casefold()
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
    internal = next(x for x in letters() if x.kind == "kajian_dugaan_pelanggaran")
    assert "Rahmat Hidayat" in docx_text(letter_bytes(netra_env, internal))


async def test_a_crash_during_approval_keeps_the_case_and_burns_no_number(
    netra_env: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    decisions = decisions_for("report-ppu-camat").model_copy(update={"approval": None})
    assert await run_sample("report-ppu-camat", decisions) is Stage.AWAITING_APPROVAL
    before, mails = counts(), len(sink.messages)
    with Session(engine()) as session:
        serial_before = session.exec(select(SequenceCounter.last)).all()
    original = desk.render_letter  # type: ignore[attr-defined]

    def power_cut(head: LetterHead, body: LetterBody) -> bytes:
        if body.kind == "pemberitahuan_terlapor":
            raise OSError("listrik padam saat menyusun surat")
        return original(head, body)

    monkeypatch.setattr(desk, "render_letter", power_cut)
    with pytest.raises(OSError):
        await approval_flow("1", ApprovalInput(approved=True), now=APPROVAL_TIME)
    assert counts() == before and len(sink.messages) == mails
    with Session(engine()) as session:
        assert get_case(session, "1").stage is Stage.AWAITING_APPROVAL
        assert session.exec(select(SequenceCounter.last)).all() == serial_before
    monkeypatch.setattr(desk, "render_letter", original)
    assert (await approval_flow("1", ApprovalInput(approved=True), now=APPROVAL_TIME)).stage is (
        Stage.APPROVED
    )
    serials = sorted(int(x.number.split("/")[0]) for x in letters())
    assert serials == list(range(1, len(serials) + 1))


async def test_returned_recommendation_is_reviewed_again(netra_env: Path, sink: MailSink) -> None:
    decisions = decisions_for("report-ppu-camat").model_copy(update={"approval": None})
    await run_sample("report-ppu-camat", decisions)
    back = await approval_flow("1", ApprovalInput(approved=False, note="Lengkapi pertimbangan"))
    assert back.stage is Stage.UNDER_REVIEW
    assert not [x for x in letters() if x.outbound and x.kind != "undangan_klarifikasi"]
    assert await run_sample("report-ppu-camat") is Stage.REFERRED
    reviews = [x.recipient_key for x in letters() if x.kind == "kajian_dugaan_pelanggaran"]
    assert reviews == ["arsip-r1", "arsip-r2"]
