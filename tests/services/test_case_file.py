"""The case file (issue 12, build 7): a case driven through the real stage services to approval,
with evidence files, exported and opened again as the auditor, BKN or a court would."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from sqlmodel import Session, col, select

from models.access import Actor, Role, memberships
from models.audit import AuditAction
from models.report.model import EvidenceItem
from models.stages import Stage
from models.tables import AuditEntry, Evidence
from services.case_file import CaseFileRefused, export_case_file
from services.deps import Deps, with_evidence_inbox
from tests.services.helpers import PPU, letters, plan_of, report_of, run_plan, with_settings
from tests.support.actors import staff

OFFICE = "bawaslu-kab-penajam-paser-utara"
NOW = datetime(2024, 10, 20, 9, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
# What of the reporter (samples/reports/report-ppu-camat.json) must not appear when redacted.
REPORTER_MARKS = ("hidayat", "081250001111", "0812-5000", "rahmat.hidayat@")
INDEX_FILES = {"indeks.html", "indeks.csv", "SHA256SUMS"}


async def approved_case(deps: Deps, tmp_path: Path) -> Deps:
    """The Penajam sample driven to approval, with three evidence files: a photo whose name
    carries the reporter's name, a note naming the reporter, and a note that does not."""
    inbox = tmp_path / "kotak-bukti"
    inbox.mkdir()
    (inbox / "foto-rahmat-hidayat.png").write_bytes(PNG)
    (inbox / "catatan-pelapor.txt").write_text("Catatan dari Rahmat Hidayat, 081250001111.\n")
    (inbox / "kronologi.txt").write_text("Kronologi deklarasi di Gedung Serbaguna Waru.\n")
    report = report_of(PPU)
    evidence = [
        EvidenceItem(description="Foto spanduk deklarasi", file="foto-rahmat-hidayat.png"),
        EvidenceItem(description="Catatan tertulis", file="catatan-pelapor.txt"),
        EvidenceItem(description="Kronologi kejadian", file="kronologi.txt"),
        EvidenceItem(description="Video acara deklarasi (tanpa berkas)"),
    ]
    report = report.model_copy(update={"evidence": evidence})
    ideps = with_evidence_inbox(deps, inbox)
    result = await run_plan(ideps, report, plan_of(PPU), until=Stage.APPROVED)
    assert result.stage is Stage.APPROVED
    return ideps


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def text_of(name: str, data: bytes) -> str:
    """Everything readable of an entry: every XML part of a .docx without its tags, a PDF's
    pages, any other file as text."""
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            xml = " ".join(
                package.read(n).decode() for n in package.namelist() if n.endswith(".xml")
            )
        return re.sub(r"<[^>]+>", "", xml)
    if name.endswith(".pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", "ignore")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if tag == "a" and k == "href" and v]


def auditor(office: str = OFFICE) -> Actor:
    return Actor("audit-ppu", "Auditor PPU", memberships([(office, Role.AUDITOR)]))


def audit_rows(deps: Deps, action: str) -> list[AuditEntry]:
    with Session(deps.engine) as session:
        query = select(AuditEntry).where(AuditEntry.action == action)
        return list(session.exec(query.order_by(col(AuditEntry.id))).all())


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_the_case_file_holds_every_letter_and_evidence_file_listed_and_summed(
    deps: Deps, tmp_path: Path, libreoffice: str
) -> None:
    deps = await approved_case(with_settings(deps, pdf="auto"), tmp_path)
    issued = letters(deps)
    assert issued and all(x.pdf_sha256 for x in issued)
    first = tmp_path / "out" / "berkas-1.zip"
    made = export_case_file(deps, staff("petugas"), "1", first, now=NOW)
    files = entries(first)

    # SHA256SUMS lists every other entry, and `sha256sum -c` agrees after unpacking
    sums: dict[str, str] = {}
    for line in files["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(first).extractall(unpacked)
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr

    # every letter as .docx and PDF, reopened, its number in its text
    for letter in issued:
        docx = [n for n in files if n.endswith(".docx") and f"_{letter.id:05d}_" in n]
        pdf = [n for n in files if n.endswith(".pdf") and f"_{letter.id:05d}_" in n]
        assert len(docx) == 1 and len(pdf) == 1, letter.kind
        body = "\n".join(p.text for p in Document(io.BytesIO(files[docx[0]])).paragraphs)
        tables = " ".join(
            c.text
            for t in Document(io.BytesIO(files[docx[0]])).tables
            for r in t.rows
            for c in r.cells
        )
        number = letter.number.removeprefix("Lampiran ")
        assert number in body + tables + text_of(docx[0], files[docx[0]]), letter.kind
        assert number in text_of(pdf[0], files[pdf[0]]).replace("\n", ""), letter.kind
        assert hashlib.sha256(files[docx[0]]).hexdigest() == letter.sha256

    # every evidence file, byte for byte; the one without a file listed as such
    with Session(deps.engine) as session:
        items = list(session.exec(select(Evidence).order_by(col(Evidence.position))).all())
    evidence = {n: d for n, d in files.items() if n.startswith("bukti/")}
    assert sorted(hashlib.sha256(d).hexdigest() for d in evidence.values()) == sorted(
        i.sha256 for i in items if i.sha256
    )
    assert "bukti/001_foto-rahmat-hidayat.png" in evidence  # the staff may see the name

    # the HTML index links every file; the CSV has one row per file with its hash and size
    links = Links()
    links.feed(files["indeks.html"].decode())
    content = set(files) - INDEX_FILES
    assert set(links.hrefs) == content
    html = files["indeks.html"].decode()
    assert 'lang="id"' in html and "http" not in html and "Rahmat Hidayat" in html
    assert "Video acara deklarasi (tanpa berkas)" in html  # listed, no file
    rows = list(csv.DictReader(io.StringIO(files["indeks.csv"].decode())))
    assert {r["nama_berkas"] for r in rows} == content
    for row in rows:
        data = files[row["nama_berkas"]]
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        assert int(row["ukuran_bita"]) == len(data)
    by_name = {r["nama_berkas"]: r for r in rows}
    for letter in issued:
        name = next(n for n in by_name if n.endswith(".docx") and f"_{letter.id:05d}_" in n)
        assert letter.number in by_name[name]["keterangan"]
        assert by_name[name]["jenis"] == "surat"
    assert by_name["bukti/003_kronologi.txt"]["keterangan"] == "Bukti 3: Kronologi kejadian"

    # the audit extract and the summary
    trail = list(csv.DictReader(io.StringIO(files["jejak-audit.csv"].decode())))
    assert trail and all(r["case_id"] == "1" for r in trail)
    summary = json.loads(files["ringkasan.json"])
    assert summary["perkara"]["tahap"] == Stage.APPROVED.label
    assert "Rahmat Hidayat" in [p["nama"] for p in summary["pihak"]]
    assert summary["tahapan"] and summary["tenggat"]

    # the export is recorded, and the same case gives the same bytes
    recorded = audit_rows(deps, AuditAction.CASE_FILE_EXPORT)
    assert len(recorded) == 1 and recorded[0].actor == "petugas"
    assert made.sha256 in recorded[0].detail
    second = tmp_path / "out" / "berkas-2.zip"
    export_case_file(deps, staff("petugas"), "1", second, now=NOW)
    assert first.read_bytes() == second.read_bytes()
    assert len(audit_rows(deps, AuditAction.CASE_FILE_EXPORT)) == 2


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_an_altered_letter_or_evidence_file_refuses_the_export_naming_it(
    deps: Deps, tmp_path: Path
) -> None:
    deps = await approved_case(deps, tmp_path)
    letter = letters(deps)[0]
    path = deps.letters_dir / letter.path
    original = path.read_bytes()
    path.write_bytes(original + b"diubah")
    target = tmp_path / "berkas.zip"
    with pytest.raises(CaseFileRefused) as refused:
        export_case_file(deps, staff("petugas"), "1", target, now=NOW)
    message = str(refused.value)
    assert path.name in message and letter.number in message and "tidak dibuat" in message
    assert not target.exists() and not list(tmp_path.glob(".berkas-*"))
    assert len(audit_rows(deps, AuditAction.CASE_FILE_REFUSED)) == 1

    path.write_bytes(original)  # restored: a stored evidence file altered next
    with Session(deps.engine) as session:
        item = session.exec(select(Evidence).where(col(Evidence.sha256).is_not(None))).first()
        assert item is not None and item.sha256 is not None
    stored = deps.settings.evidence_dir / item.sha256[:2] / item.sha256
    stored.chmod(0o644)
    stored.write_bytes(b"bukan berkas aslinya")
    with pytest.raises(CaseFileRefused, match=re.escape(item.original_name or "?")):
        export_case_file(deps, staff("petugas"), "1", target, now=NOW)
    assert not target.exists()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("who", ["auditor", "staff-redacted"])
async def test_without_the_reporter_permission_no_reporter_identity_is_in_the_zip(
    deps: Deps, tmp_path: Path, who: str
) -> None:
    deps = await approved_case(deps, tmp_path)
    actor, redact = (auditor(), False) if who == "auditor" else (staff("petugas"), True)
    target = tmp_path / "berkas.zip"
    made = export_case_file(deps, actor, "1", target, redact=redact, now=NOW)
    assert made.redacted
    files = entries(target)
    for name, data in files.items():
        found = text_of(name, data).casefold()
        assert not [m for m in REPORTER_MARKS if m in found], name
        assert "hidayat" not in name.casefold()
    # what was left out is listed: the reporter's own letters, the note naming them
    withheld = [a for a in made.absent if a.reason.startswith("ditahan")]
    kinds = {x.kind for x in letters(deps)}
    assert "tanda_terima" in kinds and any(
        "Tanda Terima" in a.about or "tanda" in a.about.casefold() for a in withheld
    )
    assert any(a.about == "Bukti 2: Catatan tertulis" for a in withheld)
    # the letters that leave Bawaslu are there (they never name the reporter)
    outbound = [x for x in letters(deps) if x.outbound]
    assert outbound and all(any(f"_{x.id:05d}_" in n for n in files) for x in outbound)
    assert "bukti/003_kronologi.txt" in files and "bukti/001_bukti.png" in files
    summary = json.loads(files["ringkasan.json"])
    assert summary["pelapor_disamarkan"] is True
    assert "(dirahasiakan)" in [p["nama"] for p in summary["pihak"]]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_another_offices_reader_is_not_permitted_and_an_unknown_case_is_not_found(
    deps: Deps, tmp_path: Path
) -> None:
    from adapters.db.cases import CaseNotFound
    from models.access import NotPermitted

    await approved_case(deps, tmp_path)
    with pytest.raises(NotPermitted):
        export_case_file(
            deps, auditor("bawaslu-kota-pangkalpinang"), "1", tmp_path / "x.zip", now=NOW
        )
    with pytest.raises(CaseNotFound):
        export_case_file(deps, staff("petugas"), "999", tmp_path / "x.zip", now=NOW)
    assert not (tmp_path / "x.zip").exists()
