"""The evidence store: files kept once by content under `<root>/<aa>/<sha256>`.

A file is copied to a temporary file in the store (hashing as it goes, stopping past the size
limit), flushed to disk, then renamed into place: a reader never sees half a file, and the same
content stored twice is kept once. Files are never modified; `discard` removes one that no
record refers to (a transaction that stored it and then failed).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models.rules.evidence import HEAD_BYTES, stored_name

_CHUNK = 1024 * 1024


class EvidenceTooLarge(ValueError):
    """The file grew past the limit while it was being copied."""


@dataclass(frozen=True)
class SourceFile:
    """A file named as evidence, found on disk: its path, size and first bytes."""

    path: Path
    size: int
    head: bytes


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    created: bool  # False when the store already held the same content


def locate(folder: Path, name: str) -> Path | None:
    """Where `name` is inside `folder`; None when it is absolute or leads outside `folder`
    (through `..` or a link)."""
    if Path(name).is_absolute():
        return None
    base = folder.resolve()
    path = (base / name).resolve()
    return path if path.is_relative_to(base) else None


def read_source(path: Path) -> SourceFile | None:
    """The file at `path` with its size and first bytes; None when there is no such file."""
    if not path.is_file():
        return None
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    return SourceFile(path.resolve(), path.stat().st_size, head)


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / stored_name(sha256)

    def put(self, source: Path, *, max_bytes: int) -> StoredFile:
        """Store `source` by its content; returns its SHA-256, size and whether it was new."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        handle, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out, source.open("rb") as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise EvidenceTooLarge(str(source))
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            final = self.path_of(sha256)
            if final.exists():
                temp.unlink()
                return StoredFile(sha256, size, created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            temp.chmod(0o440)
            temp.replace(final)
            return StoredFile(sha256, size, created=True)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def discard(self, sha256: str) -> None:
        """Remove a stored file (and its folder, once empty)."""
        path = self.path_of(sha256)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()
