"""The letter lint: what must never reach a person in a letter's text.

Pure checks over the text of a rendered letter (and, when a PDF exists, over its pages): a
Python value (`None`), doubled or misplaced punctuation, template syntax, ISO dates, snake_case
keys, English words, and the signer's name on a page other than the closing's. Each problem is
an Indonesian sentence naming what was found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Words of English (and of Python) that no Indonesian letter of Netra's contains.
_ENGLISH = frozenset(
    {
        *("the", "and", "of", "with", "from", "for", "is", "not", "true"),
        *("false", "case", "letter", "report", "deadline", "pending", "sent", "failed"),
        *("stage", "reporter", "reported", "witness", "office"),
    }
)
_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nilai kosong dari program", re.compile(r"\b(None|null|undefined|nan)\b")),
    ("tanda baca ganda", re.compile(r"(?<![.])[.]{2}(?![.])|[.,;:][,;]|,[.]|;[.]")),
    ("spasi sebelum tanda baca", re.compile(r"\S [,.;:](?=\s|$)")),
    ("sisa sintaks templat", re.compile(r"\{[{%#]|[}%#]\}")),
    ("tanggal berformat ISO", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("kunci program (snake_case)", re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")),
)
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class LintProblem:
    what: str  # the rule broken, in Indonesian
    found: str  # the text that broke it

    def __str__(self) -> str:
        return f"{self.what}: {self.found!r}"


# An academic title or abbreviation before a comma ("M.Si., NIP"): its full stop is not doubled.
_ABBREVIATION = re.compile(r"\b[A-Z][A-Za-z]{0,4}\.$")


def lint_text(text: str) -> list[LintProblem]:
    """Every problem in a letter's text, in reading order of the rules."""
    problems = [
        LintProblem(what, _context(text, m.start(), m.end()))
        for what, pattern in _CHECKS
        for m in pattern.finditer(text)
        if not (m.group() == ".," and _ABBREVIATION.search(text[: m.start() + 1]))
    ]
    english = sorted({w for w in _WORD.findall(text) if w.casefold() in _ENGLISH})
    problems += [LintProblem("kata bahasa Inggris", w) for w in english]
    return problems


def lint_pages(pages: Sequence[str], signer_name: str, closing: str = "Demikian") -> list[str]:
    """The signer's name must be on the page of the closing sentence (a signature block never
    stands alone on the next page). Returns the problems as sentences."""
    closing_pages = [i for i, page in enumerate(pages) if closing in page]
    signer_pages = [i for i, page in enumerate(pages) if signer_name in _squash(page)]
    if not closing_pages:
        return [f"kalimat penutup ({closing} ...) tidak ditemukan"]
    if not signer_pages:
        return [f"nama penanda tangan {signer_name!r} tidak ditemukan"]
    closing_page, signer_page = closing_pages[-1], signer_pages[-1]
    if signer_page != closing_page:
        return [
            f"nama penanda tangan ada di halaman {signer_page + 1}, kalimat penutup di "
            f"halaman {closing_page + 1}"
        ]
    return []


def _squash(text: str) -> str:
    return " ".join(text.split())


def _context(text: str, start: int, end: int, width: int = 20) -> str:
    return _squash(text[max(0, start - width) : end + width])
