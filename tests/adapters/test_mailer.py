"""Delivering the outbox through a real SMTP server (MailSink) on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from adapters.db import outbox
from adapters.db.engine import unit_of_work
from adapters.email import DOCX_TYPE, build_message
from adapters.smtp import DeliveryReport, SmtpConfigError, deliver_pending
from config.settings import Settings, SmtpSecurity
from models.tables import OutboxMessage, OutboxStatus
from tests.adapters.test_outbox import NOW, make_case, queue
from tests.support.smtp import TestMailServer

DOCX_BYTES = b"PK\x03\x04" + bytes(range(256)) * 40  # any bytes: checked byte for byte


@pytest.fixture(scope="session")
def tls_context(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    """A server context with a self-signed certificate for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "netra-mail-sink")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[TestMailServer]:
    with TestMailServer(tmp_path / "mail") as server:
        yield server


def mail_settings(tmp_path: Path, port: int, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "var_dir": tmp_path / "var",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_timeout": 5.0,
        "mail_max_attempts": 3,
        "mail_retry_base_seconds": 0.5,
        "mail_from": "Bawaslu Kab. PPU <netra@bawaslu-ppu.go.id>",
    }
    return Settings(**(values | overrides))


class FakeSleep:
    """Records back-off delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def deliver(
    engine: Engine,
    settings: Settings,
    sleep: FakeSleep | None = None,
    *,
    now: dt.datetime = NOW,
    case_id: int | None = None,
) -> DeliveryReport:
    coro = deliver_pending(
        engine, settings, now_fn=lambda: now, sleep=sleep or FakeSleep(), case_id=case_id
    )
    return asyncio.run(asyncio.wait_for(coro, timeout=30))


def queue_rows(engine: Engine, count: int, *, attachment: Path | None = None) -> list[str]:
    case_id = make_case(engine)
    keys = [f"case-{case_id}/surat/{n}" for n in range(count)]
    with unit_of_work(engine) as session:
        for n, key in enumerate(keys):
            queue(
                session,
                case_id,
                key,
                to=f"pihak{n}@example.go.id",
                attachment_path=str(attachment) if attachment else None,
            )
    return keys


def row(engine: Engine, key: str) -> OutboxMessage:
    with Session(engine) as session:
        return next(r for r in outbox.messages_for_case(session, _case_of(key)) if r.key == key)


def _case_of(key: str) -> int:
    return int(key.split("/")[0].removeprefix("case-"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_each_row_is_sent_once_across_two_runs(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    keys = queue_rows(engine, 3)
    settings = mail_settings(tmp_path, sink.port)
    first = deliver(engine, settings)
    second = deliver(engine, settings)
    assert first.sent == keys and second == DeliveryReport()
    assert sorted(m["Message-ID"] for m in sink.messages) == sorted(
        row(engine, k).message_id for k in keys
    )
    assert [m.rcpt_tos for m in sink.received] == [[f"pihak{n}@example.go.id"] for n in range(3)]
    assert all(m.path.name.startswith(f"{n:04d}-") for n, m in enumerate(sink.received, 1))
    assert all(row(engine, k).status is OutboxStatus.SENT for k in keys)
    assert all(row(engine, k).attempts == 1 for k in keys)


def test_case_filter_sends_only_that_case(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    mine, other = queue_rows(engine, 1), queue_rows(engine, 1)
    report = deliver(engine, mail_settings(tmp_path, sink.port), case_id=_case_of(mine[0]))
    assert report.sent == mine and len(sink.messages) == 1
    assert row(engine, other[0]).status is OutboxStatus.PENDING


def test_attachment_and_headers_arrive_intact(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    letter = tmp_path / "0001-penerusan.docx"
    letter.write_bytes(DOCX_BYTES)
    [key] = queue_rows(engine, 1, attachment=letter)
    deliver(engine, mail_settings(tmp_path, sink.port))
    [message] = sink.messages
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Bawaslu Kab. PPU",
        "netra@bawaslu-ppu.go.id",
    )
    assert message["To"] == "Kepala BKN Kanreg VIII <pihak0@example.go.id>"
    assert message["Subject"] == "Penerusan Pelanggaran Netralitas ASN"
    assert message["Message-ID"] == row(engine, key).message_id
    # the office's own zone (Asia/Makassar), not UTC
    assert message["Date"] == "Mon, 14 Oct 2024 10:00:00 +0800"
    body = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert body is not None and "terlampir surat kami" in body.get_content()
    assert html is not None and "<p>Dengan hormat" in html.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == DOCX_TYPE
    assert attachment.get_filename() == "surat-penerusan.docx"
    assert attachment.get_content() == DOCX_BYTES


def test_message_id_is_the_same_on_every_copy(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    [key] = queue_rows(engine, 1)
    settings = mail_settings(tmp_path, sink.port)
    deliver(engine, settings)
    with unit_of_work(engine) as session:  # a person decides to send it again
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.key) == key)
            .values(status=OutboxStatus.PENDING)
        )
    deliver(engine, settings)
    first, second = sink.messages
    assert first["Message-ID"] == second["Message-ID"] == row(engine, key).message_id
    built = build_message(row(engine, key), sender=settings.mail_from)
    assert built["Message-ID"] == first["Message-ID"]


@contextmanager
def starttls_auth_server(
    tmp_path: Path, tls_context: ssl.SSLContext, *, password: str
) -> Iterator[tuple[TestMailServer, Settings]]:
    """A STARTTLS server requiring AUTH as netra/rahasia; settings that log in with `password`."""
    with TestMailServer(
        tmp_path / "mail", tls_context=tls_context, require_starttls=True, auth=("netra", "rahasia")
    ) as server:
        yield (
            server,
            mail_settings(
                tmp_path,
                server.port,
                smtp_security=SmtpSecurity.STARTTLS,
                smtp_validate_certs=False,
                smtp_username="netra",
                smtp_password=password,
            ),
        )


def test_starttls_with_auth_delivers(
    engine: Engine, tls_context: ssl.SSLContext, tmp_path: Path
) -> None:
    keys = queue_rows(engine, 2)
    with starttls_auth_server(tmp_path, tls_context, password="rahasia") as (server, settings):
        report = deliver(engine, settings)
    assert report.sent == keys and len(server.messages) == 2


def test_implicit_tls_delivers(engine: Engine, tls_context: ssl.SSLContext, tmp_path: Path) -> None:
    keys = queue_rows(engine, 1)
    with TestMailServer(tmp_path / "mail", tls_context=tls_context, implicit_tls=True) as server:
        settings = mail_settings(
            tmp_path, server.port, smtp_security=SmtpSecurity.TLS, smtp_validate_certs=False
        )
        assert deliver(engine, settings).sent == keys


def test_wrong_password_fails_clearly_and_claims_nothing(
    engine: Engine, tls_context: ssl.SSLContext, tmp_path: Path
) -> None:
    keys = queue_rows(engine, 2)
    with (
        starttls_auth_server(tmp_path, tls_context, password="salah") as (server, settings),
        pytest.raises(SmtpConfigError, match="menolak pengaturan") as caught,
    ):
        deliver(engine, settings)
    assert "535" in str(caught.value) and server.messages == []
    assert [(row(engine, k).status, row(engine, k).attempts) for k in keys] == [
        (OutboxStatus.PENDING, 0)
    ] * 2


def test_untrusted_certificate_is_refused_when_validating(
    engine: Engine, tls_context: ssl.SSLContext, tmp_path: Path
) -> None:
    [key] = queue_rows(engine, 1)
    with TestMailServer(
        tmp_path / "mail", tls_context=tls_context, require_starttls=True
    ) as server:
        settings = mail_settings(
            tmp_path, server.port, smtp_security=SmtpSecurity.STARTTLS, smtp_validate_certs=True
        )
        with pytest.raises(SmtpConfigError, match="CERTIFICATE_VERIFY_FAILED"):
            deliver(engine, settings)
    assert server.messages == [] and row(engine, key).status is OutboxStatus.PENDING


def test_server_down_leaves_rows_pending_then_sends_each_once(
    engine: Engine, tmp_path: Path
) -> None:
    keys = queue_rows(engine, 2)
    port = free_port()  # nothing listens here yet
    settings = mail_settings(tmp_path, port)
    sleep = FakeSleep()
    down = deliver(engine, settings, sleep)
    assert down.sent == [] and down.retry_later == keys and down.connection_error
    assert sleep.delays == [0.5, 1.0]  # three connection attempts, back-off doubling
    assert [(row(engine, k).status, row(engine, k).attempts) for k in keys] == [
        (OutboxStatus.PENDING, 0)
    ] * 2
    with TestMailServer(tmp_path / "mail", port=port) as server:
        up = deliver(engine, settings)
        again = deliver(engine, settings)
    assert up.sent == keys and again.sent == [] and len(server.messages) == 2


def test_451_twice_then_accepted_is_sent_once(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    [key] = queue_rows(engine, 1)
    sink.faults.fail_with, sink.faults.fail_times = (451, "4.3.0 Coba lagi nanti"), 2
    sleep = FakeSleep()
    report = deliver(engine, mail_settings(tmp_path, sink.port), sleep)
    assert report.sent == [key] and sink.faults.refused == 2 and len(sink.messages) == 1
    assert sleep.delays == [0.5, 1.0]
    stored = row(engine, key)
    assert (stored.status, stored.attempts, stored.sent_at) == (OutboxStatus.SENT, 3, NOW)
    assert "451" in stored.last_error


def test_transient_refusal_after_all_attempts_waits_for_a_later_run(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    [key] = queue_rows(engine, 1)
    sink.faults.fail_with, sink.faults.fail_on = (421, "4.7.0 Terlalu banyak koneksi"), "RCPT"
    settings = mail_settings(tmp_path, sink.port)
    report = deliver(engine, settings)
    assert report.retry_later == [key] and sink.messages == [] and sink.faults.refused == 3
    stored = row(engine, key)
    assert (stored.status, stored.attempts) == (OutboxStatus.PENDING, 3)
    assert stored.next_attempt_at == NOW + dt.timedelta(seconds=2.0)
    assert deliver(engine, settings) == DeliveryReport()  # not due yet at NOW
    sink.faults.fail_with = None
    later = deliver(engine, settings, now=NOW + dt.timedelta(minutes=1))
    assert later.sent == [key] and len(sink.messages) == 1


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_550_fails_the_row_and_is_never_retried(
    engine: Engine, sink: TestMailServer, tmp_path: Path, stage: str
) -> None:
    [key] = queue_rows(engine, 1)
    sink.faults.fail_with, sink.faults.fail_on = (550, "5.1.1 Alamat tidak dikenal"), stage  # type: ignore[assignment]
    settings = mail_settings(tmp_path, sink.port)
    sleep = FakeSleep()
    report = deliver(engine, settings, sleep)
    assert report.failed == [key] and sleep.delays == []
    sink.faults.fail_with = None
    assert deliver(engine, settings) == DeliveryReport()
    stored = row(engine, key)
    assert (stored.status, stored.attempts) == (OutboxStatus.FAILED, 1)
    assert stored.last_error == "550 5.1.1 Alamat tidak dikenal"
    assert sink.faults.refused == 1 and sink.messages == []


def test_a_later_failure_does_not_undo_sent_rows(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    keys = queue_rows(engine, 3)
    with unit_of_work(engine) as session:  # the second letter's file has gone missing
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.key) == keys[1])
            .values(
                attachments=[
                    {"path": str(tmp_path / "hilang.docx"), "name": "x.docx", "type": DOCX_TYPE}
                ]
            )
        )
    report = deliver(engine, mail_settings(tmp_path, sink.port))
    assert report.sent == [keys[0], keys[2]] and report.failed == [keys[1]]
    assert row(engine, keys[1]).last_error.startswith("Surat tidak dapat disusun")
    assert len(sink.messages) == 2


def test_row_left_in_sending_is_reported_stuck_and_never_sent(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    crashed, recent, fresh = queue_rows(engine, 3)
    claims = [
        (row(engine, crashed).id, NOW - dt.timedelta(hours=1)),
        (row(engine, recent).id, NOW - dt.timedelta(minutes=2)),
    ]
    with unit_of_work(engine) as session:  # a mailer claimed these, committed, then died
        for pk, at in claims:
            assert pk is not None and outbox.claim(session, pk, at)
    settings = mail_settings(tmp_path, sink.port)
    report = deliver(engine, settings)
    assert report.stuck == [crashed] and report.sent == [fresh]
    assert deliver(engine, settings).stuck == [crashed]
    assert [m["Message-ID"] for m in sink.messages] == [row(engine, fresh).message_id]
    assert row(engine, crashed).status is OutboxStatus.SENDING


def test_concurrent_mailers_send_each_row_once(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    keys = queue_rows(engine, 5)
    settings = mail_settings(tmp_path, sink.port)
    start = threading.Barrier(4)
    reports: list[DeliveryReport] = []

    def mailer() -> None:
        start.wait(timeout=10)
        reports.append(deliver(engine, settings))

    threads = [threading.Thread(target=mailer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(reports) == 4
    assert sorted(k for r in reports for k in r.sent) == sorted(keys)
    assert sorted(m["Message-ID"] for m in sink.messages) == sorted(
        row(engine, k).message_id for k in keys
    )
    assert all(row(engine, k).attempts == 1 for k in keys)


def test_connection_lost_during_data_is_not_resent(
    engine: Engine, sink: TestMailServer, tmp_path: Path
) -> None:
    [key] = queue_rows(engine, 1)
    sink.faults.drop_after_data = True  # the server keeps the message but the answer is lost
    settings = mail_settings(tmp_path, sink.port)
    sleep = FakeSleep()
    report = deliver(engine, settings, sleep)
    assert report.stuck == [key] and report.sent == [] and sleep.delays == []
    assert deliver(engine, settings, now=NOW + dt.timedelta(hours=1)).stuck == [key]
    assert len(sink.messages) == 1
    stored = row(engine, key)
    assert stored.status is OutboxStatus.SENDING and "tidak pasti" in stored.last_error


def test_server_demanding_starttls_does_not_fail_the_letters(
    engine: Engine, tls_context: ssl.SSLContext, tmp_path: Path
) -> None:
    keys = queue_rows(engine, 2)
    with TestMailServer(
        tmp_path / "mail", tls_context=tls_context, require_starttls=True
    ) as server:
        settings = mail_settings(tmp_path, server.port)  # plain SMTP: a configuration mistake
        with pytest.raises(SmtpConfigError, match="530"):
            deliver(engine, settings)
    assert server.messages == []
    assert [row(engine, k).status for k in keys] == [OutboxStatus.PENDING] * 2
