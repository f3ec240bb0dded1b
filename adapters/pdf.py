"""Letters as PDF, by LibreOffice headless: one long-lived converter per process, not one
LibreOffice start per letter.

The converter is unoserver (a well-kept XML-RPC front of LibreOffice's UNO API). Its client is a
dependency of Netra; its server must run under the Python that has LibreOffice's UNO bridge
(Debian: `python3-uno`, installed with `libreoffice-writer-nogui`), which is not the project's
virtualenv. So the server is started under that Python with only the unoserver package put on
its path, on free loopback ports, with its own LibreOffice profile, and stopped when the process
exits.

Where LibreOffice or its UNO bridge is missing, `converter()` returns None and the caller issues
the letter as .docx with a warning: a letter is never lost for want of a PDF.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from concurrent import futures
from importlib import metadata
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
from unoserver.client import UnoClient

log = logging.getLogger("netra.pdf")

# Pythons that may carry LibreOffice's UNO bridge, tried in order after NETRA_UNO_PYTHON.
_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
_START_TIMEOUT = 60.0  # seconds for LibreOffice to come up (a cold start on a busy machine)
_CONVERT_TIMEOUT = 120  # seconds for one conversion before it is abandoned and LibreOffice killed
_BACK_OFF = 300.0  # seconds without trying again after LibreOffice failed to start or hung


class PdfUnavailable(RuntimeError):
    """LibreOffice could not convert a letter; the .docx stands alone."""


def uno_python(preferred: str | None = None) -> str | None:
    """A Python that can `import uno`, or None."""
    candidates = [preferred] if preferred else []
    candidates += [c for c in _UNO_PYTHONS if c != preferred]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and _imports_uno(candidate):
            return candidate
    return None


def _imports_uno(python: str) -> bool:
    try:
        probe = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _unoserver_path(folder: Path) -> Path:
    """A folder holding only the unoserver package and its metadata (links), so the server's
    Python imports nothing else of this virtualenv."""
    dist = metadata.distribution("unoserver")
    site = Path(str(dist.locate_file("")))
    for name in ("unoserver", f"unoserver-{dist.version}.dist-info"):
        link = folder / name
        if not link.exists():
            link.symlink_to(site / name)
    return folder


class PdfConverter:
    """One unoserver (and its LibreOffice) serving every conversion of this process."""

    def __init__(self, python: str, soffice: str) -> None:
        self._python, self._soffice = python, soffice
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._port = 0
        self._workdir: tempfile.TemporaryDirectory[str] | None = None
        self._resting_until = 0.0
        # conversions run on this thread so a hung LibreOffice can be abandoned after a timeout
        self._pool = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="netra-pdf")

    def to_pdf(self, docx: bytes) -> bytes:
        """The PDF of a .docx, or PdfUnavailable. A conversion that takes longer than
        `_CONVERT_TIMEOUT` kills LibreOffice (the next letter starts a fresh one); after a
        failure to start or a hang no new start is tried for `_BACK_OFF` seconds, so a broken
        LibreOffice costs each letter nothing but the .docx."""
        with self._lock:
            if time.monotonic() < self._resting_until:
                raise PdfUnavailable("LibreOffice baru saja gagal; dicoba lagi nanti")
            try:
                self._ensure_started()
            except PdfUnavailable:
                self._resting_until = time.monotonic() + _BACK_OFF
                raise
            client = UnoClient(port=str(self._port))
            job = self._pool.submit(client.convert, indata=docx, convert_to="pdf")
            try:
                result = job.result(timeout=_CONVERT_TIMEOUT)
            except futures.TimeoutError:
                self._stop()
                self._resting_until = time.monotonic() + _BACK_OFF
                raise PdfUnavailable("LibreOffice tidak menjawab; konversi dihentikan") from None
            except Exception as exc:  # the XML-RPC fault carries LibreOffice's own error
                self._stop()
                raise PdfUnavailable(f"LibreOffice gagal mengonversi surat: {exc}") from exc
        if not isinstance(result, bytes) or not result.startswith(b"%PDF"):
            raise PdfUnavailable("LibreOffice tidak menghasilkan PDF")
        return result

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._workdir = tempfile.TemporaryDirectory(prefix="netra-pdf-")
        work = Path(self._workdir.name)
        self._port = _free_port()
        env = {**os.environ, "PYTHONPATH": str(_unoserver_path(work))}
        env.pop("PYTHONHOME", None)
        command = [
            self._python,
            "-m",
            "unoserver.server",
            "--interface=127.0.0.1",
            f"--port={self._port}",
            f"--uno-port={_free_port()}",
            f"--executable={self._soffice}",
            f"--user-installation={work / 'profile'}",
            f"--conversion-timeout={_CONVERT_TIMEOUT}",
        ]
        self._process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self._port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self._stop()
        raise PdfUnavailable("LibreOffice (unoserver) tidak dapat dijalankan")

    def _stop(self) -> None:
        """Stop unoserver and the LibreOffice it started (its own process group, which outlives
        a unoserver that died), then remove the private profile."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):  # what of the group still runs
                os.killpg(process.pid, signal.SIGKILL)
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def close(self) -> None:
        with self._lock:
            self._stop()


_converter: PdfConverter | None = None
_probed = False
_probe_lock = threading.Lock()


def converter(uno_python_path: str | None = None) -> PdfConverter | None:
    """This process's converter, started on first use; None where LibreOffice is missing."""
    global _converter, _probed
    with _probe_lock:
        if not _probed:
            _probed = True
            soffice = shutil.which("soffice") or shutil.which("libreoffice")
            python = uno_python(uno_python_path) if soffice else None
            if soffice and python:
                _converter = PdfConverter(python, soffice)
                atexit.register(_converter.close)
            else:
                log.warning(
                    "LibreOffice tidak ditemukan: surat diterbitkan sebagai .docx saja "
                    "(pasang paket libreoffice-writer-nogui untuk PDF)"
                )
        return _converter


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF (for the letter lint's page checks), read by pdfium."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text = page.get_textpage()
            pages.append(text.get_text_range().replace("\r\n", "\n"))
            text.close()
            page.close()
        return pages
    finally:
        document.close()
