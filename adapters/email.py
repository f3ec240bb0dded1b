"""What an email says: text and HTML bodies from the Jinja templates in templates/email/, and
the message built from a queued outbox row.

No sending here: `adapters.db.outbox.enqueue` queues an email and `adapters.smtp` sends it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models.letters.specs import LetterSpec
from models.rules.office import Office
from models.tables import OutboxMessage
from models.tables.columns import utcnow

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
EMAIL_DIR = Path(__file__).resolve().parent.parent / "templates" / "email"
EMAIL_ENV = Environment(
    loader=FileSystemLoader(EMAIL_DIR),
    undefined=StrictUndefined,
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


def compose(template: str, subject: str, values: dict[str, Any]) -> EmailContent:
    """`template`.txt.j2 and `template`.html.j2 filled with `values`."""
    return EmailContent(
        subject=subject,
        text=EMAIL_ENV.get_template(f"{template}.txt.j2").render(values),
        html=EMAIL_ENV.get_template(f"{template}.html.j2").render(values),
    )


def letter_email(
    spec: LetterSpec, office: Office, *, to_name: str, number: str, case_number: str | None
) -> EmailContent:
    """The email that carries a letter as its attachment."""
    values = {
        "to_name": to_name,
        "intro": spec.email_intro,
        "hal": spec.hal,
        "number": number,
        "case_number": case_number,
        "office_name": office.short_name,
        "office_address": office.address,
    }
    return compose("letter", f"{spec.hal} — {office.short_name}", values)


def build_message(row: OutboxMessage, *, sender: str, now: datetime | None = None) -> EmailMessage:
    """The email of one outbox row: text + HTML alternative, the .docx letter attached."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=row.to_name, addr_spec=row.to_address)
    message["Subject"] = row.subject
    message["Date"] = format_datetime(now or utcnow())
    message["Message-ID"] = row.message_id
    # quoted-printable keeps the message 7-bit clean for servers without 8BITMIME.
    message.set_content(row.body_text, cte="quoted-printable")
    message.add_alternative(row.body_html, subtype="html", cte="quoted-printable")
    if row.attachment_path:
        path = Path(row.attachment_path)
        message.add_attachment(
            path.read_bytes(),
            maintype=DOCX_TYPE[0],
            subtype=DOCX_TYPE[1],
            filename=row.attachment_name or path.name,
        )
    return message
