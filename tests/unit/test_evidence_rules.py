"""Which files are accepted as evidence, and their type: pure rules on a name, a size and the
first bytes."""

from __future__ import annotations

import pytest

from models.rules.evidence import (
    EvidencePolicy,
    file_problem,
    media_type,
    short_hash,
    size_text,
    stored_name,
)

POLICY = EvidencePolicy.of(25, "pdf, JPG,jpeg,png,mp4,docx,txt")
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("surat.pdf", b"%PDF-1.7\n", None),
        ("FOTO.JPG", b"\xff\xd8\xff\xe0", None),
        ("rekaman.mp4", MP4, None),
        ("dokumen.docx", b"PK\x03\x04", None),
        ("catatan.txt", "keterangan saksi: ‘hadir’".encode(), None),
        ("program.exe", b"MZ", "bukti_jenis_ditolak"),
        ("tanpa-ekstensi", b"%PDF-", "bukti_jenis_ditolak"),
        ("berganti-nama.pdf", b"MZ\x90\x00", "bukti_isi_tidak_sesuai"),
        ("gambar.png", b"\xff\xd8\xff\xe0", "bukti_isi_tidak_sesuai"),
        ("biner.txt", b"abc\x00def", "bukti_isi_tidak_sesuai"),
    ],
)
def test_type_by_extension_confirmed_by_content(
    name: str, head: bytes, expected: str | None
) -> None:
    problem = file_problem(name, 100, head, POLICY, field="bukti")
    assert (problem.code if problem else None) == expected


def test_size_limits_and_their_message() -> None:
    limit = 25 * 1024 * 1024
    assert file_problem("a.pdf", limit, b"%PDF-", POLICY, field="f") is None
    too_big = file_problem("a.pdf", limit + 1, b"%PDF-", POLICY, field="f")
    assert too_big is not None and too_big.code == "bukti_terlalu_besar"
    assert "paling besar 25 MB" in too_big.message and "25,0 MB" in too_big.message
    empty = file_problem("a.pdf", 0, b"", POLICY, field="f")
    assert empty is not None and empty.code == "bukti_kosong"


def test_a_utf8_character_cut_at_the_end_of_the_sample_is_still_text() -> None:
    head = "bukti ‘".encode()[:-1]
    assert file_problem("a.txt", 10, head, POLICY, field="f") is None


def test_media_types_and_names_in_the_store() -> None:
    assert media_type("a.docx").endswith("wordprocessingml.document")
    assert media_type("a.PDF") == "application/pdf" and media_type("a.xyz") == (
        "application/octet-stream"
    )
    digest = "ab" + "0" * 62
    assert stored_name(digest) == f"ab/{digest}" and short_hash(digest) == "ab0000000000"
    assert [size_text(n) for n in (12, 2048, 3 * 1024 * 1024 // 2)] == [
        "12 bita",
        "2 KB",
        "1,5 MB",
    ]
