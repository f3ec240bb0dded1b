"""Recap statistics against figures worked out by hand from the cases built here, on SQLite and
PostgreSQL (the `engine` fixture runs each test on both).

The six sample cases, driven through the real stage services:

- ppu-camat: PPU (64.09), Pilkada 2024, PNS Camat; referred to BKN, BKN recommends (25 Oct),
  PPK decree on 20 Nov (late);
- pangkalpinang-lurah: Pangkalpinang (19.71), Pemilu 2024, PNS Lurah; referred to KASN, KASN
  recommends;
- temuan-balikpapan-pppk: Balikpapan (64.71), Pilkada 2024, PPPK Pengelola; referred to BKN;
- pilkada-ppnpn-honorer: Balikpapan (64.71), Pilkada 2024, PPNPN Tenaga harian lepas; referred
  to their PPK (non-ASN: not KASN/BKN);
- pemilu-late-guru: Pangkalpinang (19.71), Pemilu 2024, PNS Guru; not registered;
- pilkada-kepala-desa: PPU (64.09), Pilkada 2024, Kepala desa; forwarded to another institution.

The sample plans' clocks (samples/decisions/*.yaml `times`, days after receipt) give the stage
durations: every registered case was registered 1 day after receipt; the kajian took 1.5 days
(camat, pppk, ppnpn) or 2 days (lurah); referral followed the kajian within the same day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from models.access import ALL_OFFICES, Actor, Role, memberships
from models.inputs import PpkDecisionInput, ReplyInput, ReplyKind
from models.stages import Stage
from models.statistics import Funnel, Recap, RecapFilter
from services.deps import Deps
from services.ppk import record_ppk_decision
from services.replies import record_reply
from services.statistics import recap
from tests.services.helpers import run_sample
from tests.support.actors import staff

WITA, WIB = timezone(timedelta(hours=8)), timezone(timedelta(hours=7))
PPU = "bawaslu-kab-penajam-paser-utara"
PKP = "bawaslu-kota-pangkalpinang"
ADMIN = Actor("kepala", "Kepala", memberships([(ALL_OFFICES, Role.PIMPINAN)]))


def _at(day: date, zone: timezone) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)


async def build(deps: Deps) -> None:
    camat = await run_sample(deps, "report-ppu-camat")
    lurah = await run_sample(deps, "report-pangkalpinang-lurah")
    pppk = await run_sample(deps, "temuan-balikpapan-pppk")
    ppnpn = await run_sample(deps, "report-pilkada-ppnpn-honorer")
    guru = await run_sample(deps, "report-pemilu-late-guru")
    desa = await run_sample(deps, "report-pilkada-kepala-desa")
    assert [r.stage for r in (camat, lurah, pppk, ppnpn)] == [Stage.REFERRED] * 4
    assert guru.stage is Stage.NOT_REGISTERED and desa.stage is Stage.FORWARDED
    who = staff("petugas")
    bkn = ReplyInput(
        kind=ReplyKind.RECOMMENDATION,
        number="R-1/BKN/2024",
        sanction="Hukuman disiplin berat",
        date=date(2024, 10, 25),
    )
    record_reply(deps, camat.case_ref, bkn, actor=who, now=_at(date(2024, 10, 25), WITA))
    # PPK acts on 20 Nov: 26 days after the recommendation, whose 14-day follow-up is missed.
    decree = PpkDecisionInput(
        sanction="Penurunan jabatan", decree_number="800/1/2024", decree_date=date(2024, 11, 20)
    )
    record_ppk_decision(deps, camat.case_ref, decree, actor=who, now=_at(date(2024, 11, 21), WITA))
    kasn = ReplyInput(
        kind=ReplyKind.RECOMMENDATION,
        authority="KASN",
        number="B-2/KASN/2/2024",
        sanction="Hukuman disiplin sedang",
        date=date(2024, 2, 12),
    )
    record_reply(deps, lurah.case_ref, kasn, actor=who, now=_at(date(2024, 2, 12), WIB))


def _rows(found: Recap, key: str) -> dict[str, tuple[int, ...]]:
    """A breakdown as {label: (received, registered, proven, referred, recommended, acted)}."""
    return {
        label: (f.received, f.registered, f.proven, f.referred, f.recommended, f.acted)
        for label, f in found.breakdown(key).rows
    }


async def test_the_recap_counts_what_the_cases_went_through(deps: Deps) -> None:
    await build(deps)

    found = recap(deps, ADMIN, RecapFilter())

    assert found.funnel == Funnel(
        received=6,
        laporan=5,
        temuan=1,
        registered=4,
        proven=4,  # the four registered cases' recommendations were approved
        referred=3,  # camat (BKN), lurah (KASN), pppk (BKN); the PPNPN went to their PPK
        recommended=2,
        acted=1,
        recommended_and_acted=1,
    )
    assert found.funnel.followup_rate == 0.5
    spans = {s.span.key: (s.cases, s.median) for s in found.spans}
    assert spans["kajian_awal"] == (4, 1.0)
    assert spans["kajian"] == (4, 1.0)  # 1.5, 2, 1.5, 1.5 days: whole days 1, 2, 1, 1
    assert spans["penerusan"] == (4, 0.0)
    # camat: referred 16 Oct 23:39 WITA, recommendation recorded 25 Oct 09:00 → 8 days;
    # lurah: referred 4 Feb 15:28 WIB, recorded 12 Feb 09:00 → 7 days; median 7.5
    assert spans["rekomendasi"] == (2, 7.5)
    assert spans["tindak_lanjut"] == (1, 27.0)  # 25 Oct 09:00 → 21 Nov 09:00 WITA
    assert [(m.rule, m.count) for m in found.missed] == [("ppk_followup_recommendation", 1)]
    assert found.cases_missing_deadlines == 1

    assert _rows(found, "kode") == {
        "PP94-5n-2": (1, 1, 1, 1, 1, 0),
        "SKB-B4": (1, 1, 1, 1, 1, 1),
        "SKB-B6": (1, 1, 1, 1, 0, 0),
        "SKB-B7": (1, 1, 1, 1, 1, 1),
        "SKB-B8": (1, 1, 1, 0, 0, 0),
    }
    assert _rows(found, "kepegawaian") == {
        "Kepala desa": (1, 0, 0, 0, 0, 0),
        "PNS": (3, 2, 2, 2, 2, 1),
        "Pegawai non-ASN (PPNPN/honorer)": (1, 1, 1, 0, 0, 0),
        "PPPK": (1, 1, 1, 1, 0, 0),
    }
    assert _rows(found, "jabatan") == {
        "Jabatan Fungsional": (1, 0, 0, 0, 0, 0),
        "Jabatan Pelaksana": (2, 2, 2, 1, 0, 0),
        "Kepala Wilayah (Camat/Lurah)": (2, 2, 2, 2, 2, 1),
        "Kepala/Perangkat Desa": (1, 0, 0, 0, 0, 0),
    }
    assert _rows(found, "kantor") == {
        "Bawaslu Kabupaten Penajam Paser Utara": (2, 1, 1, 1, 1, 1),
        "Bawaslu Kota Balikpapan": (2, 2, 2, 1, 0, 0),
        "Bawaslu Kota Pangkalpinang": (2, 1, 1, 1, 1, 0),
    }


async def test_filters_and_the_readers_offices_narrow_the_count(deps: Deps) -> None:
    await build(deps)

    def received(actor: Actor, wanted: RecapFilter) -> tuple[int, int, int]:
        f = recap(deps, actor, wanted).funnel
        return f.received, f.registered, f.acted

    assert received(ADMIN, RecapFilter(region="64")) == (4, 3, 1)  # PPU and Balikpapan
    assert received(ADMIN, RecapFilter(region="19.71")) == (2, 1, 0)
    assert received(ADMIN, RecapFilter(election_type="pemilu", election_year=2024)) == (2, 1, 0)
    october = RecapFilter(received_from=date(2024, 10, 1), received_to=date(2024, 10, 31))
    assert received(ADMIN, october) == (2, 2, 1)  # camat (14 Oct), pppk (2 Oct)
    assert received(ADMIN, RecapFilter(office=PPU)) == (2, 1, 1)

    ppu_reader = Actor("ppu", "Pemeriksa PPU", memberships([(PPU, Role.PEMERIKSA)]))
    mine = recap(deps, ppu_reader, RecapFilter())
    assert (mine.funnel.received, mine.funnel.referred, mine.funnel.followup_rate) == (2, 1, 1.0)
    assert [label for label, _ in mine.breakdown("kantor").rows] == [
        "Bawaslu Kabupaten Penajam Paser Utara"
    ]
    # asking for another office's figures gives none of them
    assert received(ppu_reader, RecapFilter(office=PKP)) == (0, 0, 0)
    assert received(ppu_reader, RecapFilter(region="19")) == (0, 0, 0)
