"""The recording SMTP server of the tests, with what only tests need: TLS, AUTH, and refusals or
a dropped connection on demand (the demo's `MailSink` plus aiosmtpd's own options)."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.smtp import AuthResult, LoginPassword

from cli.local.mail_sink import MailSink, SavingHandler


class FaultyHandler(SavingHandler):
    """Refuses the `fail_on` command with `fail_with` (`fail_times` times, None: until cleared);
    `drop_after_data` keeps the next message but closes the connection before answering, so the
    client cannot know it arrived. All may be changed while the server runs."""

    def __init__(self, mail_dir: Path) -> None:
        super().__init__(mail_dir)
        self.fail_with: tuple[int, str] | None = None
        self.fail_on: Literal["RCPT", "DATA"] = "DATA"
        self.fail_times: int | None = None
        self.drop_after_data = False
        self.refused = 0

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
        if refusal := self._refusal("RCPT"):
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802  (aiosmtpd hook name)
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        if refusal := self._refusal("DATA"):
            return refusal
        answer = await super().handle_DATA(server, session, envelope)
        if self.drop_after_data:
            self.drop_after_data = False
            server.transport.close()
        return answer


class TestMailServer(MailSink):
    """A `MailSink` that can speak STARTTLS or implicit TLS, require AUTH, and fail on demand."""

    __test__ = False  # not a test class, whatever its name

    def __init__(
        self,
        mail_dir: Path,
        *,
        port: int = 0,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        require_starttls: bool = False,
        auth: tuple[str, str] | None = None,
    ) -> None:
        options: dict[str, Any] = {}
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
        self._auth = auth
        self.faults = FaultyHandler(mail_dir)
        super().__init__(mail_dir, port=port, handler=self.faults, **options)

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
