"""The frame every naskah dinas shares: kop, place and date, Nomor / Sifat / Lampiran / Hal,
"Yth. ... di ...", the signer block and Tembusan. Tags name fields of `LetterHead` (`head.*`).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from templates.docx_parts import Doc, Para, field, para, tag

SIGN_INDENT = Cm(9.0)  # the signature block sits on the right half


def _bottom_border(p: Para) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("val", "thickThinSmallGap"),
        ("sz", "18"),
        ("space", "1"),
        ("color", "000000"),
    ):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def kop(doc: Doc) -> None:
    """The letterhead: institution in capitals, address, contact line, a rule under it."""
    para(doc, "{{ head.kop_name|upper }}", bold=True, align="center", size=14)
    para(doc, "{{ head.kop_address }}", align="center", size=10)
    _bottom_border(para(doc, "{{ head.kop_contact }}", align="center", size=10, after=12))


def heading(doc: Doc) -> None:
    """Place and date top right, then Nomor / Sifat / Lampiran / Hal and the addressee."""
    para(doc, "{{ head.place }}, {{ head.date_text }}", align="right", after=12)
    for label, value in (
        ("Nomor", "{{ head.number }}"),
        ("Sifat", "{{ head.sifat }}"),
        ("Lampiran", "{{ head.lampiran }}"),
        ("Hal", "{{ head.hal }}"),
    ):
        field(doc, label, value)
    para(doc)
    para(doc, "Yth. {{ head.addressee }}")
    para(doc, "di")
    para(doc, "{{ head.addressee_place }}", indent=Cm(1.0), after=12)


def signature(doc: Doc, *, lead: str | None = None) -> None:
    """Signer's title, room for the signature, full name and NIP (the NIP line only if any).
    `lead` is a line above the title, e.g. "Mengetahui,"."""
    para(doc)
    if lead:
        para(doc, lead, indent=SIGN_INDENT)
    para(doc, "{{ head.signer_title }},", indent=SIGN_INDENT)
    for _ in range(4):
        para(doc, indent=SIGN_INDENT)
    para(doc, "{{ head.signer_name }}", bold=True, underline=True, indent=SIGN_INDENT)
    tag(doc, "if head.signer_nip")
    para(doc, "NIP {{ head.signer_nip }}", indent=SIGN_INDENT)
    tag(doc, "endif")


def tembusan(doc: Doc) -> None:
    """'Tembusan:' and a numbered list, left out entirely when the list is empty."""
    tag(doc, "if head.tembusan")
    para(doc)
    para(doc, "Tembusan:", size=10)
    tag(doc, "for t in head.tembusan")
    para(doc, "{{ loop.index }}. {{ t }}", size=10)
    tag(doc, "endfor")
    tag(doc, "endif")
