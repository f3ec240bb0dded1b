"""A letter's files: written once, whole, under a name no other writer can take
(`write_once`), and read back only when their bytes still are what was issued: the SHA-256
stored with the letter (`Letter.sha256`, `Letter.pdf_sha256`) is compared before every send and
every download. A file edited, replaced, truncated or deleted after issue is refused."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path

# The media types of a letter's files (attachments, downloads).
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


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


TEMPORARY_PREFIX = ".menulis-"  # a file being written; never a letter's name
TOKEN_BYTES = 6  # 12 hex digits: the writer's own part of the name


def write_once(folder: Path, base: str, files: Mapping[str, bytes]) -> str:
    """Write a letter's files (`{suffix: bytes}`, e.g. its .docx and its PDF) into `folder`,
    each once and whole, under names no other writer can take: `<base>--<token><suffix>`, one
    random token for all of them. Each file's bytes go to a private temporary file (flushed to
    disk), then get their name by a hard link, which fails rather than replace a file of that
    name (a new token is drawn then). Returns the stem `<base>--<token>`. A process killed
    midway leaves only files no stored letter names (`remove_strays` takes them away)."""
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        stem = f"{base}--{secrets.token_hex(TOKEN_BYTES)}"
        linked: list[Path] = []
        try:
            for suffix, data in files.items():
                final = folder / f"{stem}{suffix}"
                _link_new(folder, final, data)
                linked.append(final)
        except FileExistsError:
            for path in linked:
                path.unlink(missing_ok=True)
            continue
        _sync_folder(folder)
        return stem


def _link_new(folder: Path, final: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, final)  # FileExistsError: the name is taken, nothing replaced
    finally:
        Path(temporary).unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_strays(folder: Path, keep: Collection[str]) -> list[str]:
    """Remove the files of `folder` whose names are not in `keep` (a stored letter's files):
    what a writer killed before its transaction committed left, and temporary files. Only safe
    while no other writer of this folder can be between writing and committing (the caller
    holds the case's letter lock, `adapters.db.locks.lock_case_letters`)."""
    if not folder.is_dir():
        return []
    removed = []
    for path in folder.iterdir():
        if path.is_file() and path.name not in keep:
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return sorted(removed)
