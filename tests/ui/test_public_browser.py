"""The public site in headless Chromium: a citizen files a laporan through Formulir B.1 with an
evidence file, reads the tanda terima (receipt number and lookup code), then follows the report
by number and code, opens the tanda terima's verification page from its QR code's address and
checks the issued file there, then reads the desk's statistics page that counts it; the tanda
terima's email reaches a recording SMTP server with the lookup address. `create_public_app`
and the desk served by uvicorn in threads, the intake flow under a Prefect test
server, as tests/ui/test_desk_browser.py. Screenshots go to test-output/publik/."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from cli.local.mail_sink import MailSink
from config.settings import Settings
from models.access import Role
from models.tables import Letter
from services.deps import Deps, forget_settings
from tests.public.conftest import PERSONAL, PPU, report_fields
from tests.support.qr import qr_in_docx
from tests.ui.conftest import CHROMIUM, PROJECT, free_port, served_in_thread
from tests.ui.test_browser import CHROMIUM_ARGS
from tests.web.conftest import PASSWORD, staff
from web.app import create_app
from web.public.app import create_public_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.prefect,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("NETRA_REQUIRE_BROWSER"),
        reason="Chromium is not installed (apt install chromium); .ci/run installs it",
    ),
]
OUTPUT = Path(os.environ.get("NETRA_TEST_OUTPUT", PROJECT / "test-output")) / "publik"
FLOW_TIMEOUT = 90_000  # ms: the intake flow runs inside the request


@dataclass
class RunningSite:
    base_url: str
    mail: MailSink
    desk_url: str  # the staff desk on the same data folder (its statistics page)
    deps: Deps


@pytest.fixture
def running_site(tmp_path: Path, prefect_server: None) -> Iterator[RunningSite]:
    port = free_port()
    with MailSink(tmp_path / "mail") as mail:
        settings = Settings(
            var_dir=tmp_path / "var", smtp_port=mail.port, public_url=f"http://127.0.0.1:{port}"
        )
        try:
            # the desk first: the app made last sets the process's settings, which the public
            # site's intake flow reads (its own upload folder)
            desk = create_app(settings)
            deps: Deps = desk.state.desk.deps
            staff(deps, STATISTICIAN, PPU, Role.PIMPINAN)
            with (
                served_in_thread(desk, free_port()) as desk_url,
                served_in_thread(create_public_app(settings), port) as base_url,
            ):
                yield RunningSite(base_url, mail, desk_url, deps)
        finally:
            forget_settings()


STATISTICIAN = "pimpinan-statistik"


def _receipt_letter(deps: Deps, receipt: str) -> Letter:
    """The tanda terima of the case whose receipt number is `receipt` (NTR-<case id>)."""
    case_id = int(receipt.removeprefix("NTR-"))
    with Session(deps.engine) as session:
        letter = session.exec(
            select(Letter).where(Letter.case_id == case_id, col(Letter.kind) == "tanda_terima")
        ).first()
    assert letter is not None and letter.verification_code, "the tanda terima carries a code"
    return letter


def test_a_citizen_files_a_report_and_follows_it(running_site: RunningSite, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    site = running_site
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("*.png"):
        old.unlink()

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_ARGS, "--lang=id-ID"],
            env={**os.environ, "LANG": "id_ID.UTF-8", "LANGUAGE": "id"},
        )
        page = browser.new_page(viewport={"width": 1024, "height": 800}, locale="id-ID")
        page.set_default_timeout(30_000)
        page.goto(site.base_url, wait_until="load")
        shot(page, "01-beranda")

        page.get_by_role("link", name="Sampaikan laporan").click()
        page.wait_for_url("**/lapor")
        evidence = tmp_path / "tangkapan-layar.png"
        evidence.write_bytes(page.screenshot())  # a real PNG
        fields = report_fields()
        selects = ("office", "election_type", "reporter_sex", "reported_0_employment")
        for name in selects:
            page.select_option(f"#{name}", fields[name])
        for name, value in fields.items():
            if name not in selects:
                page.fill(f"#{name}", value)
        page.set_input_files("#evidence_0_file", str(evidence))
        shot(page, "02-formulir")
        page.get_by_role("button", name="Kirim laporan").click()
        page.wait_for_url("**/lapor/tanda-terima", timeout=FLOW_TIMEOUT)
        expect(page.get_by_role("heading", level=1)).to_have_text("Laporan Anda telah diterima")
        number, code = (page.locator(".receipt .code").nth(i).inner_text() for i in (0, 1))
        assert number.startswith("NTR-") and len(code) == 11
        shot(page, "03-tanda-terima")

        page.get_by_role("link", name=f"{site.base_url}/lacak").click()
        page.wait_for_url("**/lacak?nomor=*")
        expect(page.locator("#nomor")).to_have_value(number)
        page.fill("#kode", "SALAH-KODE0")
        page.get_by_role("button", name="Lihat perkembangan").click()
        expect(page.locator(".msg.error")).to_contain_text("tidak cocok")
        shot(page, "04-lacak-kode-salah")
        page.fill("#nomor", number)
        page.fill("#kode", code.lower())
        page.get_by_role("button", name="Lihat perkembangan").click()
        expect(page.get_by_text("Diterima, menunggu kajian awal")).to_be_visible()
        expect(page.get_by_role("cell", name="Laporan diterima")).to_be_visible()
        shot(page, "05-lacak")
        assert PERSONAL["reporter_name"] not in page.content()

        # The tanda terima's verification page, reached from its QR code's address.
        letter = _receipt_letter(site.deps, number)
        issued = site.deps.letters_dir / letter.path
        if letter.pdf_sha256:  # the PDF beside the .docx is the file sent
            issued = issued.with_suffix(".pdf")
        (url,) = set(qr_in_docx((site.deps.letters_dir / letter.path).read_bytes()))
        assert url == f"{site.base_url}/verifikasi/{letter.verification_code}"
        page.goto(url, wait_until="load")
        expect(page.get_by_role("heading", level=1)).to_have_text("Periksa keaslian surat")
        expect(page.get_by_role("cell", name=letter.number)).to_be_visible()
        expect(page.get_by_text(str(letter.pdf_sha256 or letter.sha256))).to_be_visible()
        page.set_input_files("input[name=berkas]", str(issued))
        page.get_by_role("button", name="Periksa berkas").click()
        expect(page.locator(".verify-result")).to_contain_text("Cocok.")
        assert PERSONAL["reporter_name"] not in page.content()
        shot(page, "06-verifikasi-surat")

        # The statistics page of the desk counts the new report.
        page.goto(f"{site.desk_url}/masuk", wait_until="load")
        page.fill("#username", STATISTICIAN)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/menunggu")
        page.get_by_role("link", name="Statistik").click()
        page.wait_for_url("**/statistik*")
        summary = page.locator("section.recap").first
        expect(summary.get_by_role("row", name="Laporan diterima 1")).to_be_visible()
        expect(summary.get_by_role("row", name="Diregistrasi 0")).to_be_visible()
        assert page.locator("svg.chart").count() >= 1, "the recap is drawn, not only tabled"
        shot(page, "07-statistik")
        browser.close()

    # The tanda terima went to the reporter, with where to follow the report (not the code).
    deadline = time.monotonic() + 60
    while not site.mail.received and time.monotonic() < deadline:
        time.sleep(0.5)
    assert site.mail.received, "the tanda terima was not mailed"
    (mail,) = site.mail.messages
    plain = mail.get_body(preferencelist=("plain",))
    assert plain is not None and mail["To"].endswith(f"<{PERSONAL['reporter_email']}>")
    body = str(plain.get_content())
    assert f"{site.base_url}/lacak" in body and number in body and code not in body
