"""The demo's mailbox: a local SMTP server (aiosmtpd) that keeps every message it receives, as
an `.eml` file under the mail folder and in memory. Tests run it as their recording server.

aiosmtpd's `Message` handler does the SMTP work; this module only saves what it hands over.
"""

from __future__ import annotations

import email
import re
import socket
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler


@dataclass(frozen=True)
class ReceivedMail:
    message: EmailMessage
    mail_from: str
    rcpt_tos: list[str]
    path: Path


class SavingHandler(MessageHandler):
    """Saves each message as `<NNNN>-<Message-ID>.eml` and records it."""

    def __init__(self, mail_dir: Path) -> None:
        super().__init__()
        self.mail_dir = mail_dir
        self.received: list[ReceivedMail] = []

    def handle_message(self, message: Message) -> None:
        mail_from, rcpt_tos = message["X-MailFrom"], message["X-RcptTo"]
        for added in ("X-Peer", "X-MailFrom", "X-RcptTo"):  # aiosmtpd's envelope headers
            del message[added]
        content = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))  # as sent
        parsed = email.message_from_bytes(content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        number = 1 + max(
            (int(p.name[:4]) for p in self.mail_dir.glob("[0-9][0-9][0-9][0-9]-*.eml")), default=0
        )
        path = self.mail_dir / f"{number:04d}-{_file_name(parsed.get('Message-ID', ''))}.eml"
        path.write_bytes(content)
        self.received.append(ReceivedMail(parsed, mail_from, rcpt_tos.split(", "), path))


def _file_name(message_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", message_id).strip("-")[:80] or "tanpa-message-id"


def free_port(hostname: str) -> int:
    with socket.socket() as probe:
        probe.bind((hostname, 0))
        return int(probe.getsockname()[1])


class MailSink:
    """An SMTP server on 127.0.0.1 in a background thread; use as a context manager. Port 0
    picks a free port. `options` go to aiosmtpd's Controller (TLS, AUTH...)."""

    def __init__(
        self,
        mail_dir: Path,
        *,
        port: int = 0,
        hostname: str = "127.0.0.1",
        handler: SavingHandler | None = None,
        **options: Any,
    ) -> None:
        self.mail_dir = mail_dir
        self.handler = handler or SavingHandler(mail_dir)
        options.setdefault("server_hostname", "netra-mail-sink")
        self._controller = Controller(
            self.handler, hostname=hostname, port=port or free_port(hostname), **options
        )

    @property
    def port(self) -> int:
        return int(self._controller.port)

    @property
    def received(self) -> list[ReceivedMail]:
        return self.handler.received

    @property
    def messages(self) -> list[EmailMessage]:
        return [mail.message for mail in self.received]

    def start(self) -> Self:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop the server; stopping a stopped server does nothing."""
        if getattr(self._controller, "_thread", None) is not None:
            self._controller.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
