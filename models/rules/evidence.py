"""Rules for evidence files (Perbawaslu 7/2022 Pasal 13: documents and electronic files): which
files are accepted, what type they are, and how they are named in the store.

Pure: the caller reads the file's size and first bytes and asks these rules. The media type is
the stdlib `mimetypes` table for the extension (its built-in defaults only, so it is the same on
every machine; `.docx` added), confirmed by the file's leading bytes where the format has a
known signature: a renamed program is not accepted as a PDF.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import PurePath

from models.problems import Problem

SHORT_HASH = 12  # hex digits of the SHA-256 shown in records: enough to tell files apart
HEAD_BYTES = 512  # how much of a file the type check reads

_TYPES = mimetypes.MimeTypes()  # built-in defaults only, not the machine's /etc/mime.types
_TYPES.add_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
_TYPES.add_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
_TYPES.add_type("image/webp", ".webp")
_TYPES.add_type("audio/mp4", ".m4a")

_ZIP = (b"PK\x03\x04",)
# Leading bytes of each format whose content can be checked: (offset, prefix) alternatives.
_SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    "pdf": ((0, b"%PDF-"),),
    "png": ((0, b"\x89PNG\r\n\x1a\n"),),
    "jpg": ((0, b"\xff\xd8\xff"),),
    "jpeg": ((0, b"\xff\xd8\xff"),),
    "gif": ((0, b"GIF87a"), (0, b"GIF89a")),
    "webp": ((8, b"WEBP"),),
    "mp4": ((4, b"ftyp"),),
    "mov": ((4, b"ftyp"), (4, b"moov"), (4, b"wide")),
    "m4a": ((4, b"ftyp"),),
    "mp3": ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2")),
    "docx": tuple((0, z) for z in _ZIP),
    "xlsx": tuple((0, z) for z in _ZIP),
}


@dataclass(frozen=True)
class EvidencePolicy:
    """The operator's limits (settings NETRA_EVIDENCE_MAX_MB, NETRA_EVIDENCE_TYPES)."""

    max_bytes: int
    extensions: frozenset[str]

    @classmethod
    def of(cls, max_mb: float, types: str) -> EvidencePolicy:
        extensions = {t.strip().lower().lstrip(".") for t in types.split(",")}
        return cls(int(max_mb * 1024 * 1024), frozenset(e for e in extensions if e))

    @property
    def max_text(self) -> str:
        mb = self.max_bytes / (1024 * 1024)
        return f"{mb:g} MB".replace(".", ",")


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def media_type(name: str) -> str:
    """The media type of a file by its extension (`application/octet-stream` when unknown)."""
    guessed, _ = _TYPES.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def content_matches(ext: str, head: bytes) -> bool:
    """Whether the file's first bytes fit its extension. Plain text must be UTF-8 without NUL
    bytes; a format with no known signature is taken at its extension."""
    if ext == "txt":
        return b"\x00" not in head and _is_utf8_prefix(head)
    signatures = _SIGNATURES.get(ext)
    if signatures is None:
        return True
    return any(head[offset : offset + len(prefix)] == prefix for offset, prefix in signatures)


def _is_utf8_prefix(data: bytes) -> bool:
    """UTF-8, allowing a character cut at the end of the sample."""
    for cut in range(4):
        try:
            data[: len(data) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def file_problem(
    name: str, size: int, head: bytes, policy: EvidencePolicy, *, field: str
) -> Problem | None:
    """Why a file cannot be accepted as evidence (Indonesian, naming the file), or None."""
    ext = extension(name)
    if ext not in policy.extensions:
        allowed = ", ".join(sorted(policy.extensions))
        return _problem(
            "bukti_jenis_ditolak",
            field,
            f"jenis berkas bukti '{name}' tidak diterima (yang diterima: {allowed})",
        )
    if size == 0:
        return _problem("bukti_kosong", field, f"berkas bukti '{name}' kosong (0 bita)")
    if size > policy.max_bytes:
        return _problem(
            "bukti_terlalu_besar",
            field,
            f"berkas bukti '{name}' terlalu besar ({size_text(size)}; "
            f"paling besar {policy.max_text})",
        )
    if not content_matches(ext, head):
        return _problem(
            "bukti_isi_tidak_sesuai",
            field,
            f"isi berkas bukti '{name}' bukan berkas .{ext} sebagaimana namanya",
        )
    return None


def missing_problem(name: str, *, field: str, where: str) -> Problem:
    return _problem("bukti_tidak_ada", field, f"berkas bukti '{name}' tidak ditemukan di {where}")


def outside_problem(name: str, *, field: str, where: str) -> Problem:
    return _problem(
        "bukti_di_luar_folder",
        field,
        f"berkas bukti '{name}' harus ditulis relatif terhadap {where} dan berada di dalamnya",
    )


def _problem(code: str, field: str, message: str) -> Problem:
    return Problem(code=code, field=field, message=message)


def size_text(size: int) -> str:
    """'1,5 MB', '820 KB', '12 bita' (Indonesian decimal comma)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bita"


def short_hash(sha256: str) -> str:
    return sha256[:SHORT_HASH]


def stored_name(sha256: str) -> str:
    """Where a file lives in the store, relative to it: `<aa>/<sha256>`."""
    return f"{sha256[:2]}/{sha256}"
