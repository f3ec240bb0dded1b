"""What an email says: text and HTML bodies from the Jinja templates in templates/email/.

Rendering only; `adapters.db.outbox.enqueue` queues the result and `adapters.smtp` sends it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models.letters.specs import LetterSpec
from models.rules.office import Office

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
