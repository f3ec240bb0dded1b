"""Build the letter templates in templates/letters/ (run once by developers, output committed).

    python -m templates.build_letters

Each template is an ordinary .docx an office may edit in a word processor: the kop, the place and
date, Nomor / Sifat / Lampiran / Hal, "Yth. ... di ...", the body, the signer and Tembusan. The
Jinja tags it holds name fields of the matching context model in models/letters/contexts.py.
A rebuild gives the same bytes (fixed metadata and zip timestamps); tests/adapters/
test_letters.py checks that the committed files are what this script produces.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from adapters.docx import TEMPLATES_DIR, normalize_docx
from templates import letters_clarification as clarification
from templates import letters_decision as decision
from templates import letters_followup as followup
from templates import letters_intake as intake
from templates.docx_parts import Doc, new_document
from templates.letter_frame import heading, kop, signature, tembusan


class Spec:
    """How to build one template: its document title, its body and the line above the signer."""

    def __init__(self, title: str, body: Callable[[Doc], None], lead: str | None = None) -> None:
        self.title, self.body, self.lead = title, body, lead


LETTERS: dict[str, Spec] = {
    "tanda_terima": Spec("Tanda Terima Laporan", intake.tanda_terima),
    "kajian_awal": Spec("Kajian Awal", intake.kajian_awal),
    "pemberitahuan_status": Spec("Pemberitahuan Status Laporan", intake.pemberitahuan_status),
    "undangan_klarifikasi": Spec("Undangan Klarifikasi", clarification.undangan_klarifikasi),
    "berita_acara_klarifikasi": Spec(
        "Berita Acara Klarifikasi", clarification.berita_acara_klarifikasi, lead="Mengetahui,"
    ),
    "kajian_dugaan_pelanggaran": Spec(
        "Kajian Dugaan Pelanggaran", decision.kajian_dugaan_pelanggaran
    ),
    "surat_penerusan": Spec("Penerusan Pelanggaran Netralitas ASN", decision.surat_penerusan),
    "pemberitahuan_terlapor": Spec(
        "Pemberitahuan kepada Terlapor", decision.pemberitahuan_terlapor
    ),
    "pengingat_ppk": Spec("Pengingat Tindak Lanjut PPK", followup.pengingat_ppk),
    "eskalasi_bkn": Spec("Permohonan Pemblokiran Data SIASN", followup.eskalasi_bkn),
}


def build_template(name: str) -> bytes:
    """The .docx bytes of template `name` (deterministic)."""
    spec = LETTERS[name]
    doc = new_document(spec.title)
    kop(doc)
    heading(doc)
    spec.body(doc)
    signature(doc, lead=spec.lead)
    tembusan(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalize_docx(buffer.getvalue())


def build_all(out_dir: Path = TEMPLATES_DIR) -> list[Path]:
    """Write every template to `out_dir`; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in LETTERS:
        path = out_dir / f"{name}.docx"
        path.write_bytes(build_template(name))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else TEMPLATES_DIR
    for path in build_all(out_dir):
        print(path)


if __name__ == "__main__":
    main()
