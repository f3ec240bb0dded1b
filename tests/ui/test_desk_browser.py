"""A case from report to approval on the staff desk, in headless Chromium: two new staff members
log in with their one-time passwords (and change them, as the desk forces), the pemeriksa records
a report through Formulir B.1 with an evidence file and takes it through kajian awal, undangan,
berita acara and rekomendasi; the pimpinan finds it under "Menunggu saya" and approves; the
letters go out to a recording SMTP server.

The desk is `create_app` served by uvicorn in a thread of this process (SQLite in a temporary
data folder), its stage flows running under a Prefect test server. Debian's Chromium driven by
Playwright, as tests/ui/test_browser.py. Screenshots of every step go to test-output/desk/ (or
$NETRA_TEST_OUTPUT/desk)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from adapters.db.cases import get_case
from cli.local.mail_sink import MailSink
from config.settings import Settings
from models.access import ALL_OFFICES, Actor, Role, memberships
from models.stages import Stage
from models.tables import AuditEntry
from services.audit import verify_trail
from services.deps import Deps, forget_settings
from services.users import add_user
from tests.support.actors import staff
from tests.ui.conftest import CHROMIUM, PROJECT, free_port, served_in_thread
from tests.ui.test_browser import CHROMIUM_ARGS
from web.app import create_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.prefect,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("NETRA_REQUIRE_BROWSER"),
        reason="Chromium is not installed (apt install chromium); .ci/run installs it",
    ),
]
PPU = "bawaslu-kab-penajam-paser-utara"
ADMIN = Actor("admin-uji", "Admin uji", memberships([(ALL_OFFICES, Role.ADMIN)]))
OUTPUT = Path(os.environ.get("NETRA_TEST_OUTPUT", PROJECT / "test-output")) / "desk"
SAMPLE = PROJECT / "samples" / "reports" / "report-ppu-camat.json"
FINDINGS = PROJECT / "samples" / "findings" / "ppu-camat.json"
FLOW_TIMEOUT = 90_000  # ms: a stage's flow runs inside the request


@dataclass
class RunningDesk:
    base_url: str
    deps: Deps
    mail: MailSink
    passwords: dict[str, str]  # user name -> one-time password


PEMERIKSA_LABEL, PIMPINAN_LABEL = "Dewi Lestari (pemeriksa-ppu)", "Hendra Wijaya (pimpinan-ppu)"


@pytest.fixture
def running_desk(tmp_path: Path, prefect_server: None) -> Iterator[RunningDesk]:
    with MailSink(tmp_path / "mail") as mail:
        settings = Settings(var_dir=tmp_path / "var", smtp_port=mail.port)
        app = create_app(settings)
        deps: Deps = app.state.desk.deps
        passwords: dict[str, str] = {}
        for username, name, role in (
            ("pemeriksa-ppu", "Dewi Lestari", Role.PEMERIKSA),
            ("pimpinan-ppu", "Hendra Wijaya", Role.PIMPINAN),
        ):
            first = add_user(deps, ADMIN, username, name, memberships([(PPU, role)]))
            assert first is not None
            passwords[username] = first
        try:
            with served_in_thread(app, free_port()) as base_url:
                yield RunningDesk(base_url, deps, mail, passwords)
        finally:
            forget_settings()


def _stage(deps: Deps, case_id: int) -> Stage:
    with Session(deps.engine) as session:
        return get_case(session, str(case_id)).stage


def _intake_fields() -> dict[str, str]:
    """Formulir B.1's fields with the values of samples/reports/report-ppu-camat.json."""
    report: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    fields = {
        "#received_at": report["received_at"][:16],
        "#election_year": str(report["election"]["year"]),
        "#election_region": report["election"]["region"],
    }
    reporter = report["reporter"]
    for key in (
        "name",
        "address",
        "birth_place",
        "birth_date",
        "occupation",
        "nationality",
        "phone",
        "email",
    ):
        fields[f"#reporter_{key}"] = reporter[key]
    reported = report["reported"][0]
    for key in ("name", "nip", "position", "agency", "address", "email"):
        fields[f"#reported_0_{key}"] = reported[key]
    fields["#reported_0_ppk_title"] = reported["ppk"]["title"]
    fields["#reported_0_ppk_email"] = reported["ppk"]["email"]
    for key, value in report["incident"].items():
        fields[f"#incident_{key}"] = value
    for key, value in report["witnesses"][0].items():
        fields[f"#witness_0_{key}"] = value
    fields["#evidence_0_description"] = report["evidence"][0]["description"]
    return fields


def test_a_case_from_report_to_approval_on_the_desk(
    running_desk: RunningDesk, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    desk = running_desk
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("*.png"):
        old.unlink()

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)

    def log_in(page: Page, username: str, new_password: str, step: str) -> None:
        page.goto(f"{desk.base_url}/perkara", wait_until="load")
        expect(page).to_have_url(f"{desk.base_url}/masuk?lanjut=%2Fperkara")
        page.fill("#username", username)
        page.fill("#password", desk.passwords[username])
        shot(page, f"{step}a-masuk-{username}")
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/sandi")  # a one-time password: change it before anything else
        expect(page.get_by_text("Kata sandi Anda sekali pakai")).to_be_visible()
        page.fill("#current", desk.passwords[username])
        page.fill("#new", new_password)
        page.fill("#again", new_password + "-beda")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_text("Kata sandi baru dan ulangannya tidak sama.")).to_be_visible()
        shot(page, f"{step}b-sandi-{username}")
        page.fill("#current", desk.passwords[username])
        page.fill("#new", new_password)
        page.fill("#again", new_password)
        page.get_by_role("button", name="Simpan").click()
        page.wait_for_url("**/menunggu")
        expect(page.get_by_text("Kata sandi telah diganti.")).to_be_visible()

    def submit(page: Page, form: str, button: str, step: str) -> None:
        """Send a stage form of the case page and wait for the flow's report."""
        page.locator(f"form[action$='/{form}']").get_by_role("button", name=button).click()
        expect(page.locator(".msg.success")).to_be_visible(timeout=FLOW_TIMEOUT)
        shot(page, step)

    with sync_playwright() as playwright:
        # In Indonesian, as the offices' browsers, date fields and file pickers included
        # (headless Chromium takes its language from LANG; Debian's chromium-l10n has it).
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[*CHROMIUM_ARGS, "--lang=id-ID"],
            env={**os.environ, "LANG": "id_ID.UTF-8", "LANGUAGE": "id"},
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page.set_default_timeout(30_000)

        # The pemeriksa: first login, then Formulir B.1 with an evidence file.
        log_in(page, "pemeriksa-ppu", "pemeriksa-rahasia-2024", "01")
        shot(page, "02-menunggu-pemeriksa")
        evidence = tmp_path / "tangkapan-layar-facebook.png"
        evidence.write_bytes(page.screenshot())  # a real PNG
        page.get_by_role("link", name="Laporan baru").click()
        page.wait_for_url("**/penerimaan")
        page.select_option("#kind", "laporan")
        page.select_option("#office", PPU)
        page.select_option("#reporter_sex", "L")
        page.select_option("#reported_0_employment", "PNS")
        for selector, value in _intake_fields().items():
            page.fill(selector, value)
        page.set_input_files("#evidence_0_file", str(evidence))
        shot(page, "03-penerimaan")
        page.get_by_role("button", name="Catat laporan").click()
        expect(page.locator(".msg.success")).to_contain_text(
            "Laporan dicatat sebagai perkara", timeout=FLOW_TIMEOUT
        )
        case_id = int(page.url.rsplit("/", 1)[1])
        case_url = f"{desk.base_url}/perkara/{case_id}"
        stored = page.get_by_role("link", name="tangkapan-layar-facebook.png", exact=True)
        expect(stored).to_be_visible()  # the evidence keeps the uploaded file's own name
        expect(page.get_by_text("Drs. Agus Salim, M.Si.").first).to_be_visible()
        shot(page, "04-perkara-diterima")
        assert _stage(desk.deps, case_id) is Stage.RECEIVED

        # Kajian awal: registered, with a case number.
        verification = page.locator("form[action$='/kajian-awal']")
        verification.locator("select[name=decision]").select_option("register")
        verification.locator("textarea[name=reason]").fill(
            "Laporan memenuhi syarat formal dan materiel."
        )
        submit(page, "kajian-awal", "Simpan keputusan", "05-registrasi")
        assert _stage(desk.deps, case_id) is Stage.REGISTERED
        expect(page.get_by_role("heading", level=1)).to_contain_text("/LP/PW/")

        # Undangan klarifikasi: the letters are issued and mailed.
        invitation = page.locator("form[action$='/undangan']")
        invitation.locator("input[name=date]").fill("2024-10-16")
        invitation.locator("input[name=time]").fill("10:00")
        invitation.locator("input[name=place]").fill(
            "Kantor Bawaslu Kabupaten Penajam Paser Utara, Jl. Provinsi Km 9, Penajam"
        )
        submit(page, "undangan", "Terbitkan dan kirim undangan", "06-undangan")
        assert _stage(desk.deps, case_id) is Stage.CLARIFICATION
        invited = len(desk.mail.received)
        assert invited >= 1, "the invitations were mailed"

        # Berita acara: the reported official and the witness attended and were sworn in.
        hearing = page.locator("form[action$='/berita-acara']")
        for key, statement in (
            ("terlapor-0", "Terlapor membenarkan hadir pada deklarasi dan mengunggah foto."),
            ("saksi-0", "Saksi melihat terlapor berdiri di panggung deklarasi."),
        ):
            hearing.locator(f"input[name=attended_{key}]").check()
            hearing.locator(f"input[name=oath_{key}]").check()
            hearing.locator(f"textarea[name=statement_{key}]").fill(statement)
        submit(page, "berita-acara", "Catat berita acara", "07-berita-acara")
        assert _stage(desk.deps, case_id) is Stage.UNDER_REVIEW

        # Kajian and rekomendasi: waits for the pimpinan.
        findings = json.loads(FINDINGS.read_text(encoding="utf-8"))
        review = page.locator("form[action$='/rekomendasi']")
        review.locator("input[name=violation][value=ya]").check()
        review.locator("input[name=acts]").fill(", ".join(findings["acts"]))
        review.locator("input[name=act_date]").fill(findings["act_date"])
        review.locator("textarea[name=reasoning]").fill(findings["reasoning"])
        submit(page, "rekomendasi", "Simpan kajian (menunggu persetujuan)", "08-rekomendasi")
        assert _stage(desk.deps, case_id) is Stage.AWAITING_APPROVAL
        expect(page.locator("form[action$='/persetujuan']")).to_have_count(0)  # not theirs
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url("**/masuk")

        # The pimpinan: the case waits for them; approve it there.
        log_in(page, "pimpinan-ppu", "pimpinan-rahasia-2024", "09")
        waiting = page.locator("table").filter(has=page.locator(f"a[href='/perkara/{case_id}']"))
        expect(waiting).to_be_visible()
        shot(page, "10-menunggu-pimpinan")
        approval = waiting.locator("form[action$='/persetujuan']")
        approval.locator("input[name=approved][value=ya]").check()
        approval.locator("textarea[name=note]").fill("Disetujui untuk diteruskan kepada BKN.")
        approval.get_by_role("button", name="Kirim keputusan").click()
        page.wait_for_url(case_url, timeout=FLOW_TIMEOUT)
        expect(page.locator(".msg.success")).to_be_visible()
        shot(page, "11-disetujui")
        assert _stage(desk.deps, case_id) in {Stage.APPROVED, Stage.REFERRED}
        assert _stage(desk.deps, case_id) is Stage.REFERRED  # the letters went out
        page.goto(f"{desk.base_url}/perkara", wait_until="load")
        expect(page.get_by_role("link").filter(has_text="/LP/PW/")).to_be_visible()
        shot(page, "12-register")
        browser.close()

    recipients = {to for mail in desk.mail.received[invited:] for to in mail.rcpt_tos}
    assert "bupati@example.go.id" in recipients  # the PPK received the recommendation
    subjects = [str(m["Subject"]) for m in desk.mail.messages]
    assert all(subjects), subjects
    # The audit trail of the whole run holds together and names the two people and the desk.
    check = verify_trail(desk.deps.engine, staff("auditor"))
    assert check.whole and check.rows > 0, check.problems
    with Session(desk.deps.engine) as session:
        rows = session.exec(select(AuditEntry)).all()
    actors = {(r.actor, r.origin.split(" ")[0]) for r in rows if r.actor_id is not None}
    assert {a for a, _ in actors} >= {PEMERIKSA_LABEL, PIMPINAN_LABEL}, actors
    assert {o for _, o in actors} == {"desk"}, actors
