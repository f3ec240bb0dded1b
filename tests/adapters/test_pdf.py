"""The templates as an office meets them in LibreOffice: saved again by a word processor, they
still render; every kind of letter and record converts to PDF with the signer on the page of
the closing. Page images of each kind are written to test-output/letters/ for a person to look
at (LibreOffice's rendering; Word may break lines slightly differently)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from adapters.docx import TEMPLATES_DIR, docx_text, render_letter
from adapters.pdf import converter, pdf_pages
from models.letters.kinds import LETTER_MODELS, TEMPLATE_NAMES
from models.letters.lint import lint_pages, lint_text
from tests.adapters.test_letters import OFFICE, make_head, sample

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "letters"


@pytest.fixture(scope="module")
def resaved(libreoffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped template opened and saved again as .docx by LibreOffice, as an office's
    edit would (runs regrouped, styles rewritten)."""
    out = tmp_path_factory.mktemp("resaved")
    profile = tmp_path_factory.mktemp("lo-profile")
    sources = [str(TEMPLATES_DIR / f"{name}.docx") for name in TEMPLATE_NAMES]
    subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert sorted(p.stem for p in out.glob("*.docx")) == sorted(TEMPLATE_NAMES)
    return out


@pytest.mark.parametrize("kind", sorted(LETTER_MODELS))
def test_a_template_saved_again_by_a_word_processor_still_renders(kind: str, resaved: Path) -> None:
    body, expected = sample(kind)
    original = docx_text(render_letter(make_head(), body))
    again = docx_text(render_letter(make_head(), body, templates_dir=resaved))
    for part in expected:
        assert part in again, f"{kind}: {part!r} lost after a LibreOffice save"
    assert lint_text(again) == [], kind
    assert _words(again) == _words(original)


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("kind", sorted(LETTER_MODELS))
def test_every_kind_converts_to_pdf_with_the_signer_on_the_closing_page(
    kind: str, libreoffice: str
) -> None:
    pdf_converter = converter()
    assert pdf_converter is not None, "LibreOffice is installed but its UNO bridge is not"
    body, _ = sample(kind)
    pdf = pdf_converter.to_pdf(render_letter(make_head(), body))
    assert lint_pages(pdf_pages(pdf), OFFICE.signer.name) == [], kind
    _screenshot(kind, pdf)


def _screenshot(kind: str, pdf: bytes) -> None:
    """PNG pages under test-output/letters/ (where poppler's pdftoppm is installed)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = SCREENSHOTS / f"{kind}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "70", "-png", str(source), str(SCREENSHOTS / kind)],
        check=True,
        timeout=120,
    )
    assert list(SCREENSHOTS.glob(f"{kind}-*.png"))
