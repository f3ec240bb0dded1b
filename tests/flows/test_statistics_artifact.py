"""The sweep publishes the recap statistics as the `netra-statistik` Markdown artifact: counts
only, no person named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from cli.local.mail_sink import MailSink
from cli.reading import read_report
from flows.publishing import STATISTICS_KEY
from flows.scheduled import sweep_flow
from models.stages import Stage
from tests.conftest import SAMPLES
from tests.flows.helpers import run_sample
from tests.flows.prefect_api import artifacts

pytestmark = pytest.mark.prefect
WITA = timezone(timedelta(hours=8))


async def test_the_sweep_refreshes_the_statistics_artifact(netra_env: Path, sink: MailSink) -> None:
    assert await run_sample("report-ppu-camat") is Stage.REFERRED  # referred 16 Oct 2024
    assert await run_sample("report-pilkada-kepala-desa") is Stage.FORWARDED
    start = datetime.now(UTC)

    await sweep_flow(datetime(2024, 10, 18, 9, tzinfo=WITA))  # before any deadline falls due

    [published] = await artifacts(STATISTICS_KEY, start)
    text = str(published.data)
    assert "| Jumlah diterima | 2 |" in text
    assert "| Diregistrasi | 1 |" in text
    assert "| Diteruskan ke KASN/BKN | 1 |" in text
    assert "| Ditindaklanjuti PPK | 0 |" in text
    assert "| Tingkat tindak lanjut PPK (%) | - |" in text
    assert "| Kepala Wilayah (Camat/Lurah) | 1 | 1 | 1 | 1 | 0 | 0 | - |" in text
    assert "2 diterima, 1 diteruskan ke KASN/BKN" in str(published.description)
    for stem in ("report-ppu-camat", "report-pilkada-kepala-desa"):
        report = read_report(SAMPLES / "reports" / f"{stem}.json")
        names = [report.reporter.name, report.reported[0].name]
        assert all(name and name not in text for name in names)
