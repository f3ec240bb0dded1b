"""A supervisor's afternoon in the real Prefect UI: find the case by its number, read the summary,
approve in the resume form, and see the case move on and the register list it.

Headless Debian Chromium driven by Playwright (`executable_path`, no browser download). The
screenshots go to test-output/ (or $NETRA_TEST_OUTPUT)."""

from __future__ import annotations

import base64
import email
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from adapters.db.cases import get_case
from adapters.db.engine import make_engine
from models.stages import Stage
from tests.ui.conftest import CHROMIUM, NETRA, PROJECT, Served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("NETRA_REQUIRE_BROWSER"),
        reason="Chromium is not installed (apt install chromium); .ci/run installs it",
    ),
]
OPERATOR = "operator"  # the account `netra serve` creates on its first run
CASE = "001/LP/PW/Kab/64.09/X/2024"
OUTPUT = Path(os.environ.get("NETRA_TEST_OUTPUT", PROJECT / "test-output"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEPLOY = """
import json, sys
from prefect.deployments import run_deployment
run = run_deployment(sys.argv[1], parameters=json.loads(sys.argv[2]), timeout=float(sys.argv[3]))
print(run.id, run.state_type.value if run.state_type else "?")
"""


def _netra(served: Served, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NETRA), *args],
        cwd=PROJECT,
        env=served.client_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _run_deployment(
    served: Served, name: str, parameters: dict[str, Any], wait: float
) -> tuple[str, str]:
    """Start a deployment's run as the UI's Run button does; its id and state after `wait` s."""
    done = subprocess.run(
        [sys.executable, "-c", DEPLOY, name, json.dumps(parameters), str(wait)],
        cwd=PROJECT,
        env=served.prefect_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    run_id, state = done.stdout.split()[-2:]
    return run_id, state


def _authorised(served: Served, request: urllib.request.Request) -> urllib.request.Request:
    token = base64.b64encode(served.login.encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    return request


def _wait_for_state(served: Served, run_id: str, state: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    current = "?"
    while time.monotonic() < deadline:
        request = _authorised(
            served, urllib.request.Request(f"{served.api_url}/flow_runs/{run_id}")
        )
        with urllib.request.urlopen(request, timeout=10) as r:
            current = json.load(r)["state_type"]
        if current == state:
            return
        time.sleep(1)
    raise AssertionError(f"run {run_id} is {current}, not {state}")


def _wait_for_mail(served: Served, subject: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in sorted((served.var / "mail").glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
            if subject in str(message["Subject"]):
                return str(message["To"])
        time.sleep(1)
    raise AssertionError(f"no mail with subject {subject!r}")


def _stage(served: Served) -> Stage:
    engine = make_engine(f"sqlite:///{served.var / 'netra.db'}")
    try:
        with Session(engine) as session:
            return get_case(session, "1").stage
    finally:
        engine.dispose()


def _api(served: Served, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"{served.api_url}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(_authorised(served, request), timeout=30) as response:
        return json.load(response)


def _api_without_login(served: Served, path: str) -> None:
    request = urllib.request.Request(
        f"{served.api_url}{path}", data=b"{}", headers={"Content-Type": "application/json"}
    )
    urllib.request.urlopen(request, timeout=30)


def test_supervisor_approves_a_case_in_the_prefect_ui(served: Served, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    # The server is behind a login, created on the first run and printed once.
    assert served.login.startswith("netra:")
    assert "".join(served.output).count(served.login) == 1
    assert (served.var / "prefect-login").stat().st_mode & 0o777 == 0o600
    with pytest.raises(urllib.error.HTTPError, match="401"):
        _api_without_login(served, "/flow_runs/filter")
    decisions = tmp_path / "decisions.yaml"
    source = (PROJECT / "samples/decisions/report-ppu-camat.yaml").read_text(encoding="utf-8")
    decisions.write_text(
        "\n".join(line for line in source.splitlines() if not line.startswith("approval")),
        encoding="utf-8",
    )
    report = "samples/reports/report-ppu-camat.json"
    done = _netra(served, "process", report, "--decisions", str(decisions), "--replay")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _stage(served) is Stage.AWAITING_APPROVAL
    # The automation installed by `netra serve` notices nobody answered and reminds the office.
    to = _wait_for_mail(served, "Menunggu persetujuan pimpinan", 180)
    assert "bawaslu.ppu@example.go.id" in to
    started = _api(
        served, "/flow_runs/filter", {"flow_runs": {"name": {"any_": ["pengingat-persetujuan"]}}}
    )
    assert len(started) == 1  # one run, started by the automation
    findings = json.loads((PROJECT / "samples/findings/ppu-camat.json").read_text("utf-8"))
    paused, _ = _run_deployment(
        served, "rekomendasi/netra", {"case_ref": CASE, "findings": findings, "actor": OPERATOR}, 0
    )
    _wait_for_state(served, paused, "PAUSED", 180)  # the served run starts, then waits

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(f"{served.base_url}/runs", wait_until="networkidle")
        page.get_by_placeholder("admin:pass").fill("netra:salah")  # the login page first
        page.get_by_role("button", name="Login").click()
        expect(page.get_by_text("Authentication failed.").first).to_be_visible()
        page.get_by_placeholder("admin:pass").fill(served.login)
        page.get_by_role("button", name="Login").click()
        page.screenshot(path=str(OUTPUT / "login.png"), full_page=True)
        page.goto(f"{served.base_url}/runs", wait_until="networkidle")
        page.get_by_placeholder("Search by flow run name").locator("visible=true").fill(CASE)
        expect(page.get_by_role("link", name=f"{CASE} · kajian awal")).to_be_visible()
        runs = page.get_by_role("link", name=f"{CASE} · rekomendasi")
        expect(runs).to_have_count(2)  # the investigator's run and the one waiting
        page.locator(f"a[href='/runs/flow-run/{paused}']").click()
        page.wait_for_url(f"**/runs/flow-run/{paused}*")
        page.get_by_role("button", name="Resume").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_text(f"Persetujuan rekomendasi — perkara {CASE}")).to_be_visible()
        expect(dialog.get_by_text("SKB-B4").first).to_be_visible()  # the rulebook's reasoning
        fields = dialog.locator(".schema-form-property")
        choice = fields.filter(has_text="Keputusan")
        choice.locator("button.p-select-button__control").click()
        page.keyboard.press("ArrowDown")  # the list opens on "setujui", the first choice
        page.keyboard.press("Enter")
        expect(choice.get_by_text("setujui", exact=True)).to_be_visible()
        fields.filter(has_text="Catatan").locator("textarea").fill("Setuju, teruskan ke BKN.")
        # the pimpinan's Netra user name (here the operator account, a pimpinan everywhere)
        fields.filter(has_text="Nama pengguna pimpinan").locator("textarea").fill(OPERATOR)
        page.screenshot(path=str(OUTPUT / "approval-form.png"), full_page=True)
        dialog.get_by_role("button", name="Submit").click()
        expect(dialog).to_be_hidden()

        for _ in range(90):
            if _stage(served) is Stage.REFERRED:
                break
            time.sleep(1)
        assert _stage(served) is Stage.REFERRED  # approved, letters sent, PPK deadline running
        page.reload(wait_until="networkidle")
        expect(page.get_by_text("Completed").first).to_be_visible(timeout=60_000)
        page.screenshot(path=str(OUTPUT / "approved-run.png"), full_page=True)

        assert _run_deployment(served, "sapu-tenggat/netra", {}, 240)[1] == "COMPLETED"
        page.goto(f"{served.base_url}/artifacts/key/register", wait_until="networkidle")
        page.locator("a[href^='/artifacts/artifact/']").first.click()
        page.wait_for_url("**/artifacts/artifact/*")
        table = page.get_by_role("table")
        expect(table.get_by_text(CASE, exact=True)).to_be_visible()
        expect(table.get_by_text(Stage.REFERRED.label)).to_be_visible()
        page.screenshot(path=str(OUTPUT / "register.png"), full_page=True)

        page.goto(f"{served.base_url}/artifacts/key/perkara-1", wait_until="networkidle")
        page.locator("a[href^='/artifacts/artifact/']").first.click()
        expect(page.get_by_role("heading", name=f"Perkara {CASE}")).to_be_visible()
        # the approver, as the history names them
        expect(page.get_by_text(f"Operator CLI ({OPERATOR})").first).to_be_visible()
        page.screenshot(path=str(OUTPUT / "case.png"), full_page=True)
        browser.close()

    letters = f"http://127.0.0.1:{served.letters_port}"
    kajian = next((served.var / "letters").rglob("*.docx")).relative_to(served.var / "letters")
    with urllib.request.urlopen(f"{letters}/{kajian}", timeout=10) as response:
        assert response.status == 200  # the links in the UI open
    with pytest.raises(urllib.error.HTTPError, match="404"):
        urllib.request.urlopen(f"{letters}/", timeout=10)  # but no folder is ever listed

    automations = _api(served, "/automations/filter", {})
    assert sorted(a["name"] for a in automations) == [
        "netra-pengingat-persetujuan",
        "netra-peringatan-run-gagal",
        "netra-peringatan-sapu-terlewat",
    ]
    assert served.stop() == 0
    assert "Dihentikan." in "".join(served.output)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{served.api_url}/health", timeout=2)
