"""`netra audit verify` and `netra audit export` as an operator and an auditor use them, on the
SQLite database of the command (tampering by hand: a raw connection, the trigger dropped)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cli.main import app
from tests.conftest import sample_report

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("own_var_dir")


def intake() -> Result:
    return runner.invoke(app, ["intake", str(sample_report("report-ppu-camat.json"))])


def by_hand(tmp_path: Path, *statements: str) -> None:
    """Someone with the database file edits it directly."""
    with sqlite3.connect(tmp_path / "var" / "netra.db") as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        for statement in statements:
            conn.execute(statement)
    conn.close()


def test_verify_passes_then_names_the_row_changed_by_hand(tmp_path: Path) -> None:
    # row 1: the first run's accounts; 2: the intake's event; 3: `netra show`
    assert intake().exit_code == 0
    assert runner.invoke(app, ["show", "1"]).exit_code == 0
    clean = runner.invoke(app, ["audit", "verify"], terminal_width=300)
    assert clean.exit_code == 0 and "Jejak audit utuh: 3 baris." in clean.stdout

    by_hand(tmp_path, "UPDATE audit_entry SET actor = 'orang lain' WHERE id = 2")
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "Jejak audit TIDAK utuh: 1 masalah pada 3 baris." in broken.stderr
    assert "baris #2 diubah" in broken.stderr and "Traceback" not in broken.output


def test_rows_cut_from_the_end_are_found_against_the_anchor(tmp_path: Path) -> None:
    assert intake().exit_code == 0
    runner.invoke(app, ["show", "1"])
    said = runner.invoke(app, ["audit", "verify"], terminal_width=300).stdout
    anchor = re.search(r"--anchor\): (\d+:[0-9a-f]{64})", said)
    assert anchor is not None and anchor.group(1).startswith("3:")
    assert runner.invoke(app, ["audit", "verify", "--anchor", anchor.group(1)]).exit_code == 0

    by_hand(tmp_path, "DELETE FROM audit_entry WHERE id = 3")
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0  # the chain alone cannot tell
    cut = runner.invoke(app, ["audit", "verify", "--anchor", anchor.group(1)])
    assert cut.exit_code == 1 and "baris #3 yang dicatat sebagai jangkar" in cut.stderr
    bad = runner.invoke(app, ["audit", "verify", "--anchor", "dua"])
    assert bad.exit_code == 2 and "NOMOR:HASH" in bad.stderr


def test_export_gives_the_case_rows_as_csv_or_json_lines(tmp_path: Path) -> None:
    assert intake().exit_code == 0
    exported = runner.invoke(app, ["audit", "export", "1"])
    assert exported.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(r["id"], r["action"], r["actor"], r["origin"]) for r in rows] == [
        ("2", "CaseReceived", "Operator CLI (petugas-uji)", "cli")
    ]
    assert len(rows[0]["hash"]) == 64

    out = tmp_path / "jejak.jsonl"
    written = runner.invoke(app, ["audit", "export", "1", "--format", "jsonl", "--out", str(out)])
    assert written.exit_code == 0 and "ditulis ke" in written.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # the first export was itself recorded, so the second holds it too
    assert [x["action"] for x in lines] == ["CaseReceived", "audit_export"]
    assert lines[1]["prev_hash"] == lines[0]["hash"] == rows[0]["hash"]

    missing = runner.invoke(app, ["audit", "export", "99"])
    assert missing.exit_code == 1 and "tidak ditemukan" in missing.stderr
