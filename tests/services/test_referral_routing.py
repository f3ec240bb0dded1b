"""Who a referral goes to: decided on the day it is sent, per person for non-ASN staff, and
never silently nobody."""

from __future__ import annotations

import json

import pytest

from cli.local.mail_sink import MailSink
from models.inputs import ApprovalInput, StageTimes
from models.report.parse import parse_report
from models.rules.referral import ReferralImpossible
from models.stages import Stage
from services.approval import approve_recommendation
from services.deps import Deps
from tests.conftest import SAMPLES
from tests.services.helpers import (
    ON_SQLITE,
    at,
    letter_text,
    letters,
    plan_of,
    run_plan,
    run_sample,
    state,
)
from tests.support.actors import staff

pytestmark = ON_SQLITE


async def test_referral_approved_after_the_switch_goes_to_bkn(deps: Deps, sink: MailSink) -> None:
    # received 1 Feb 2024; recommendation drafted 3 Sep 2024 (KASN era), approved 5 Sep (BKN)
    times = StageTimes(
        verification=1,
        clarification=1.1,
        clarification_record=2.1,
        recommendation=215,
        approval=217,
        notification=217,
    )
    plan = plan_of("report-pangkalpinang-lurah").model_copy(update={"times": times})
    assert (await run_sample(deps, "report-pangkalpinang-lurah", plan)).stage is Stage.REFERRED
    referral = next(x for x in letters(deps) if x.kind == "surat_penerusan")
    assert referral.recipient_key == "otoritas-bkn"
    assert "Badan Kepegawaian Negara" in letter_text(deps, referral)
    assert not [m for m in sink.messages if "kasn" in str(m["To"]).lower()]


async def test_referral_approved_before_the_switch_goes_to_kasn(deps: Deps, sink: MailSink) -> None:
    assert (await run_sample(deps, "report-pangkalpinang-lurah")).stage is Stage.REFERRED
    referral = next(x for x in letters(deps) if x.kind == "surat_penerusan")
    assert referral.recipient_key == "otoritas-kasn"
    assert not [m for m in sink.messages if "bkn" in str(m["To"]).lower()]


async def test_each_non_asn_person_goes_to_their_own_agency_head(
    deps: Deps, sink: MailSink
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
    plan = plan_of("report-pilkada-ppnpn-honorer")
    # only terlapor-0 has an outcome: the others are recorded as absent
    plan = plan.model_copy(update={"clarification_outcomes": plan.clarification_outcomes[:1]})
    assert (await run_plan(deps, parse_report(data), plan)).stage is Stage.REFERRED
    referrals = {x.recipient_name: x for x in letters(deps) if x.kind == "surat_penerusan"}
    assert set(referrals) == {
        "Kepala Dinas Lingkungan Hidup Kota Balikpapan",
        "Kepala Dinas Perhubungan Kota Balikpapan",
    }
    dishub = letter_text(deps, referrals["Kepala Dinas Perhubungan Kota Balikpapan"])
    assert "Cici Lestari" in dishub and "Andi Saputra" not in dishub
    records = sorted(x.recipient_key for x in letters(deps) if x.kind == "berita_acara_klarifikasi")
    assert records == ["pelapor-0", "saksi-0", "terlapor-0", "terlapor-1"]


async def test_a_person_with_nobody_to_refer_to_blocks_approval(deps: Deps, sink: MailSink) -> None:
    plan = plan_of("report-pilkada-ppnpn-honorer").model_copy(update={"approval": None})
    data = json.loads((SAMPLES / "reports" / "report-pilkada-kepala-desa.json").read_text())
    report = parse_report(data)
    absent = plan.clarification_outcomes[0].model_copy(update={"attended": False})
    plan = plan.model_copy(update={"clarification_outcomes": [absent]})
    result = await run_plan(deps, report, plan)
    assert result.stage is Stage.AWAITING_APPROVAL
    before = len(letters(deps))
    everything = state(deps)
    with pytest.raises(ReferralImpossible, match="tidak ada tujuan penerusan untuk: Suparman"):
        approve_recommendation(
            deps, "1", ApprovalInput(approved=True), actor=staff("pimpinan"), now=at(report, 3)
        )
    assert len(letters(deps)) == before
    assert state(deps) == everything  # still awaiting approval, no number taken
