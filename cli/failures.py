"""What no command handles itself, said in Indonesian instead of a Python traceback: the case
database cannot be reached, its schema is a newer Netra's, or anything else unforeseen. The
traceback goes to a file whose name is printed (for whoever looks into it); the command exits 2
(nothing was changed by the step that failed: every step is one transaction)."""

from __future__ import annotations

import sys
import tempfile
import traceback

from cli import render


def describe(error: BaseException) -> str:
    """The failure in Indonesian."""
    from_sqlalchemy = "sqlalchemy" in sys.modules  # loaded only by commands that use it
    if from_sqlalchemy:
        from sqlalchemy.exc import OperationalError

        if isinstance(error, OperationalError):
            first = str(error.orig or error).strip().splitlines()[0]
            return (
                "basis data perkara tidak dapat dihubungi atau ditulis (NETRA_DATABASE_URL, "
                f"NETRA_VAR_DIR): {first}"
            )
    if type(error).__name__ == "SchemaUnknown":  # adapters.db.migrate
        return str(error)
    if isinstance(error, OSError):
        return f"berkas atau folder tidak dapat dipakai: {error}"
    return f"kesalahan tak terduga ({type(error).__name__}: {error})"


def report(error: BaseException) -> int:
    """Say `error` on stderr, keep its traceback in a file; the exit code."""
    with tempfile.NamedTemporaryFile(
        "w", prefix="netra-galat-", suffix=".txt", delete=False, encoding="utf-8"
    ) as file:
        traceback.print_exception(error, file=file)
    render.err_console.print(f"[red]Gagal:[/] {describe(error)}")
    render.err_console.print(f"Rincian teknis untuk admin: {file.name}")
    return 2
