"""Who a referral goes to: decided on the day it is sent, per person for non-ASN staff, and
never silently nobody."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.docx import docx_text
from cli.local.mail_sink import MailSink
from flows.process import process_case
from flows.stages import approval_flow
from models.inputs import ApprovalInput
from models.report.parse import parse_report
from models.stages import Stage
from tests.conftest import SAMPLES
from tests.flows.helpers import decisions_for, letter_bytes, letters, run_sample

pytestmark = pytest.mark.prefect


async def test_referral_approved_after_the_switch_goes_to_bkn(
    netra_env: Path, sink: MailSink
) -> None:
    # received 1 Feb 2024; recommendation drafted 3 Sep 2024 (KASN era), approved 5 Sep (BKN)
    times = {
        "verification": 1,
        "clarification": 1.1,
        "clarification_record": 2.1,
        "recommendation": 215,
        "approval": 217,
        "notification": 217,
    }
    decisions = decisions_for("report-pangkalpinang-lurah").model_copy(
        update={"times": decisions_for("report-pangkalpinang-lurah").times.model_validate(times)}
    )
    assert await run_sample("report-pangkalpinang-lurah", decisions) is Stage.REFERRED
    referral = next(x for x in letters() if x.kind == "surat_penerusan")
    assert referral.recipient_key == "otoritas-bkn"
    assert "Badan Kepegawaian Negara" in docx_text(letter_bytes(netra_env, referral))
    assert not [m for m in sink.messages if "kasn" in str(m["To"]).lower()]


async def test_each_non_asn_person_goes_to_their_own_agency_head(
    netra_env: Path, sink: MailSink
) -> None:
    data = json.loads((SAMPLES / "reports" / "report-pilkada-ppnpn-honorer.json").read_text())
    second = dict(
        data["reported"][0],
        name="Cici Lestari",
        agency="Dinas Perhubungan",
        email="cici@example.org",
        ppk={"title": "Kepala Dinas Perhubungan Kota Balikpapan", "email": "dishub@example.go.id"},
    )
    data["reported"].append(second)
    decisions = decisions_for("report-pilkada-ppnpn-honorer")
    # only terlapor-0 has an outcome: the others are recorded as absent
    decisions = decisions.model_copy(
        update={"clarification_outcomes": decisions.clarification_outcomes[:1]}
    )
    assert (await process_case(parse_report(data), decisions, replay_timeline=True)).stage is (
        Stage.REFERRED
    )
    referrals = {x.recipient_name: x for x in letters() if x.kind == "surat_penerusan"}
    assert set(referrals) == {
        "Kepala Dinas Lingkungan Hidup Kota Balikpapan",
        "Kepala Dinas Perhubungan Kota Balikpapan",
    }
    dishub = docx_text(
        letter_bytes(netra_env, referrals["Kepala Dinas Perhubungan Kota Balikpapan"])
    )
    assert "Cici Lestari" in dishub and "Andi Saputra" not in dishub
    records = sorted(x.recipient_key for x in letters() if x.kind == "berita_acara_klarifikasi")
    assert records == ["saksi-0", "terlapor-0", "terlapor-1"]


async def test_a_person_with_nobody_to_refer_to_blocks_approval(
    netra_env: Path, sink: MailSink
) -> None:
    decisions = decisions_for("report-pilkada-ppnpn-honorer").model_copy(update={"approval": None})
    data = json.loads((SAMPLES / "reports" / "report-pilkada-kepala-desa.json").read_text())
    report = parse_report(data)
    absent = decisions.clarification_outcomes[0].model_copy(update={"attended": False})
    decisions = decisions.model_copy(update={"clarification_outcomes": [absent]})
    result = await process_case(report, decisions, replay_timeline=True)
    assert result.stage is Stage.AWAITING_APPROVAL
    before = len(letters())
    with pytest.raises(ValueError, match="tidak ada tujuan penerusan untuk: Suparman"):
        await approval_flow("1", ApprovalInput(approved=True))
    assert len(letters()) == before
