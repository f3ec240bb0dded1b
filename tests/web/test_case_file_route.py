"""The desk's case-file download (issue 12, build 7): a ZIP for a reader of the case's office,
the same 404 as the case page for another office's case, the reporter left out for an auditor,
and a refusal page (not a bad ZIP) when a stored file was altered."""

from __future__ import annotations

import io
import zipfile

from sqlmodel import Session

from models.access import Role
from models.tables import Letter
from tests.web.conftest import PPU, Desk, logged_in, staff


def test_a_reader_of_the_office_downloads_the_zip_another_office_gets_404(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    page = client.get(f"/perkara/{desk.ppu_case}").text
    assert f'href="/perkara/{desk.ppu_case}/berkas.zip"' in page
    response = client.get(f"/perkara/{desk.ppu_case}/berkas.zip")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert {"SHA256SUMS", "indeks.html", "indeks.csv", "jejak-audit.csv"} <= set(names)
        assert "Rahmat" in archive.read("ringkasan.json").decode()  # staff may see the reporter
    for path in (f"/perkara/{desk.pkp_case}/berkas.zip", "/perkara/999999/berkas.zip"):
        assert client.get(path).status_code == 404, path
    boss = logged_in(desk.app, "pimpinan-pkp")
    assert boss.get(f"/perkara/{desk.ppu_case}/berkas.zip").status_code == 404
    assert boss.get(f"/perkara/{desk.pkp_case}/berkas.zip").status_code == 200


def test_an_auditor_gets_the_reporter_redacted_and_an_altered_letter_a_refusal(
    desk: Desk,
) -> None:
    staff(desk.deps, "auditor-ppu", PPU, Role.AUDITOR)
    client = logged_in(desk.app, "auditor-ppu")
    response = client.get(f"/perkara/{desk.ppu_case}/berkas.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            if not name.endswith((".docx", ".pdf", ".png")):
                assert "Rahmat" not in archive.read(name).decode("utf-8", "ignore"), name

    with Session(desk.deps.engine) as session:
        letter = session.get(Letter, desk.ppu_letter)
        assert letter is not None
    path = desk.deps.letters_dir / letter.path
    path.write_bytes(path.read_bytes() + b"x")
    refused = client.get(f"/perkara/{desk.ppu_case}/berkas.zip")
    assert refused.status_code == 409
    assert "tidak dibuat" in refused.text and path.name in refused.text
    assert refused.headers["content-type"].startswith("text/html")
