"""The read-only letter server of `netra serve` (the Prefect UI links to letters through it): a
file is given out only when it is a letter's, still as issued (its stored SHA-256), and every
download is recorded in the audit trail. An altered file is refused (409) and raises the alarm.
No folder is ever listed (that would list every case)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from sqlalchemy.engine import Engine

from services.audit import LetterTampered, Who, letter_at, read_letter


class LetterFiles(BaseHTTPRequestHandler):
    def __init__(self, *args: Any, folder: Path, engine: Engine, actor: str, **kwargs: Any) -> None:
        self.folder, self.engine, self.actor = folder, engine, actor
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        relative = unquote(urlsplit(self.path).path).lstrip("/")
        found = letter_at(self.engine, relative) if relative else None
        if found is None:
            self._refuse(HTTPStatus.NOT_FOUND, "Surat tidak ditemukan.")
            return
        letter_id, pdf = found
        who = Who(self.actor, origin=f"server surat {self.client_address[0]}")
        try:
            letter = read_letter(
                self.engine, self.folder, who, letter_id, pdf=pdf, now=datetime.now(UTC)
            )
        except LetterTampered as error:
            self._refuse(HTTPStatus.CONFLICT, str(error))
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", letter.media_type)
        self.send_header("Content-Length", str(len(letter.data)))
        self.send_header(
            "Content-Disposition", f"attachment; filename*=UTF-8''{quote(letter.name)}"
        )
        self.end_headers()
        self.wfile.write(letter.data)

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        body = message.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def start_letter_server(folder: Path, port: int, engine: Engine, actor: str) -> ThreadingHTTPServer:
    """On loopback only, whatever --host says: letters name reporters, and this has no login
    (each download is recorded under `actor`, the operator who started `netra serve`)."""
    folder.mkdir(parents=True, exist_ok=True)
    handler = partial(LetterFiles, folder=folder, engine=engine, actor=actor)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="surat").start()
    return server
