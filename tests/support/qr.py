"""Reading back what a letter prints at its foot: the footers' text and the QR codes, decoded
from the images embedded in the .docx and from the pages of the PDF (as poppler draws them)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from PIL import Image


def _footers(data: bytes) -> list[object]:
    document = Document(io.BytesIO(data))
    footers: list[object] = []
    for section in document.sections:
        for footer in (section.footer, section.first_page_footer, section.even_page_footer):
            if not footer.is_linked_to_previous:
                footers.append(footer)
    return footers


def footer_text(data: bytes) -> str:
    """The text of every footer of a .docx (paragraphs and table cells), one per line."""
    lines: list[str] = []
    for footer in _footers(data):
        for paragraph in footer.paragraphs:  # type: ignore[attr-defined]
            lines.append(paragraph.text)
        for table in footer.tables:  # type: ignore[attr-defined]
            lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def qr_in_docx(data: bytes) -> list[str]:
    """What the QR codes among the footers' images say (one entry per footer image)."""
    found: list[str] = []
    for footer in _footers(data):
        part = footer.part  # type: ignore[attr-defined]
        for rel in part.rels.values():
            if rel.reltype == RT.IMAGE:
                found += decode(Image.open(io.BytesIO(rel.target_part.blob)))
    return found


def qr_in_pdf(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    """What the QR codes on each page of a PDF say, the pages drawn by poppler's pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "poppler-utils (pdftoppm) is needed to read a PDF's QR codes"
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "surat.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [pdftoppm, "-r", str(dpi), "-png", str(source), str(Path(folder) / "p")],
            check=True,
            timeout=120,
        )
        pages = sorted(Path(folder).glob("p-*.png"))
        return [decode(Image.open(page)) for page in pages]
