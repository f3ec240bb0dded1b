"""No public page shows a person. Every route of the public app is walked with sample requests
(a table below: a route added later without its entry fails the test) over cases whose parties
have distinctive names, NIPs, emails, phones and addresses; no response carries any of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from httpx import Response

from adapters.db.views import case_view
from models.inputs import VerificationChoice, VerificationDecision
from services.deps import get_deps
from services.verification import verify_case
from tests.public.conftest import PERSONAL, PKP, PPU, Filed, csrf_of, file_online, report_fields
from tests.support.actors import staff
from web.app import route_table
from web.public.app import create_public_app

Sample = Callable[[TestClient, Filed], Response]


def _post(path: str, fields: Callable[[Filed], dict[str, str]]) -> Sample:
    def send(client: TestClient, filed: Filed) -> Response:
        csrf = csrf_of(client.get(path).text)
        answer: Response = client.post(path, data={**fields(filed), "csrf": csrf})
        return answer

    return send


def _get(path: str) -> Sample:
    def fetch(client: TestClient, filed: Filed) -> Response:
        answer: Response = client.get(path.format(number=filed.number))
        return answer

    return fetch


def _letter_of(filed: Filed) -> tuple[str, bytes]:
    """The verification code of the case's tanda terima, and its file as issued."""
    deps = get_deps()
    view = case_view(deps.engine, str(filed.case_id))
    letter = next(item for item in view.letters if item.verification_code)
    stored = deps.letters_dir / letter.path
    if letter.pdf_sha256:  # the PDF beside the .docx is the file sent
        stored = stored.with_suffix(".pdf")
    return str(letter.verification_code), stored.read_bytes()


def _verify_page(client: TestClient, filed: Filed) -> Response:
    answer: Response = client.get(f"/verifikasi/{_letter_of(filed)[0]}")
    return answer


def _verify_upload(client: TestClient, filed: Filed) -> Response:
    code, content = _letter_of(filed)
    csrf = csrf_of(client.get(f"/verifikasi/{code}").text)
    answer: Response = client.post(
        f"/verifikasi/{code}", data={"csrf": csrf}, files={"berkas": ("surat", content)}
    )
    return answer


# Someone else's malformed report: the form shows back what its sender typed, never the case's.
_OTHER = {
    **report_fields(incident_occurred_on="x"),
    **dict.fromkeys(PERSONAL, ""),
    "reporter_name": "Orang Lain",
    "reported_0_name": "Terlapor Lain",
}

# (method, route path) -> the requests that walk it
SAMPLES: dict[tuple[str, str], list[Sample]] = {
    ("GET", "/"): [_get("/")],
    ("GET", "/sehat"): [_get("/sehat")],
    ("GET", "/static/{path}"): [_get("/static/netra.css")],
    ("GET", "/lapor"): [_get("/lapor")],
    ("POST", "/lapor"): [_post("/lapor", lambda filed: _OTHER)],
    ("GET", "/lapor/tanda-terima"): [_get("/lapor/tanda-terima")],
    ("GET", "/lacak"): [_get("/lacak"), _get("/lacak?nomor={number}")],
    ("POST", "/lacak"): [
        _post("/lacak", lambda filed: {"nomor": filed.number, "kode": filed.code}),
        _post("/lacak", lambda filed: {"nomor": filed.number, "kode": "AAAAABBBBB"}),
    ],
    ("GET", "/kajian-awal"): [_get("/kajian-awal")],
    ("GET", "/kajian-awal/{office_key}"): [
        _get(f"/kajian-awal/{PPU}"),
        _get(f"/kajian-awal/{PPU}?halaman=2"),
        _get(f"/kajian-awal/{PKP}"),
    ],
    ("GET", "/verifikasi"): [_get("/verifikasi"), _get("/verifikasi?kode=abcd-efgh-jkmn")],
    ("GET", "/verifikasi/{kode}"): [_verify_page, _get("/verifikasi/ABCD-EFGH-JKMN")],
    ("POST", "/verifikasi/{kode}"): [_verify_upload],
}


def test_every_route_has_sample_requests(public_settings: object) -> None:
    app = create_public_app(public_settings)  # type: ignore[arg-type]
    routes = {(m, path) for path, methods in route_table(app.routes) for m in methods - {"HEAD"}}
    missing = sorted(routes - SAMPLES.keys())
    assert not missing, f"routes of the public site without sample requests here: {missing}"
    assert not SAMPLES.keys() - routes, "samples of routes that no longer exist"


def test_no_public_page_shows_a_party(public_client: TestClient) -> None:
    assert public_client.get("/").status_code == 200
    deps = get_deps()
    registered = file_online(deps)
    refused = file_online(
        deps, report_fields(incident_summary="Laporan kedua", incident_place="Tempat lain")
    )
    now = datetime.now(UTC)
    officer = staff("petugas")
    verify_case(
        deps,
        str(registered.case_id),
        VerificationDecision(decision=VerificationChoice.REGISTER),
        actor=officer,
        now=now,
    )
    reason = f"{PERSONAL['reported_0_name']} bukan ASN ({PERSONAL['reported_0_nip']})"
    verify_case(
        deps,
        str(refused.case_id),
        VerificationDecision(decision=VerificationChoice.NOT_REGISTER, reason=reason),
        actor=officer,
        now=now,
    )
    secrets = [v for v in PERSONAL.values() if len(v) > 6]
    walked = 0
    for (method, path), samples in SAMPLES.items():
        for filed in (registered, refused):
            for sample in samples:
                answer = sample(public_client, filed)
                walked += 1
                assert answer.status_code < 500, (method, path, answer.text)
                leaked = [s for s in secrets if s.lower() in answer.text.lower()]
                assert not leaked, f"{method} {path} shows {leaked}"
    assert walked >= 2 * len(SAMPLES)
    # the walk reached the pages that matter: the tracking page and the kajian list
    csrf = csrf_of(public_client.get("/lacak").text)
    page = public_client.post(
        "/lacak", data={"csrf": csrf, "nomor": registered.number, "kode": registered.code}
    )
    assert "Diregistrasi" in page.text
    listing = public_client.get(f"/kajian-awal/{PPU}").text
    assert "Tidak diregistrasi" in listing and "/LP/" in listing
