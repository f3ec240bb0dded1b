"""SMTP adapter of the outbox: build each letter's email and deliver due rows exactly once.

One attempt = connect if needed, claim the row (pending -> sending, committed), MAIL/RCPT/DATA,
mark it sent (committed). A refusal the server answered leaves the row pending (4xx, due again
after a back-off) or failed (5xx); a connection lost before DATA is transient. A connection
lost *during* DATA may have delivered the message: the row stays in `sending` for a person.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import parseaddr
from enum import Enum

from aiosmtplib import SMTP, SMTPException, SMTPResponseException
from sqlalchemy.engine import Engine
from sqlmodel import Session

from adapters.db import outbox
from adapters.db.audit import append_audit
from adapters.db.engine import unit_of_work
from adapters.email import build_message
from adapters.letter_files import LetterFileAltered
from config.settings import Settings, SmtpSecurity
from models.audit import LETTER_TAMPERED_NOTE, AuditAction
from models.tables import OutboxMessage
from models.tables.columns import utcnow

log = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=10)
_RESTORE = "Surel tidak dikirim; pulihkan berkas surat yang asli lalu antrekan lagi"


@dataclass
class DeliveryReport:
    """Outbox keys by outcome of one `deliver_pending` run."""

    sent: list[str] = field(default_factory=list)
    retry_later: list[str] = field(default_factory=list)  # still pending: a later run sends them
    failed: list[str] = field(default_factory=list)  # refused for good; see last_error
    stuck: list[str] = field(default_factory=list)  # in `sending`: a person must check
    tampered: list[str] = field(default_factory=list)  # not sent: a letter file was altered
    connection_error: str | None = None  # why the server could not be reached, if so


class SmtpConfigError(RuntimeError):
    """The server refused our login or TLS: the settings are wrong, retrying will not help."""

    def __init__(self, message: str, report: DeliveryReport) -> None:
        super().__init__(message)
        self.report = report


class _Result(Enum):
    ACCEPTED = "accepted"
    TRANSIENT = "transient"  # not delivered; try again
    PERMANENT = "permanent"  # not delivered; never retry
    UNKNOWN = "unknown"  # maybe delivered: a person decides
    CONFIG = "config"  # our setup is refused (sender, STARTTLS/AUTH required): not the row's fault
    TAMPERED = "tampered"  # a letter file is not the one issued: never sent, a person decides


def _client(settings: Settings) -> SMTP:
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        timeout=settings.smtp_timeout,
        use_tls=settings.smtp_security is SmtpSecurity.TLS,
        start_tls=settings.smtp_security is SmtpSecurity.STARTTLS,
        validate_certs=settings.smtp_validate_certs,
        username=settings.smtp_username,
        password=password,
    )


def _is_config_error(exc: Exception) -> bool:
    """A failure to connect that retrying cannot fix (bad login, TLS refused/untrusted)."""
    if isinstance(exc, SMTPResponseException):
        return exc.code >= 500
    chain = [exc, exc.__cause__, exc.__context__]
    return any(isinstance(e, ssl.SSLError) for e in chain) or not isinstance(exc, OSError)


async def _transmit(
    smtp: SMTP, sender: str, message: EmailMessage, recipient: str
) -> tuple[_Result, str]:
    try:
        await smtp.mail(sender)
    except SMTPResponseException as exc:
        return _refusal(exc, sender_refused=True)
    except (SMTPException, OSError) as exc:
        return _Result.TRANSIENT, f"Koneksi SMTP terputus sebelum pengiriman: {exc}"
    try:
        await smtp.rcpt(recipient)
    except SMTPResponseException as exc:
        return _refusal(exc)
    except (SMTPException, OSError) as exc:
        return _Result.TRANSIENT, f"Koneksi SMTP terputus sebelum pengiriman: {exc}"
    except ValueError as exc:  # an address aiosmtplib will not put on the wire
        return _Result.PERMANENT, f"Alamat tidak valid: {exc}"
    try:
        await smtp.data(message.as_bytes(policy=SMTP_POLICY))
    except SMTPResponseException as exc:
        return _refusal(exc)
    except (SMTPException, OSError) as exc:
        return _Result.UNKNOWN, f"Koneksi SMTP terputus saat pengiriman; status tidak pasti: {exc}"
    return _Result.ACCEPTED, ""


def _refusal(exc: SMTPResponseException, *, sender_refused: bool = False) -> tuple[_Result, str]:
    if exc.code in (530, 535) or (sender_refused and exc.code >= 500):
        return _Result.CONFIG, f"{exc.code} {exc.message}"
    kind = _Result.PERMANENT if exc.code >= 500 else _Result.TRANSIENT
    return kind, f"{exc.code} {exc.message}"


async def deliver_pending(
    engine: Engine,
    settings: Settings,
    *,
    now_fn: Callable[[], datetime] = utcnow,
    case_id: int | None = None,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    stuck_after: timedelta = STUCK_AFTER,
) -> DeliveryReport:
    """Send every due outbox row (of `case_id`, or all) once; a server outage never raises.

    Raises SmtpConfigError when the server rejects the login or the TLS setup (rows not yet
    sent stay pending, untouched). Rows claimed in `sending` before `stuck_after` are reported.
    """
    run = _Delivery(engine, settings, now_fn, sleep)
    with unit_of_work(engine) as session:
        due = [(row.id, row.key) for row in outbox.due_messages(session, now_fn(), case_id)]
        stuck = outbox.stuck_messages(session, now_fn() - stuck_after, case_id=case_id)
        run.report.stuck = [row.key for row in stuck]
    try:
        for index, (pk, key) in enumerate(due):
            assert pk is not None
            if not await run.send_row(pk, key):
                run.report.retry_later.extend(k for _, k in due[index:])  # server unreachable
                break
    finally:
        await run.disconnect()
    return run.report


class _Delivery:
    """One run: one SMTP connection (reopened after a failure), the report, clock and back-off."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        now: Callable[[], datetime],
        sleep: Callable[[float], Awaitable[object]],
    ) -> None:
        self.engine, self.settings, self.now, self.sleep = engine, settings, now, sleep
        self.smtp: SMTP | None = None
        self.report = DeliveryReport()
        self.sender = parseaddr(settings.mail_from)[1]

    async def send_row(self, pk: int, key: str) -> bool:
        """Up to `mail_max_attempts` tries; False if the server could not be reached at all."""
        attempts = self.settings.mail_max_attempts
        for attempt in range(1, attempts + 1):
            delay = self.settings.mail_retry_base_seconds * 2 ** (attempt - 1)
            smtp = await self._connect()
            if smtp is not None:
                retry_at = self.now() + timedelta(seconds=delay)
                if await self._attempt(smtp, pk, key, retry_at) is not _Result.TRANSIENT:
                    return True
            if attempt == attempts:
                if smtp is not None:
                    self.report.retry_later.append(key)
                return smtp is not None
            await self.sleep(delay)
        return True

    async def disconnect(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None and smtp.is_connected:
            try:
                await smtp.quit()
            except (SMTPException, OSError):
                smtp.close()

    async def _connect(self) -> SMTP | None:
        if self.smtp is not None and self.smtp.is_connected:
            return self.smtp
        try:
            self.smtp = _client(self.settings)
            await self.smtp.connect()
            return self.smtp
        except Exception as exc:
            if _is_config_error(exc):
                raise self._config_error(exc) from exc
            self.report.connection_error = f"Server SMTP tidak dapat dihubungi: {exc}"
            log.warning("SMTP connection failed: %s", exc)
            return None

    def _config_error(self, cause: object) -> SmtpConfigError:
        s = self.settings
        return SmtpConfigError(
            f"Server SMTP {s.smtp_host}:{s.smtp_port} menolak pengaturan pengiriman (login, TLS "
            f"atau alamat pengirim); periksa NETRA_SMTP_* dan NETRA_MAIL_FROM: {cause}",
            self.report,
        )

    async def _attempt(self, smtp: SMTP, pk: int, key: str, retry_at: datetime) -> _Result | None:
        """Claim, send, record; None if the row is no longer ours to send."""
        with unit_of_work(self.engine) as session:
            if not outbox.claim(session, pk, self.now()):
                return None  # another mailer has it, or it is no longer pending
            row = session.get_one(OutboxMessage, pk)
        try:
            message = build_message(row, sender=self.settings.mail_from, now=self.now())
        except LetterFileAltered as exc:
            result, error = _Result.TAMPERED, f"{LETTER_TAMPERED_NOTE}: {exc}. {_RESTORE}"
        except Exception as exc:  # missing attachment, invalid address: this row's own data
            result, error = _Result.PERMANENT, f"Surat tidak dapat disusun: {exc}"
        else:
            result, error = await _transmit(smtp, self.sender, message, row.to_address)
        if result not in (_Result.ACCEPTED, _Result.TAMPERED):
            await self.disconnect()  # a clean envelope (or a new connection) next time
        with unit_of_work(self.engine) as session:
            if result is _Result.ACCEPTED:
                outbox.mark_sent(session, pk, self.now())
                self.report.sent.append(key)
            elif result is _Result.PERMANENT:
                outbox.mark_failed(session, pk, error)
                self.report.failed.append(key)
            elif result is _Result.UNKNOWN:
                outbox.record_uncertain(session, pk, error)
                self.report.stuck.append(key)
            elif result is _Result.TAMPERED:
                outbox.mark_failed(session, pk, error)
                _record_tampering(session, row, error, self.now())
                self.report.tampered.append(key)
            elif result is _Result.CONFIG:
                outbox.release_for_retry(session, pk, error, self.now())
            else:
                outbox.release_for_retry(session, pk, error, retry_at)
                log.warning("outbox %s: transient failure: %s", key, error)
        if result is _Result.CONFIG:
            raise self._config_error(error)
        return result


def _record_tampering(session: Session, row: OutboxMessage, error: str, now: datetime) -> None:
    """An altered letter stopped an email: an error in the log and a row in the audit trail."""
    log.error("outbox %s: %s", row.key, error)
    append_audit(
        session,
        actor_id=None,
        actor="sistem",
        action=AuditAction.LETTER_TAMPERED,
        case_id=row.case_id,
        detail=f"surel {row.key} kepada {row.to_address}: {error}",
        now=now,
    )
