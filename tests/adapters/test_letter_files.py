"""Letter files are written once, whole, under names no other writer takes; strays go."""

from __future__ import annotations

import hashlib
from pathlib import Path

from adapters.letter_files import TEMPORARY_PREFIX, read_checked, remove_strays, write_once


def test_two_writers_of_the_same_letter_never_share_a_file(tmp_path: Path) -> None:
    first = write_once(tmp_path, "surat_penerusan--bkn", {".docx": b"nomor 010", ".pdf": b"%PDF"})
    second = write_once(tmp_path, "surat_penerusan--bkn", {".docx": b"nomor 011"})
    assert first != second
    assert first.startswith("surat_penerusan--bkn--")
    assert (tmp_path / f"{first}.docx").read_bytes() == b"nomor 010"  # not replaced
    assert (tmp_path / f"{first}.pdf").read_bytes() == b"%PDF"
    assert read_checked(tmp_path / f"{second}.docx", hashlib.sha256(b"nomor 011").hexdigest())
    assert not list(tmp_path.glob(f"{TEMPORARY_PREFIX}*"))  # no temporary file left


def test_strays_are_removed_and_stored_letters_kept(tmp_path: Path) -> None:
    kept = write_once(tmp_path, "tanda_terima--pelapor", {".docx": b"a"})
    stray = write_once(tmp_path, "kajian_awal--arsip", {".docx": b"b"})
    (tmp_path / f"{TEMPORARY_PREFIX}abc").write_bytes(b"half a lett")
    removed = remove_strays(tmp_path, {f"{kept}.docx"})
    assert removed == sorted([f"{TEMPORARY_PREFIX}abc", f"{stray}.docx"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{kept}.docx"]
    assert remove_strays(tmp_path / "tidak-ada", set()) == []
