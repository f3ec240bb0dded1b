"""The desk's session: a signed, timed cookie (itsdangerous) holding the user name, the CSRF token
and the one-time messages; nothing else. The signing key is generated on first run into the data
folder (`<var>/web-secret`, mode 0600), so every desk process on the same data folder shares it
and a restart keeps people logged in."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "netra_meja"
SECRET_FILE = "web-secret"


def secret_key(var_dir: Path) -> str:
    """The key in `<var_dir>/web-secret`, created (readable by its owner only) when missing."""
    path = var_dir / SECRET_FILE
    var_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48))
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"kunci sesi di {path} terlalu pendek; hapus berkas itu")
    return key


class SessionCodec:
    def __init__(self, key: str, max_age_seconds: float, salt: str = "netra-meja-sesi") -> None:
        """`salt` keeps the desk's and the public site's cookies apart (one key signs both)."""
        self._serializer = URLSafeTimedSerializer(key, salt=salt)
        self.max_age = int(max_age_seconds)

    def load(self, cookie: str | None) -> dict[str, Any]:
        """The session in `cookie`; empty when there is none, it was tampered with or expired."""
        if not cookie:
            return {}
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # SignatureExpired is one
            return {}
        return data if isinstance(data, dict) else {}

    def dump(self, session: dict[str, Any]) -> str:
        return self._serializer.dumps(session)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)
