"""`netra berkas CASE`: the case file written as the operator, and plain Indonesian for a case
that does not exist."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import sample_report

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("own_var_dir")


def test_berkas_writes_the_zip_and_names_an_unknown_case(tmp_path: Path) -> None:
    assert (
        runner.invoke(app, ["intake", str(sample_report("report-ppu-camat.json"))]).exit_code == 0
    )
    out = tmp_path / "keluar" / "berkas.zip"
    made = runner.invoke(app, ["berkas", "1", "--output", str(out)], terminal_width=300)
    assert made.exit_code == 0, made.output
    assert f"Berkas perkara ditulis ke {out}" in made.stdout
    assert "identitas pelapor disertakan" in made.stdout  # the operator is staff
    with zipfile.ZipFile(out) as archive:
        sums = archive.read("SHA256SUMS").decode().splitlines()
        assert len(sums) == len(archive.namelist()) - 1
        for line in sums:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    assert hashlib.sha256(out.read_bytes()).hexdigest() in made.stdout

    redacted = runner.invoke(
        app, ["berkas", "1", "--output", str(tmp_path / "b.zip"), "--samarkan"], terminal_width=300
    )
    assert redacted.exit_code == 0 and "identitas pelapor dirahasiakan" in redacted.stdout

    unknown = runner.invoke(app, ["berkas", "999", "--output", str(tmp_path / "x.zip")])
    assert unknown.exit_code == 1
    assert "perkara '999' tidak ditemukan" in unknown.stderr
    assert "Traceback" not in unknown.output and not (tmp_path / "x.zip").exists()
