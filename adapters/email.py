"""What an email says: text and HTML bodies from the Jinja templates in templates/email/, and
the message built from a queued outbox row.

No sending here: `adapters.db.outbox.enqueue` queues an email and `adapters.smtp` sends it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from adapters.letter_files import DOCX_TYPE as DOCX_TYPE
from adapters.letter_files import PDF_TYPE as PDF_TYPE
from adapters.letter_files import read_checked
from models.letters.specs import LetterSpec
from models.rules.office import Office
from models.tables import OutboxMessage
from models.tables.columns import utcnow

INFO_COPY = "Surel ini untuk diketahui."  # what a tembusan copy asks of its reader by default
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
    spec: LetterSpec,
    office: Office,
    *,
    to_name: str,
    number: str,
    date_text: str,
    case_ref: str,
    files: Sequence[str],
    details: Sequence[tuple[str, str]] = (),
    copy_of: str | None = None,
    copy_note: str = INFO_COPY,
) -> EmailContent:
    """The email that carries a letter (and its attachments): the subject names the Hal and
    the case; `details` repeat what the reader must act on (an invitation's day, time and
    place); `copy_of` makes it a tembusan copy of a letter addressed to someone else, with
    `copy_note` saying what the copy asks of its reader."""
    values = {
        "to_name": to_name,
        "intro": spec.email_intro,
        "copy_of": copy_of,
        "copy_note": copy_note,
        "hal": spec.hal,
        "number": number,
        "date_text": date_text,
        "case_ref": case_ref,
        "details": list(details),
        "files": list(files),
        "office_name": office.short_name,
        "office_address": office.address,
        "office_contact": _contact_line(office),
    }
    prefix = "Tembusan: " if copy_of else ""
    return compose("letter", f"{prefix}{spec.hal} — Perkara {case_ref}", values)


def _contact_line(office: Office) -> str:
    parts = (("Telepon", office.phone), ("Surel", office.email), ("Laman", office.website))
    return " | ".join(f"{label} {value}" for label, value in parts if value)


def attachment_name(number: str, label: str, suffix: str) -> str:
    """A file name the recipient can tell apart: the letter number, then what it is:
    '010-PP.01.02-K.KI-11-11-2024-surat-penerusan.pdf'."""
    stem = re.sub(r"[^0-9A-Za-z.]+", "-", f"{number} {label}").strip("-.")
    return f"{stem}.{suffix}"


def build_message(row: OutboxMessage, *, sender: str, now: datetime | None = None) -> EmailMessage:
    """The email of one outbox row: text + HTML alternative, the letter attached. A letter file
    that is no longer the one issued (its stored SHA-256) raises LetterFileAltered."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=row.to_name, addr_spec=row.to_address)
    message["Subject"] = row.subject
    message["Date"] = format_datetime((now or utcnow()).astimezone(ZoneInfo(row.zone)))
    message["Message-ID"] = row.message_id
    # quoted-printable keeps the message 7-bit clean for servers without 8BITMIME.
    message.set_content(row.body_text, cte="quoted-printable")
    message.add_alternative(row.body_html, subtype="html", cte="quoted-printable")
    for attachment in row.attachments:
        maintype, subtype = attachment["type"].split("/", 1)
        path = Path(attachment["path"])
        digest = attachment.get("sha256")
        message.add_attachment(
            read_checked(path, digest) if digest else path.read_bytes(),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["name"],
        )
    return message
