"""Schemathesis against the served OpenAPI document (/api/v1/openapi.json of the desk app): for
every operation, generated requests with a valid token (of a pemeriksa and pimpinan of one
office, so the stage flows do run on its case) never get a 5xx, and every response conforms to
the schema declared for its status (the problem responses included). Bounded: 10 examples per
operation, no deadline."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cli.local.mail_sink import MailSink
from config.settings import Settings, SmtpSecurity
from models.access import Role, memberships
from services.deps import forget_settings
from services.tokens import create_token
from services.users import add_user
from tests.api.conftest import API, PPU
from tests.web.conftest import ROOT, build_desk
from web.app import create_app

pytestmark = pytest.mark.prefect
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@dataclass(frozen=True)
class Target:
    app: FastAPI
    headers: dict[str, str]


def _served_document_app() -> FastAPI:
    """A desk app on a throwaway data folder, only to serve the OpenAPI document the tests are
    generated from (the requests go to the module's desk, which has cases)."""
    return create_app(Settings(var_dir=Path(tempfile.mkdtemp(prefix="netra-openapi-"))))


schema = schemathesis.openapi.from_asgi(f"{API}/openapi.json", _served_document_app())


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    from prefect.testing.utilities import prefect_test_harness

    folder = tmp_path_factory.mktemp("schemathesis")
    with (
        prefect_test_harness(server_startup_timeout=180),
        MailSink(folder / "received", port=0) as sink,
    ):
        desk = build_desk(
            folder,
            {
                "smtp_port": sink.port,
                "smtp_security": SmtpSecurity.NONE,
                "mail_retry_base_seconds": 0.01,
            },
        )
        roles = memberships([(PPU, Role.PEMERIKSA), (PPU, Role.PIMPINAN)])
        add_user(desk.deps, ROOT, "sistem-lain", "Sistem Lain", roles, can_log_in=False)
        issued = create_token(
            desk.deps, ROOT, "schemathesis", owner="sistem-lain", now=datetime.now(UTC)
        )
        served = TestClient(desk.app).get(f"{API}/openapi.json").json()
        assert served == schema.raw_schema  # the document tested is the one this app serves
        yield Target(desk.app, {"Authorization": f"Bearer {issued.token}"})
        forget_settings()


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_promises(case: schemathesis.Case[Any], target: Target) -> None:
    # a stage flow on a loaded 2-core machine may take longer than the default 10 s
    case.call_and_validate(app=target.app, headers=dict(target.headers), checks=CHECKS, timeout=120)
