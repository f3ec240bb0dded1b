"""What the command-line tests of this tier share."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def own_var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's own data folder and operator account; no SMTP server (intake queues the
    tanda terima and says it waits)."""
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("NETRA_DATABASE_URL", raising=False)
    monkeypatch.setenv("NETRA_OPERATOR", "petugas-uji")
    monkeypatch.setenv("NETRA_SMTP_PORT", "9")
    monkeypatch.setenv("NETRA_MAIL_MAX_ATTEMPTS", "1")
