"""The same path on PostgreSQL, the production database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.db.engine import make_engine
from cli.local.mail_sink import MailSink
from models.stages import Stage
from services.deps import get_deps
from tests.flows.helpers import configure, counts, run_sample
from tests.support.actors import seed_staff

pytestmark = [pytest.mark.prefect, pytest.mark.postgres]


async def test_full_path_and_rerun_on_postgres(
    netra_env: Path, sink: MailSink, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    import services.deps

    services.deps._engines.pop(postgres_url, None)  # migrate the fresh schema
    configure(database_url=postgres_url)
    seed_staff(get_deps())  # the flows act as these users
    assert await run_sample("temuan-balikpapan-pppk") is Stage.REFERRED
    first, mails = counts(), len(sink.messages)
    assert await run_sample("temuan-balikpapan-pppk") is Stage.REFERRED
    assert counts() == first and len(sink.messages) == mails > 0
