"""Verify a letter on the public site: the page its QR code leads to shows what the letter prints
about its issue and the SHA-256 of the file sent, never a person; an uploaded file is compared
with it and not kept. Letters are issued by the intake stage on the site's own database."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, select

from models import labels
from models.indonesian import tanggal
from models.letters.verification import verification_url
from models.tables import Case, Letter
from services.deps import Deps
from services.intake import intake_report
from tests.adapters.test_pdf import _screenshot
from tests.services.helpers import PPU, at, report_of, with_settings
from tests.support.actors import staff
from tests.support.qr import qr_in_pdf

OFFICE_NAME = "Badan Pengawas Pemilihan Umum Kabupaten Penajam Paser Utara"


def _deps(client: TestClient) -> Deps:
    deps: Deps = client.app.state.desk.deps  # type: ignore[attr-defined]
    return deps


def _issue(deps: Deps) -> tuple[Case, list[Letter]]:
    report = report_of(PPU)
    case = intake_report(deps, report, actor=staff("petugas"), now=at(report, 0)).case
    with Session(deps.engine) as session:
        letters = list(session.exec(select(Letter).where(Letter.case_id == case.id)).all())
    return case, letters


def _receipt(letters: list[Letter]) -> Letter:
    [receipt] = [x for x in letters if x.kind == "tanda_terima"]
    assert receipt.verification_code is not None
    return receipt


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no upload form"
    return found.group(1)


def _upload(client: TestClient, code: str, name: str, data: bytes, kind: str) -> str:
    token = _csrf(client.get(f"/verifikasi/{code}").text)
    answer = client.post(
        f"/verifikasi/{code}", data={"csrf": token}, files={"berkas": (name, data, kind)}
    )
    text: str = answer.text
    return text


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def test_the_page_of_a_code_shows_the_letter_and_no_person(public_client: TestClient) -> None:
    case, letters = _issue(_deps(public_client))
    receipt = _receipt(letters)
    page = public_client.get(f"/verifikasi/{receipt.verification_code}")
    assert page.status_code == 200
    for fact in (
        receipt.number,
        tanggal(receipt.issued_on),
        labels.LETTER_KINDS["tanda_terima"],
        OFFICE_NAME,
        receipt.sha256,  # issued without a PDF (tests run with NETRA_PDF=off): the .docx's
        "tanpa berkas PDF",
    ):
        assert fact in page.text, fact
    report = report_of(PPU)
    people: list[Any] = [report.reporter, *report.reported, *report.witnesses]
    personal = [
        receipt.recipient_name,
        *(p.name for p in people),
        *(
            str(v)
            for p in people
            for v in (getattr(p, "phone", None), getattr(p, "email", None))
            if v
        ),
        "Agus Salim",
        "197805122006041003",
        report.incident.summary[:40],
        *([case.case_number] if case.case_number else []),
    ]
    for value in personal:
        assert value not in page.text, value


def test_a_typed_code_in_any_case_and_spacing_leads_to_its_page(
    public_client: TestClient,
) -> None:
    code = _receipt(_issue(_deps(public_client))[1]).verification_code
    assert code is not None
    typed = " " + code.lower().replace("-", " ") + " "
    answer = public_client.get("/verifikasi", params={"kode": typed}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/verifikasi/{code}"
    assert public_client.get("/verifikasi").status_code == 200  # the empty form


def _main(page: str) -> str:
    return page[page.index("<main>") : page.index("</main>")]


def test_an_unknown_code_and_a_malformed_one_get_the_same_answer(
    public_client: TestClient,
) -> None:
    _issue(_deps(public_client))  # letters exist, none with these codes
    unknown = public_client.get("/verifikasi/2222-3333-4444")
    malformed = public_client.get("/verifikasi/bukan-kode")
    typed = public_client.get("/verifikasi", params={"kode": "O0O0-1111"})
    assert unknown.status_code == malformed.status_code == typed.status_code == 404
    assert "Kode verifikasi tidak ditemukan" in unknown.text
    assert _main(unknown.text) == _main(malformed.text) == _main(typed.text)


def test_the_file_sent_matches_and_a_changed_one_does_not_and_neither_is_kept(
    public_client: TestClient,
) -> None:
    deps = _deps(public_client)
    _, letters = _issue(deps)
    receipt = _receipt(letters)
    code = receipt.verification_code
    assert code is not None
    genuine = (deps.letters_dir / receipt.path).read_bytes()
    before = _files(deps.settings.var_dir)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    matched = _upload(public_client, code, "surat.docx", genuine, docx)
    assert "Cocok." in matched and "Tidak cocok." not in matched

    changed = bytearray(genuine)
    changed[len(changed) // 2] ^= 0x01
    refused = _upload(public_client, code, "surat.docx", bytes(changed), docx)
    assert "Tidak cocok." in refused and "Cocok." not in refused.replace("Tidak cocok.", "")

    not_docx = _upload(public_client, code, "surat.pdf", b"%PDF-1.7\n...", "application/pdf")
    assert "bukan berkas .docx" in not_docx and "cocok." not in not_docx.lower()
    assert _files(deps.settings.var_dir).keys() == before.keys()


def test_an_upload_needs_the_form_token_and_stays_under_the_limit(
    public_client: TestClient,
) -> None:
    code = _receipt(_issue(_deps(public_client))[1]).verification_code
    assert code is not None
    public_client.get(f"/verifikasi/{code}")
    forged = public_client.post(
        f"/verifikasi/{code}", files={"berkas": ("surat.docx", b"PK\x03\x04", "x")}
    )
    assert forged.status_code == 403
    token = _csrf(public_client.get(f"/verifikasi/{code}").text)
    huge = public_client.post(
        f"/verifikasi/{code}",
        data={"csrf": token},
        files={"berkas": ("surat.docx", b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024), "x")},
    )
    assert huge.status_code == 413 and "Berkas terlalu besar" in huge.text


def test_the_front_page_leads_to_verification(public_client: TestClient) -> None:
    assert 'href="/verifikasi"' in public_client.get("/").text


def test_a_pdf_letter_prints_its_code_and_qr_and_its_pdf_is_what_the_page_checks(
    public_client: TestClient, libreoffice: str
) -> None:
    deps = with_settings(_deps(public_client), pdf="auto")
    _, letters = _issue(deps)
    receipt = _receipt(letters)
    code = receipt.verification_code
    assert code is not None and receipt.pdf_sha256 is not None
    url = verification_url(deps.settings.public_url, code)
    pdf = (deps.letters_dir / receipt.path).with_suffix(".pdf").read_bytes()
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert all(f"Kode verifikasi: {code}" in page and url in page for page in pages)
    assert qr_in_pdf(pdf) == [[url]] * len(pages)
    _screenshot("tanda_terima-verifikasi", pdf)  # test-output/letters/, for a person to look at

    page = public_client.get(f"/verifikasi/{code}").text
    assert receipt.pdf_sha256 in page and receipt.sha256 not in page
    assert "tanpa berkas PDF" not in page
    assert "Cocok." in _upload(public_client, code, "surat.pdf", pdf, "application/pdf")
    edited = bytearray(pdf)  # one bit changed inside a page's stream
    edited[len(pdf) // 3] ^= 0x01
    tail = pdf + b"\n% disimpan ulang\n"
    for other in (tail, bytes(edited)):
        assert "Tidak cocok." in _upload(public_client, code, "surat.pdf", other, "application/pdf")
