"""A small SMTP server (aiosmtpd) that keeps what it receives: the demo mailbox, the test server.

Every message is saved as `<mail_dir>/<NNNN>-<slug of Message-ID>.eml` and kept in memory.
It can speak STARTTLS (or implicit TLS), require AUTH, and refuse RCPT or DATA on demand.
"""

from __future__ import annotations

import asyncio
import email
import re
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class ReceivedMail:
    message: EmailMessage
    mail_from: str
    rcpt_tos: list[str]
    path: Path


class _Controller(Controller):
    def _trigger_server(self) -> None:
        # Port 0 lets the OS pick a free port: learn it before aiosmtpd connects to itself.
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80] or "tanpa-message-id"


class MailSink:
    """SMTP server on 127.0.0.1 in a background thread; use as a context manager.

    `fail_with=(451, "Coba lagi nanti")` makes the server refuse the `fail_on` command
    ("RCPT" or "DATA"); `fail_times` limits it to the next N refusals (None: until cleared).
    `drop_after_data=True` keeps the next message but closes the connection before answering
    (the client cannot know it arrived). All of these may be changed while the server runs.
    """

    def __init__(
        self,
        mail_dir: Path,
        *,
        port: int = 0,
        hostname: str = "127.0.0.1",
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        require_starttls: bool = False,
        auth: tuple[str, str] | None = None,
        fail_with: tuple[int, str] | None = None,
        fail_on: Literal["RCPT", "DATA"] = "DATA",
        fail_times: int | None = None,
    ) -> None:
        self.mail_dir = mail_dir
        self.fail_with = fail_with
        self.fail_on = fail_on
        self.fail_times = fail_times
        self.drop_after_data = False
        self.received: list[ReceivedMail] = []
        self.refused = 0
        self._auth = auth
        options: dict[str, Any] = {"server_hostname": "netra-mail-sink"}
        if implicit_tls and tls_context is None:
            raise ValueError("implicit_tls needs a tls_context")
        if implicit_tls:
            options["ssl_context"] = tls_context
        elif tls_context is not None:
            options.update(tls_context=tls_context, require_starttls=require_starttls)
        if auth is not None:
            options.update(
                authenticator=self._authenticate,
                auth_required=True,
                auth_require_tls=tls_context is not None,
            )
        self._controller = _Controller(self, hostname=hostname, port=port, **options)

    @property
    def port(self) -> int:
        return int(self._controller.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return [mail.message for mail in self.received]

    def start(self) -> MailSink:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop the server; stopping a stopped server does nothing."""
        if getattr(self._controller, "_thread", None) is not None:
            self._controller.stop()

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if (
            isinstance(auth_data, LoginPassword)
            and self._auth is not None
            and auth_data.login.decode() == self._auth[0]
            and auth_data.password.decode() == self._auth[1]
        ):
            return AuthResult(success=True)
        # handled=False lets aiosmtpd answer 535; success=False alone leaves the client waiting.
        return AuthResult(success=False, handled=False)

    def _refusal(self, command: str) -> str | None:
        if self.fail_with is None or self.fail_on != command:
            return None
        code, text = self.fail_with
        self.refused += 1
        if self.fail_times is not None:
            self.fail_times -= 1
            if self.fail_times <= 0:
                self.fail_with, self.fail_times = None, None
        return f"{code} {text}"

    async def handle_RCPT(  # noqa: N802  (aiosmtpd hook name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        refusal = self._refusal("RCPT")
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802  (aiosmtpd hook name)
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        refusal = self._refusal("DATA")
        if refusal is not None:
            return refusal
        content = envelope.original_content or envelope.content
        message = email.message_from_bytes(content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        number = self._next_number()
        path = self.mail_dir / f"{number:04d}-{_slug(message.get('Message-ID', ''))}.eml"
        path.write_bytes(content)
        self.received.append(
            ReceivedMail(
                message=message,
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                path=path,
            )
        )
        if self.drop_after_data:
            self.drop_after_data = False
            server.transport.close()
        return "250 Message accepted for delivery"

    def _next_number(self) -> int:
        numbers = [int(p.name[:4]) for p in self.mail_dir.glob("[0-9][0-9][0-9][0-9]-*.eml")]
        return max(numbers, default=0) + 1
