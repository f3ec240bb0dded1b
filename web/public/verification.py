"""Verify a letter: the page a letter's QR code leads to (/verifikasi/<code>) and the form to type
a code (/verifikasi). The page shows what the letter prints about its issue and the SHA-256 of the
file sent; a file uploaded there is hashed and compared, and nothing of it is kept.

Codes are 60 random bits: guessing one among even millions of letters is hopeless, so the page
is not throttled. An unknown code and a malformed one get the same answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from models.letters.verification import PATH, normalize_code
from services.letter_verification import UploadDigest, VerifiedLetter, find_verified
from web.desk import deps_of, render

router = APIRouter()

MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
_FORM_OVERHEAD = 64 * 1024  # the multipart envelope and the CSRF field around the file
_CHUNK = 64 * 1024
NOT_FOUND = (
    "Kode verifikasi tidak ditemukan. Periksa kembali kode yang tercetak di bagian bawah surat "
    "(12 huruf dan angka, misalnya ABCD-EFGH-JKLM)."
)
TOO_LARGE = f"Berkas terlalu besar: paling besar {MAX_UPLOAD_MB} MB."


@router.get(PATH)
def lookup_form(request: Request, kode: str | None = None) -> Response:
    """The form to type a code; a typed code goes to its page (written as stored)."""
    if kode is None or not kode.strip():
        return render(request, "verifikasi.html", letter=None, result=None, problem=None)
    code = normalize_code(kode)
    if code is None:
        return _not_found(request)
    return RedirectResponse(f"{PATH}/{quote(code)}", status_code=303)


@router.get(PATH + "/{kode}")
async def letter_page(request: Request, kode: str) -> Response:
    letter = await run_in_threadpool(find_verified, deps_of(request), kode)
    if letter is None:
        return _not_found(request)
    return _page(request, letter)


@router.post(PATH + "/{kode}")
async def check_file(request: Request, kode: str) -> Response:
    """Hash the uploaded file and say whether it is the file the office sent."""
    letter = await run_in_threadpool(find_verified, deps_of(request), kode)
    if letter is None:
        return _not_found(request)
    upload = (await request.form()).get("berkas")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, letter, problem="Pilih berkas surat yang akan diperiksa.", status=400)
    digest = UploadDigest()
    while chunk := await upload.read(_CHUNK):
        digest.update(chunk)
        if digest.size > MAX_UPLOAD_BYTES:
            return _page(request, letter, problem=TOO_LARGE, status=413)
    if digest.kind != letter.file_kind:
        wanted = "PDF" if letter.has_pdf else ".docx"
        return _page(
            request,
            letter,
            problem=f"Berkas yang diunggah bukan berkas {wanted}. Unggah berkas {wanted} surat "
            "sebagaimana Anda terima.",
            status=400,
        )
    return _page(request, letter, result=digest)


def _page(
    request: Request,
    letter: VerifiedLetter,
    *,
    result: UploadDigest | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "verifikasi.html",
        status_code=status,
        letter=letter,
        result=result,
        matches=result is not None and result.matches(letter),
        problem=problem,
        max_mb=MAX_UPLOAD_MB,
    )


def _not_found(request: Request) -> Response:
    return render(
        request, "verifikasi.html", status_code=404, letter=None, result=None, problem=NOT_FOUND
    )


async def upload_limit(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Refuse an upload to a verification page larger than the limit (or of unknown length)
    before its body is read: the form is parsed (and the CSRF token read from it) before any
    route runs. Browsers always send the length of a form."""
    if request.method == "POST" and request.url.path.startswith(PATH + "/"):
        length = request.headers.get("content-length", "")
        if not length.isdigit() or int(length) > MAX_UPLOAD_BYTES + _FORM_OVERHEAD:
            return render(request, "error.html", status_code=413, message=TOO_LARGE)
    return await call_next(request)
