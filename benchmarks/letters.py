"""What a letter costs: the .docx (docxtpl render) and its PDF (LibreOffice through the
long-lived unoserver), per kind, against the .docx render as the baseline in the same run; and
what the converter costs to start once per process.

    python -m benchmarks.letters [N]      (N renders per kind, default 5)

"kompilasi" is the .docx rendered with its template compiled on every render (the baseline:
what Netra did before `adapters.docx.CompilingOnce`); "docx ms" with templates compiled once per
process; "x" the ratio. "2x simpan" is the .docx with its text as Netra made them before
`adapters.docx.save_normalized`: saved, normalized (decompressed and compressed again), and
parsed again for its text; "docx+teks" the same now (saved once, text read before saving).
The last line is the alternative the converter avoids: one LibreOffice
start per letter.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import adapters.docx as docx_adapter
from adapters.docx import docx_text, fresh_env, render_docx, render_letter
from adapters.pdf import converter
from models.letters.kinds import LETTER_MODELS
from tests.adapters.test_letters import make_head, sample


def _median_seconds(action: object, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _saved_twice(document: object) -> bytes:
    import io

    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return docx_adapter.normalize_docx(buffer.getvalue())


def _save_and_text(n: int) -> tuple[float, float]:
    """Median over every kind of (before, now): a letter's .docx and its text."""
    before, now = [], []
    for kind in sorted(LETTER_MODELS):
        body = sample(kind)[0]
        once = docx_adapter.save_normalized
        docx_adapter.save_normalized = _saved_twice
        try:
            before.append(
                _median_seconds(lambda b=body: docx_text(render_letter(make_head(), b)), n)
            )
        finally:
            docx_adapter.save_normalized = once
        now.append(_median_seconds(lambda b=body: render_docx(make_head(), b).text, n))
    return statistics.median(before), statistics.median(now)


def main(n: int) -> None:
    twice, once = _save_and_text(n)
    print(
        f"median per surat, docx + teks: 2x simpan + baca ulang {twice * 1000:.1f} ms, "
        f"1x simpan {once * 1000:.1f} ms ({once / twice:.2f}x)"
    )
    pdf = converter()
    if pdf is None:
        print("LibreOffice tidak terpasang: hanya .docx diukur")
    start = time.perf_counter()
    if pdf is not None:
        pdf.to_pdf(render_letter(make_head(), sample("tanda_terima")[0]))
    print(f"start konverter + surat pertama: {time.perf_counter() - start:.2f} s")
    head = f"{'kompilasi':>10} {'docx ms':>9} {'x':>5} {'pdf ms':>9} {'pdf/docx':>9}"
    print(f"{'jenis surat':40} {head}")
    docx_all, pdf_all, fresh_all = [], [], []
    for kind in sorted(LETTER_MODELS):
        body = sample(kind)[0]
        docx = render_letter(make_head(), body)
        fresh_s = _median_seconds(
            lambda b=body: render_letter(make_head(), b, jinja_env=fresh_env()), n
        )
        docx_s = _median_seconds(lambda b=body: render_letter(make_head(), b), n)
        docx_all.append(docx_s)
        fresh_all.append(fresh_s)
        ratio = docx_s / fresh_s
        if pdf is None:
            print(f"{kind:40} {fresh_s * 1000:10.1f} {docx_s * 1000:9.1f} {ratio:5.2f}")
            continue
        pdf_s = _median_seconds(lambda d=docx: pdf.to_pdf(d), n)
        pdf_all.append(pdf_s)
        print(
            f"{kind:40} {fresh_s * 1000:10.1f} {docx_s * 1000:9.1f} {ratio:5.2f} "
            f"{pdf_s * 1000:9.1f} {pdf_s / docx_s:9.1f}x"
        )
    docx_median = statistics.median(docx_all)
    fresh_median = statistics.median(fresh_all)
    print(
        f"median per surat: docx dikompilasi tiap kali {fresh_median * 1000:.1f} ms, "
        f"sekali per proses {docx_median * 1000:.1f} ms ({docx_median / fresh_median:.2f}x)"
    )
    line = f"median per surat: docx {docx_median * 1000:.1f} ms"
    if pdf_all:
        pdf_median = statistics.median(pdf_all)
        line += f", pdf {pdf_median * 1000:.1f} ms ({pdf_median / docx_median:.1f}x docx)"
    print(line)
    if pdf is not None:
        print(f"satu proses LibreOffice per surat (yang dihindari): {_process_per_letter():.2f} s")


def _process_per_letter() -> float:
    """One `soffice --convert-to pdf` start for one letter, with a fresh profile."""
    soffice = shutil.which("soffice")
    assert soffice is not None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "surat.docx"
        source.write_bytes(render_letter(make_head(), sample("tanda_terima")[0]))
        profile = (Path(folder) / "profile").as_uri()
        start = time.perf_counter()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
