"""A letter's file read back only when its bytes still are what was issued: the SHA-256 stored
with the letter (`Letter.sha256`, `Letter.pdf_sha256`) is compared before every send and every
download. A file edited, replaced, truncated or deleted after issue is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path


class LetterFileAltered(RuntimeError):
    """A letter's file is gone or differs from the one issued (its stored SHA-256)."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


def read_checked(path: Path, expected_sha256: str) -> bytes:
    """The file's bytes, if their SHA-256 is `expected_sha256`; else LetterFileAltered."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LetterFileAltered(path, f"berkas {path.name} tidak ada lagi (dihapus)") from None
    except OSError as error:
        reason = error.strerror or "tidak dapat dibuka"
        raise LetterFileAltered(path, f"berkas {path.name} tidak dapat dibaca ({reason})") from None
    found = hashlib.sha256(data).hexdigest()
    if found != expected_sha256:
        raise LetterFileAltered(
            path,
            f"isi berkas {path.name} tidak sama dengan yang diterbitkan (SHA-256 tersimpan "
            f"{expected_sha256[:12]}…, berkas sekarang {found[:12]}…, {len(data)} bita)",
        )
    return data
