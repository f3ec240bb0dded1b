"""A sample case driven through every stage service: side effects happen once, numbers have no
gaps, an SMTP outage only delays the referral, and each sample ends where the law sends it."""

from __future__ import annotations

import pytest

from cli.local.mail_sink import MailSink
from models.outcomes import StageOutcome
from models.stages import Stage
from models.tables import OutboxStatus
from services.deps import Deps
from services.notification import deliver_mail
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    at,
    counts,
    deadlines,
    letter_serials,
    letter_text,
    letters,
    notify,
    outbox,
    report_of,
    run_sample,
    with_settings,
)


async def test_running_again_repeats_no_side_effect(deps: Deps, sink: MailSink) -> None:
    assert (await run_sample(deps, PPU)).stage is Stage.REFERRED
    before = counts(deps)
    numbers = [x.number for x in letters(deps)]
    hashes = [x.sha256 for x in letters(deps)]
    mails = len(sink.messages)
    again = await run_sample(deps, PPU)
    assert again.stage is Stage.REFERRED
    assert counts(deps) == before
    assert [x.number for x in letters(deps)] == numbers
    assert [x.sha256 for x in letters(deps)] == hashes
    assert len(sink.messages) == mails


@ON_SQLITE
async def test_letter_numbers_are_gapless_per_office_and_year(deps: Deps) -> None:
    await run_sample(deps, PPU)
    serials = letter_serials(deps)
    assert serials == list(range(1, len(serials) + 1))
    assert len({x.number for x in letters(deps)}) == len(letters(deps))


@ON_SQLITE
async def test_smtp_down_waits_in_notification_then_sends_once(deps: Deps, sink: MailSink) -> None:
    port = sink.port
    sink.stop()
    down = with_settings(deps, mail_max_attempts=2)
    waiting = await run_sample(down, PPU)
    assert waiting.stage is Stage.APPROVED and waiting.outcome is StageOutcome.WAITING
    assert letters(deps), "letters are issued even while mail is down"
    assert {m.status for m in outbox(deps)} == {OutboxStatus.PENDING}
    assert "ppk_followup" not in deadlines(deps)  # the PPK's period starts with the referral
    later = at(report_of(PPU), 3)  # the server is back the next day
    with MailSink(deps.settings.var_dir.parent / "later", port=port) as back:
        assert (await notify(deps, "1", later)).stage is Stage.REFERRED
        assert (await notify(deps, "1", later)).stage is Stage.REFERRED
        recipients = [str(m["To"]) for m in back.messages]
    assert len(recipients) == len(outbox(deps)) == 8  # the reporter is invited too
    keys = [m.key for m in outbox(deps)]
    assert len(set(keys)) == len(keys)
    assert all(m.status is OutboxStatus.SENT for m in outbox(deps))


@ON_SQLITE
async def test_a_late_report_is_not_registered_and_the_reporter_is_told(
    deps: Deps, sink: MailSink
) -> None:
    assert (await run_sample(deps, "report-pemilu-late-guru")).stage is Stage.NOT_REGISTERED
    kinds = sorted(x.kind for x in letters(deps))
    assert kinds == ["kajian_awal", "pemberitahuan_status", "tanda_terima"]
    assert not [x for x in letters(deps) if x.outbound]
    notice = next(m for m in sink.messages if "Status" in str(m["Subject"]))
    assert "bambang.s@example.org" in str(notice["To"])
    assert deadlines(deps)["report_window"].status == "missed"


@ON_SQLITE
async def test_non_asn_staff_referral_goes_to_their_agency_head(deps: Deps, sink: MailSink) -> None:
    assert (await run_sample(deps, "report-pilkada-ppnpn-honorer")).stage is Stage.REFERRED
    referral = next(x for x in letters(deps) if x.kind == "surat_penerusan")
    assert referral.recipient_name == "Kepala Dinas Lingkungan Hidup Kota Balikpapan"
    assert "Sanksi sesuai perjanjian kerja" in letter_text(deps, referral)
    assert not [m for m in sink.messages if "bkn" in str(m["To"]).lower()]


@pytest.mark.parametrize(
    ("stem", "addresses"),
    [
        (  # a laporan without the reporter's email; a PNS before the switch: KASN
            "report-pangkalpinang-lurah",
            ["hendra.wijaya@example.go.id"] * 2
            + ["pengaduan@kasn.example.go.id"]  # the referral with its kajian, one email
            + ["walikota@example.go.id"],
        ),
        (  # a temuan has no reporter to tell; a PPPK: BKN
            "temuan-balikpapan-pppk",
            ["dewi.lestari@example.go.id"] * 2
            + ["netralitas@bkn.example.go.id"]
            + ["walikota.bpn@example.go.id"]
            + ["bkpsdm@example.balikpapan.go.id"],  # the tembusan to the BKPSDM, emailed
        ),
    ],
)
@ON_SQLITE
async def test_every_referred_sample_mails_each_recipient_exactly_once_per_letter(
    deps: Deps, sink: MailSink, stem: str, addresses: list[str]
) -> None:
    assert (await run_sample(deps, stem)).stage is Stage.REFERRED
    received = sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in sink.messages)
    assert received == sorted(addresses)
    assert len(outbox(deps)) == len(addresses)
    assert {m.status for m in outbox(deps)} == {OutboxStatus.SENT}
    assert (await deliver_mail(deps)).sent == [] and len(sink.messages) == len(addresses)
