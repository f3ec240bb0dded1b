"""What no command handles itself, said in Indonesian instead of a Python traceback: the case
database cannot be reached, its schema is a newer Netra's, or anything else unforeseen. The
traceback goes to a file whose name is printed (for whoever looks into it); the command exits 2
(nothing was changed by the step that failed: every step is one transaction)."""

from __future__ import annotations

import sys
import tempfile
import traceback

from cli import render

MAX_SAID = 200  # characters of a foreign message shown; the rest is in the file


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    first = lines[0] if lines else ""
    return first if len(first) <= MAX_SAID else first[:MAX_SAID] + "…"


def describe(error: BaseException) -> str:
    """The failure in Indonesian, with at most the first line of a library's own message (a
    database error's statement and parameters, which may hold names, stay in the file)."""
    if "sqlalchemy" in sys.modules:  # loaded only by commands that use it
        from sqlalchemy.exc import DBAPIError, OperationalError

        if isinstance(error, OperationalError):
            return (
                "basis data perkara tidak dapat dihubungi atau ditulis (NETRA_DATABASE_URL, "
                f"NETRA_VAR_DIR): {_first_line(error.orig or error)}"
            )
        if isinstance(error, DBAPIError):
            return f"basis data perkara menolak perintah ({type(error.orig).__name__})"
    if "adapters.db.migrate" in sys.modules:
        from adapters.db.migrate import SchemaUnknown

        if isinstance(error, SchemaUnknown):  # said in Indonesian already
            return str(error)
    if isinstance(error, OSError):
        return f"berkas atau folder tidak dapat dipakai: {_first_line(error)}"
    return f"kesalahan tak terduga ({type(error).__name__}: {_first_line(error)})"


def report(error: BaseException) -> int:
    """Say `error` on stderr, keep its traceback in a file; the exit code."""
    with tempfile.NamedTemporaryFile(
        "w", prefix="netra-galat-", suffix=".txt", delete=False, encoding="utf-8"
    ) as file:
        traceback.print_exception(error, file=file)
    render.err_console.print(f"[red]Gagal:[/] {describe(error)}")
    render.err_console.print(f"Rincian teknis untuk admin: {file.name}")
    return 2
