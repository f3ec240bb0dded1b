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
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Mm
from docx.table import Table, _Cell
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, Template, TemplateError

from adapters.case_zip import fixed_info
from models.letters.head import LetterBody, LetterHead
from models.letters.kinds import LETTER_MODELS, template_name

_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = _ROOT / "templates" / "letters"
LOGOS_DIR = _ROOT / "config" / "logos"
LOGO_HEIGHT = Mm(24)


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


def render_letter(
    head: LetterHead,
    body: LetterBody,
    *,
    templates_dir: Path | None = None,
    jinja_env: Environment | None = None,
) -> bytes:
    """Fill the template of the body's kind with `head` (as `head.*`), the office's emblem (as
    `logo`) and the body's fields, and return the .docx bytes (deterministic). Templates are
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
    buffer = io.BytesIO()
    template.save(buffer)
    return normalize_docx(buffer.getvalue())


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
