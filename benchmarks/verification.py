"""What the verification block costs a letter: the .docx of each kind that carries a code,
rendered with its QR code and code at the foot of its pages, against the same letter without it
(the baseline, in the same run). PDF conversion is not measured here (benchmarks.letters).

    python -m benchmarks.verification [N]      (N renders per kind, default 20)
"""

from __future__ import annotations

import statistics
import sys

from adapters.docx import qr_png, render_letter
from benchmarks.letters import _median_seconds
from models.letters.verification import VERIFIABLE_KINDS, verification_url
from tests.adapters.test_letters import make_head, sample

CODE = "7KQM-X2RD-9FHA"
URL = verification_url("https://lapor.bawaslu.example.go.id", CODE)


def main(n: int) -> None:
    print(f"{'jenis surat':40} {'tanpa ms':>9} {'dengan ms':>10} {'x':>5} {'+bita':>7}")
    plain_all, coded_all = [], []
    for kind in sorted(VERIFIABLE_KINDS):
        body = sample(kind)[0]
        plain_head, coded_head = (
            make_head(),
            make_head(verification_code=CODE, verification_url=URL),
        )
        plain = _median_seconds(lambda b=body, h=plain_head: render_letter(h, b), n)
        coded = _median_seconds(lambda b=body, h=coded_head: render_letter(h, b), n)
        extra = len(render_letter(coded_head, body)) - len(render_letter(plain_head, body))
        plain_all.append(plain)
        coded_all.append(coded)
        print(f"{kind:40} {plain * 1000:9.1f} {coded * 1000:10.1f} {coded / plain:5.2f} {extra:7}")
    qr = _median_seconds(lambda: qr_png(URL), n)
    p, c = statistics.median(plain_all), statistics.median(coded_all)
    print(
        f"median per surat: tanpa blok {p * 1000:.1f} ms, dengan blok {c * 1000:.1f} ms "
        f"({c / p:.2f}x); kode QR saja {qr * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
