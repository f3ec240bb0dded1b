"""Building blocks of the letter templates: paragraphs, labelled fields, lists, tables.

Used only by `templates.build_letters` and its letter modules. Every Jinja tag is written with a
single `add_run`, so run splitting never cuts a `{{ tag }}` in the generated files. `{%p ... %}`
tags sit alone in their paragraph and `{%tr ... %}` tags alone in their table row, as docxtpl
requires.
The context shape is `models.letters.contexts`: the letterhead under `head`, body fields at the top.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

# Fixed metadata, so a rebuild yields the same bytes.
_BUILT = datetime(2024, 1, 1, tzinfo=UTC)
FONT = "Arial"
LABEL_TAB = Cm(3.5)  # where ": value" starts in "Nomor : ..." and "Nama : ..." lines

# python-docx ships no types; these aliases keep signatures readable.
Doc = Any
Para = Any
Length = Any


def new_document(title: str) -> Doc:
    """An empty A4 document with the house style: Arial 11, single spacing, Indonesian."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    normal.element.get_or_add_rPr().append(lang)
    props = doc.core_properties
    props.title, props.subject, props.author = title, "Templat surat Netra", "Netra"
    props.comments = "Dibuat oleh templates/build_letters.py; boleh disunting di pengolah kata."
    props.last_modified_by, props.revision, props.language = "Netra", 1, "id-ID"
    props.created = props.modified = _BUILT
    return doc


def para(
    doc: Doc,
    text: str = "",
    *,
    bold: bool = False,
    underline: bool = False,
    align: str = "left",
    indent: Length | None = None,
    hanging: Length | None = None,
    tab: Length | None = None,
    size: int | None = None,
    after: int = 0,
) -> Para:
    """One paragraph with all of `text` (tags included) in a single run."""
    p = doc.add_paragraph()
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt = p.paragraph_format
    if indent is not None:
        fmt.left_indent = indent
    if hanging is not None:
        fmt.first_line_indent = -hanging
    if tab is not None:
        fmt.tab_stops.add_tab_stop(tab)
    fmt.space_after = Pt(after)
    if text:
        run = p.add_run(text)
        run.bold, run.underline = bold or None, underline or None
        if size is not None:
            run.font.size = Pt(size)
    return p


def tag(doc: Doc, statement: str) -> None:
    """A paragraph holding one docxtpl paragraph tag, e.g. tag(doc, 'for t in head.tembusan')."""
    para(doc, "{%p " + statement + " %}")


def field(doc: Doc, label: str, value: str, *, indent: Length = Cm(0)) -> None:
    """'Label<tab>: value' with wrapped lines aligned under the value."""
    para(
        doc,
        f"{label}\t: {value}",
        indent=indent + LABEL_TAB + Cm(0.3),
        hanging=LABEL_TAB + Cm(0.3),
        tab=indent + LABEL_TAB,
    )


def item(doc: Doc, number: str, text: str, *, indent: Length = Cm(0), after: int = 0) -> None:
    """A numbered line '1.<tab>text' with a hanging indent; `number` may be a tag."""
    para(
        doc,
        f"{number}\t{text}",
        indent=indent + Cm(0.7),
        hanging=Cm(0.7),
        tab=indent + Cm(0.7),
        align="justify",
        after=after,
    )


def body(doc: Doc, text: str, *, after: int = 6) -> None:
    """A justified body paragraph."""
    para(doc, text, align="justify", after=after)


def table(
    doc: Doc,
    headers: list[str],
    loops: list[str],
    cells: list[str],
    widths: list[float],
    *,
    fixed: list[list[str]] | None = None,
) -> None:
    """A bordered table: a header row, the `fixed` rows, then one row per innermost item of the
    nested `loops` (e.g. ["f in findings", "a in f.acts"])."""
    fixed = fixed or []
    tbl = doc.add_table(rows=0, cols=len(headers))
    tbl.style = "Table Grid"
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row(tbl, headers, bold=True)
    for values in fixed:
        _row(tbl, values)
    for loop in loops:
        _row(tbl, ["{%tr for " + loop + " %}"])
    _row(tbl, cells)
    for _ in loops:
        _row(tbl, ["{%tr endfor %}"])
    for row in tbl.rows:
        for i, width in enumerate(widths):
            row.cells[i].width = Cm(width)
    para(doc, after=6)


def _row(tbl: Any, values: list[str], *, bold: bool = False) -> None:
    cells = tbl.add_row().cells
    for cell, text in zip(cells, values, strict=False):
        if text:
            cell.paragraphs[0].add_run(text).bold = bold or None


def person_fields(doc: Doc, var: str, *, indent: Length = Cm(0)) -> None:
    """Nama, then NIP / Jabatan / Instansi lines, each only when the person has it."""
    field(doc, "Nama", "{{ " + var + ".name }}", indent=indent)
    for label, attr in (("NIP", "nip"), ("Jabatan", "position"), ("Instansi", "agency")):
        tag(doc, f"if {var}.{attr}")
        field(doc, label, "{{ " + f"{var}.{attr}" + " }}", indent=indent)
        tag(doc, "endif")


def numbered_loop(
    doc: Doc, loop: str, text: str, *, indent: Length = Cm(0), bullet: str = "{{ loop.index }}."
) -> None:
    """One numbered (or bulleted) paragraph per item of `loop`."""
    tag(doc, f"for {loop}")
    item(doc, bullet, text, indent=indent)
    tag(doc, "endfor")
