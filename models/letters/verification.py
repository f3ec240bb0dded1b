"""Verification codes of letters: which letters carry one, how a code is written and read back,
and the public address it leads to.

A code is 12 characters of a 32-letter alphabet without the look-alikes 0/O and 1/I (60 random
bits), printed in three groups of four ("7KQM-X2RD-9FHA"). It is drawn at random when the letter
is issued (`services.desk`), never derived from the letter's number, and kept with the letter.
What a person types is read back forgivingly: case, spaces and dashes do not matter.
"""

from __future__ import annotations

import re

from models.letters.kinds import LETTER_MODELS, RECORD_KINDS

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: 5 bits each, no 0/O/1/I
GROUPS, GROUP_SIZE = 3, 4
LENGTH = GROUPS * GROUP_SIZE  # 12 symbols, 60 bits
PATH = "/verifikasi"

# Every document that leaves the issuing office (letters to the reporter, the reported person,
# the PPK, KASN/BKN, another institution or Bawaslu office, and the redacted attachments sent
# with them) carries a code. The records that stay in the case file (kajian awal, berita acara,
# kajian) do not: nobody outside receives them to check.
VERIFIABLE_KINDS = frozenset(LETTER_MODELS) - RECORD_KINDS

_SEPARATORS = re.compile(r"[\s\-_.]+")


def is_verifiable(kind: str) -> bool:
    return kind in VERIFIABLE_KINDS


def code_from_symbols(indexes: list[int]) -> str:
    """The grouped code of `LENGTH` alphabet positions (0..31), e.g. from a random source."""
    if len(indexes) != LENGTH or any(not 0 <= i < len(ALPHABET) for i in indexes):
        raise ValueError(f"a verification code is {LENGTH} symbols of 0..{len(ALPHABET) - 1}")
    symbols = "".join(ALPHABET[i] for i in indexes)
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def normalize_code(text: str) -> str | None:
    """The code as stored ("XXXX-XXXX-XXXX") from what a person typed or a link carried, or
    None when it cannot be a code (wrong length, a letter outside the alphabet)."""
    bare = _SEPARATORS.sub("", text).upper()
    if len(bare) != LENGTH or any(c not in ALPHABET for c in bare):
        return None
    return "-".join(bare[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def verification_url(public_url: str, code: str) -> str:
    """The public page of a code: what the letter prints and its QR code encodes."""
    return f"{public_url.rstrip('/')}{PATH}/{code}"
