"""Passwords: hashed with Argon2 (pwdlib's recommended parameters), never stored in clear, and
one-time passwords generated from the operating system's randomness."""

from __future__ import annotations

import secrets
from functools import cache

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()  # Argon2id


@cache
def _dummy() -> str:
    """Checked when the user does not exist: a wrong user name costs as long as a wrong
    password. Hashed on the first check of the process, whoever is checked (not on import:
    ~0.1 s that commands reading the database as the operator do not spend)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    dummy = _dummy()
    if stored is None:
        _hasher.verify(password, dummy)
        return False
    return _hasher.verify(password, stored)


def one_time_password() -> str:
    """16 URL-safe characters (96 bits): printed once, changed at the first login."""
    return secrets.token_urlsafe(12)
