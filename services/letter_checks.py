"""What a letter is checked against before it is issued, read once: its text from the .docx and,
when there is a PDF, its pages. The letter lint (`models.letters.lint`) is an error in tests and a
warning in use; the reporter-identity guard reads the same text (`services.desk`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from adapters.docx import docx_text
from adapters.pdf import pdf_pages
from models.letters.lint import lint_pages, lint_text

log = logging.getLogger("netra.letters")


class LetterLintError(RuntimeError):
    """A letter failed the letter lint while `letter_lint` is "error"."""


@dataclass
class RenderedLetter:
    """A letter's bytes, and its text and pages as the checks read them (parsed once)."""

    docx: bytes
    pdf: bytes | None
    known_text: str | None = None  # the renderer's text of `docx`, when it gave it

    @cached_property
    def text(self) -> str:
        return self.known_text if self.known_text is not None else docx_text(self.docx)

    @cached_property
    def pages(self) -> list[str]:
        return pdf_pages(self.pdf) if self.pdf is not None else []

    @property
    def everything(self) -> str:
        """The body's text and every page's (headers and footers included)."""
        return "\n".join([self.text, *self.pages])


def lint_letter(
    mode: Literal["error", "warn", "off"], kind: str, letter: RenderedLetter, signer: str
) -> None:
    """Apply the letter lint: raise in "error" mode, log in "warn" mode."""
    if mode == "off":
        return
    problems = [str(p) for p in lint_text(letter.text)]
    if letter.pdf is not None:
        problems += lint_pages(letter.pages, signer)
    if not problems:
        return
    message = f"surat {kind} tidak lolos pemeriksaan: " + "; ".join(problems)
    if mode == "error":
        raise LetterLintError(message)
    log.warning(message)
