"""Letter renderer: a letterhead + a body model + its .docx template -> the letter's bytes.

Templates are data an office edits in a word processor; docxtpl (python-docx + Jinja2) fills them.
An office keeps its own copies in a folder (`NETRA_TEMPLATES_DIR`): each file found there is
used, any other falls back to the one shipped in templates/letters/. The office's emblem for the
kop is looked up the same way (its own folder, then config/logos/).
Rendering is strict (a name the template uses but the context lacks raises `LetterRenderError`)
and escapes values for XML (autoescape), so "A & B <C>" prints as typed.

The bytes are deterministic: the same context and template give the same file, byte for byte.
python-docx stamps every zip entry with the time of saving, so the archive is rewritten with fixed
entry metadata; the system stores each letter's SHA-256 and must never produce a second,
different file for the same letter.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import _Footer
from docx.shared import Emu, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, Template, TemplateError

from adapters.case_zip import fixed_info
from models.letters.head import LetterBody, LetterHead
from models.letters.kinds import LETTER_MODELS, template_name

_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = _ROOT / "templates" / "letters"
LOGOS_DIR = _ROOT / "config" / "logos"
LOGO_HEIGHT = Mm(24)
# The verification block at the foot of an outbound letter's pages (`add_verification`).
QR_SIZE = Mm(15)
QR_CELL_WIDTH = Mm(20)
QR_SCALE, QR_BORDER = 8, 2  # pixels per module; quiet zone in modules
VERIFICATION_TEXT_WIDTH = Mm(140)
VERIFICATION_FONT_PT = 7.5
FOOTER_DISTANCE = Mm(5)  # from the page's bottom edge to the block


class LetterRenderError(ValueError):
    """A template could not be filled from its context (missing field, broken tag...)."""


def _first_existing(name: str, *folders: Path | None) -> Path:
    candidates = [folder / name for folder in folders if folder is not None]
    for path in candidates:
        if path.is_file():
            return path
    return candidates[-1]


def template_path(kind: str, *, templates_dir: Path | None = None) -> Path:
    """The office's own template of `kind` in `templates_dir`, else the shipped one."""
    return _first_existing(f"{template_name(kind)}.docx", templates_dir, TEMPLATES_DIR)


def logo_path(name: str, *, templates_dir: Path | None = None) -> Path:
    return _first_existing(name, templates_dir, LOGOS_DIR)


def template_version(kind: str, *, templates_dir: Path | None = None) -> str:
    """First 12 hex digits of the SHA-256 of the template file that renders `kind`."""
    return sha256(template_path(kind, templates_dir=templates_dir).read_bytes())[:12]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fresh_env() -> Environment:
    """An environment that compiles every template on every render (what Netra did before
    `CompilingOnce`; the letters benchmark's baseline)."""
    # docxtpl renders the XML of the document: escaping values is what keeps "&" and "<" intact.
    return Environment(undefined=StrictUndefined, autoescape=True)


class CompilingOnce(Environment):
    """An environment that compiles each template source once per process. docxtpl hands every
    render the document's XML as a string (`from_string`), and the XML of one template file is
    the same every time: compiling it again was most of a letter's cost. Keyed by the source
    itself, so an edited template (another source) is compiled anew; bounded in size."""

    MAX_SOURCES = 256

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self._compiled: dict[str, Template] = {}

    def from_string(
        self, source: str | Any, globals: Any = None, template_class: Any = None
    ) -> Template:
        if not isinstance(source, str) or globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= self.MAX_SOURCES:
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template


_SHARED_ENV = CompilingOnce()


@dataclass(frozen=True)
class DocxLetter:
    """A rendered letter: its .docx bytes and its text (`docx_text` of those bytes, read from
    the document before it was saved instead of parsing the bytes again)."""

    data: bytes
    text: str


def render_letter(
    head: LetterHead,
    body: LetterBody,
    *,
    templates_dir: Path | None = None,
    jinja_env: Environment | None = None,
) -> bytes:
    """The .docx bytes of `render_docx` (deterministic)."""
    return render_docx(head, body, templates_dir=templates_dir, jinja_env=jinja_env).data


def render_docx(
    head: LetterHead,
    body: LetterBody,
    *,
    templates_dir: Path | None = None,
    jinja_env: Environment | None = None,
) -> DocxLetter:
    """Fill the template of the body's kind with `head` (as `head.*`), the office's emblem (as
    `logo`) and the body's fields: the .docx bytes (deterministic) and its text. Templates are
    compiled once per process (`CompilingOnce`) unless another `jinja_env` is given."""
    kind = getattr(body, "kind", None)
    if kind is None or LETTER_MODELS.get(kind) is not type(body):
        raise LetterRenderError(f"{type(body).__name__} is not a letter body")
    path = template_path(kind, templates_dir=templates_dir)
    logo = logo_path(head.logo, templates_dir=templates_dir)
    if not logo.is_file():
        raise LetterRenderError(f"lambang kantor {head.logo!r} tidak ditemukan ({logo})")
    template = DocxTemplate(path)
    context = {
        "head": head.model_dump(mode="json"),
        "logo": InlineImage(template, str(logo), height=LOGO_HEIGHT),
        **body.model_dump(mode="json"),
    }
    try:
        template.render(context, jinja_env=jinja_env or _SHARED_ENV, autoescape=True)
    except TemplateError as exc:
        raise LetterRenderError(f"letter {kind!r} ({path.name}): {exc}") from exc
    if head.verification_code and head.verification_url:
        add_verification(template.docx, head.verification_code, head.verification_url)
    lines: list[str] = []
    _collect(template.docx, lines)
    return DocxLetter(save_normalized(template.docx), "\n".join(lines))


class _FixedEntries:
    """python-docx's package writer interface, writing each part as a `fixed_info` entry."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.archive.writestr(fixed_info(pack_uri.membername), blob)

    def close(self) -> None:
        """The archive is closed by its owner."""


def save_normalized(document: DocumentObject) -> bytes:
    """`document` saved as python-docx saves it (the same entries, in the same order), with the
    fixed entry metadata of `normalize_docx`: the same bytes as saving and then normalizing, in
    one compression instead of compress, decompress and compress again (a test compares the
    two). docxtpl's own `save` adds nothing for these templates: no media or subdocuments are
    replaced after rendering."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # python-docx's own writing steps (untyped), in its order, into the fixed entries.
        writer: Any = _FixedEntries(archive)
        PackageWriter._write_content_types_stream(writer, parts)  # type: ignore[no-untyped-call]
        PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
        PackageWriter._write_parts(writer, parts)
    return out.getvalue()


def qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG (black on white, error correction M, a quiet zone of two
    modules: the page around it is white). Deterministic: the same URL, the same bytes."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return out.getvalue()


def add_verification(document: DocumentObject, code: str, url: str) -> None:
    """Print the verification block at the foot of every page: the QR code of `url` and, beside
    it, the code and the address. The footer is brought nearer the page's edge so the block
    stays within the bottom margin and the letter's body keeps its room (the signature does not
    move to another page)."""
    image = qr_png(url)
    for section in document.sections:
        section.footer_distance = min(section.footer_distance or FOOTER_DISTANCE, FOOTER_DISTANCE)
        footers = [section.footer]
        if section.different_first_page_header_footer:
            footers.append(section.first_page_footer)
        for footer in footers:
            footer.is_linked_to_previous = False
            _verification_block(footer, image, code, url)


def _verification_block(footer: _Footer, image: bytes, code: str, url: str) -> None:
    for paragraph in footer.paragraphs:  # an office's own footer gives way to the block
        paragraph._p.getparent().remove(paragraph._p)
    for table in footer.tables:
        table._tbl.getparent().remove(table._tbl)
    table = footer.add_table(rows=1, cols=2, width=Emu(QR_CELL_WIDTH + VERIFICATION_TEXT_WIDTH))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    qr_cell, text_cell = table.rows[0].cells
    for column, cell, width in zip(
        table.columns, (qr_cell, text_cell), (QR_CELL_WIDTH, VERIFICATION_TEXT_WIDTH), strict=True
    ):
        column.width = cell.width = width  # the grid (LibreOffice) and the cell (Word)
    for cell in (qr_cell, text_cell):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    picture = _tight(qr_cell.paragraphs[0])
    picture.add_run().add_picture(io.BytesIO(image), width=QR_SIZE, height=QR_SIZE)
    first = _tight(text_cell.paragraphs[0])
    _small(first.add_run("Kode verifikasi: "))
    _small(first.add_run(code)).bold = True
    second = _tight(text_cell.add_paragraph())
    _small(second.add_run("Periksa keaslian dokumen ini di "))
    _small(second.add_run(url))
    _small(second.add_run(" atau pindai kode QR di samping."))
    # a footer ends with a paragraph (Word's rule); this one, of 1 pt, takes no room
    _tiny_mark(_tight(footer.add_paragraph()))


def _tight(paragraph: Paragraph) -> Paragraph:
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = fmt.left_indent = Mm(0)
    return paragraph


def _small(run: Run) -> Run:
    run.font.size = Pt(VERIFICATION_FONT_PT)
    return run


def _tiny_mark(paragraph: Paragraph) -> None:
    """An empty paragraph's height is its mark's font size (w:pPr/w:rPr): 1 pt."""
    mark = OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), "2")  # half-points
        mark.append(size)
    paragraph._p.get_or_add_pPr().append(mark)


def normalize_docx(data: bytes) -> bytes:
    """The same archive with fixed entry timestamps and attributes, so equal content is equal
    bytes. Entry order, names and content are kept as they are."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for entry in src.infolist():
            dst.writestr(fixed_info(entry.filename), src.read(entry.filename))
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """All paragraph and table-cell text of a .docx body, in document order, one per line."""
    lines: list[str] = []
    _collect(Document(io.BytesIO(data)), lines)
    return "\n".join(lines)


def _collect(container: Any, lines: list[str]) -> None:
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for tr in block._tbl.tr_lst:
                for tc in tr.tc_lst:  # the XML cells: a merged cell is not repeated
                    _collect(_Cell(tc, block), lines)  # _Cell: python-docx's cell proxy
        else:
            lines.append(block.text)


_PARAGRAPH = re.compile(rb"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def docx_all_text(data: bytes) -> str:
    """The text of every part of a .docx (body, headers, footers, notes, text boxes), one
    paragraph a line: what a search over the whole document must see."""
    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in sorted(package.namelist()):
            if name.startswith("word/") and name.endswith(".xml"):
                xml = package.read(name)
                for paragraph in _PARAGRAPH.findall(xml):
                    text = b"".join(_TEXT.findall(paragraph)).decode("utf-8", "replace")
                    lines.append(html.unescape(text))
    return "\n".join(lines)
