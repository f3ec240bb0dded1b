"""A deterministic ZIP: every entry dated 1980-01-01 00:00, the same permissions and compression,
written in the order given (the caller sorts), so the same files give the same bytes. Large
files are copied in chunks, hashed as they go and compared with the SHA-256 they must have: the
archive is written to a temporary file beside the target and renamed into place only when it is
whole, so a failed check leaves no archive behind."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path
from types import TracebackType

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
_CHUNK = 1024 * 1024


class FileChanged(RuntimeError):
    """A file's bytes are not the ones expected (its stored SHA-256)."""

    def __init__(self, path: Path, found: str | None) -> None:
        self.path, self.found = path, found
        super().__init__(str(path))


def file_sha256(path: Path) -> tuple[str, int]:
    """The SHA-256 and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def fixed_info(name: str, size: int | None = None) -> zipfile.ZipInfo:
    """A zip entry's header with nothing of the machine or the moment that writes it; `size`
    (when known) decides ZIP64 up front, the same way every time."""
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever machine writes it
    info.external_attr = 0o644 << 16
    if size is not None:
        info.file_size = size
    return info


class DeterministicZip:
    """`with DeterministicZip(target) as z: z.add_bytes(...); z.add_file(...)`; the target
    appears only when the block ends without an error."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".berkas-", suffix=".zip", dir=target.parent)
        os.close(handle)
        self._temp = Path(name)
        self._zip = zipfile.ZipFile(self._temp, "w", compression=zipfile.ZIP_DEFLATED)

    def add_bytes(self, name: str, data: bytes) -> None:
        with self._zip.open(fixed_info(name, len(data)), "w") as out:
            out.write(data)

    def add_file(self, name: str, path: Path, *, sha256: str) -> None:
        """Copy `path` in chunks; FileChanged when its bytes are not `sha256`."""
        digest = hashlib.sha256()
        with (
            path.open("rb") as stream,
            self._zip.open(fixed_info(name, path.stat().st_size), "w") as out,
        ):
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            raise FileChanged(path, digest.hexdigest())

    def __enter__(self) -> DeterministicZip:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            self._zip.close()
        finally:
            if kind is None:
                self._temp.replace(self.target)
            else:
                self._temp.unlink(missing_ok=True)
