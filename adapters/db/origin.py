"""Where this process's actions come from ("cli", "prefect", "desk 10.0.0.7"), for the audit trail.

Apart from `adapters.db.audit` (which writes it into every row) so that a command sets it without
importing the database layer: `netra --help` and `netra assess` never load SQLAlchemy.
"""

from __future__ import annotations

from contextvars import ContextVar

_origin: ContextVar[str | None] = ContextVar("netra_audit_origin", default=None)
DEFAULT_ORIGIN = "sistem"


def set_origin(origin: str, *, unless_set: bool = False) -> None:
    """Where this process's (or task's) actions come from, for every row it appends; with
    `unless_set`, only if nothing said so before (a flow run started by `netra` stays "cli")."""
    if not (unless_set and _origin.get() is not None):
        _origin.set(origin)


def current_origin() -> str:
    return _origin.get() or DEFAULT_ORIGIN
