"""An investigator's day through the `netra` stage commands, each running its flow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.local.mail_sink import MailSink
from cli.main import app
from tests.conftest import SAMPLES, sample_report

pytestmark = pytest.mark.prefect
runner = CliRunner()
NETRA = Path(sys.executable).with_name("netra")


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def test_investigators_day(cli_env: Path, sink: MailSink, tmp_path: Path) -> None:
    created = json.loads(_ok("intake", str(sample_report("report-ppu-camat.json")), "--json"))
    case = str(created["id"])
    assert "Diregistrasi" in _ok("verify", case, "--decision", "register")
    assert "Klarifikasi" in _ok(
        "clarify", case, "--date", "2024-10-16", "--time", "10:00", "--place", "Kantor Bawaslu"
    )
    invited = json.loads(_ok("show", case, "--json"))["letters"]
    assert sorted(x["recipient_key"] for x in invited if x["kind"] == "undangan_klarifikasi") == [
        "saksi-0",
        "terlapor-0",
    ]
    outcomes = tmp_path / "hasil.yaml"
    outcomes.write_text(
        "- {party: terlapor-0, attended: true, oath_taken: true, "
        "statement: Mengakui}\n- {party: saksi-0, attended: false}\n"
    )
    assert "Kajian dugaan pelanggaran" in _ok(
        "record-clarification", case, "--outcomes", str(outcomes)
    )
    out = _ok("recommend", case, "--findings", str(SAMPLES / "findings" / "ppu-camat.json"))
    assert "Menunggu persetujuan pimpinan" in out
    assert "Disetujui" in _ok("approve", case)
    assert "Diteruskan, menunggu" in _ok("notify", case)
    shown = json.loads(_ok("show", case, "--json"))
    assert shown["case"]["case_number"].startswith("001/LP/PW/Kab/64.09/")
    assert {e["status"] for e in shown["emails"]} == {"sent"}
    assert len(sink.messages) == len(shown["emails"])


def test_stage_command_errors_are_clear_and_change_nothing(cli_env: Path, tmp_path: Path) -> None:
    created = json.loads(_ok("intake", str(sample_report("report-ppu-camat.json")), "--json"))
    case = str(created["id"])
    refused = runner.invoke(app, ["verify", case, "--decision", "not_register"])
    assert refused.exit_code == 2 and "alasan wajib diisi" in refused.stderr
    bad = tmp_path / "temuan.yaml"
    bad.write_text("acts: PP94-5n-1\nact_date: kemarin\n")
    _ok("verify", case, "--decision", "register")
    rejected = runner.invoke(app, ["recommend", case, "--findings", str(bad)])
    assert rejected.exit_code == 2 and "act_date" in rejected.stderr
    assert json.loads(_ok("show", case, "--json"))["case"]["stage"] == "diregistrasi"
    # Today (not the case's 2024 timeline) the decision deadline has long passed.
    late = runner.invoke(app, ["extend", case, "--reason", "keterangan tambahan"])
    assert late.exit_code == 2 and "sudah lewat" in late.stderr
    assert [d["status"] for d in json.loads(_ok("show", case, "--json"))["deadlines"]].count(
        "extended"
    ) == 0


def test_a_refusal_reaches_the_user_in_indonesian_without_a_traceback(tmp_path: Path) -> None:
    """The real command, in its own process: Prefect's report of the failed run (an English
    traceback) stays in the run's log; the console says what is wrong, once, in Indonesian."""
    env = {**os.environ, "NETRA_VAR_DIR": str(tmp_path / "var")}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run(
        [str(NETRA), "verify", "999", "--decision", "register"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # not the project folder: the same settings must apply
        timeout=300,
    )
    said = done.stdout + done.stderr
    assert done.returncode == 2
    assert "Gagal: perkara '999' tidak ditemukan" in said
    assert "Traceback" not in said and "Finished in state" not in said


def test_a_recorded_text_is_corrected_through_its_flow(cli_env: Path) -> None:
    created = json.loads(_ok("intake", str(sample_report("report-ppu-camat.json")), "--json"))
    case = str(created["id"])
    account = "Terlapor hadir pada deklarasi dan mengunggah foto (uraian diperbaiki)."
    _ok("correct", case, "--target", "account", "--text", account, "--reason", "salah ketik")
    shown = json.loads(_ok("show", case, "--json"))
    assert shown["case"]["incident_account"] == account
    assert shown["events"][-1]["event"] == "TextCorrected"
    refused = runner.invoke(
        app, ["correct", case, "--target", "nama", "--text", "x", "--reason", "y"]
    )
    assert refused.exit_code == 2 and "tidak dapat dikoreksi" in refused.stderr


def test_an_incomplete_report_is_completed_through_its_flow(cli_env: Path, tmp_path: Path) -> None:
    source = sample_report("report-ppu-camat.json")
    created = json.loads(_ok("intake", str(source), "--json"))
    case = str(created["id"])
    bare = runner.invoke(app, ["verify", case, "--decision", "complete"])
    assert bare.exit_code == 2 and "sebutkan kelengkapan" in bare.stderr
    asked = _ok("verify", case, "--decision", "complete", "--item", "tautan unggahan")
    assert "Menunggu kelengkapan laporan" in asked
    report = json.loads(source.read_text(encoding="utf-8"))
    report["incident"]["account"] += " Tautan unggahan terlampir."
    completed = tmp_path / "lengkap.json"
    completed.write_text(json.dumps(report), encoding="utf-8")
    broken = tmp_path / "rusak.json"
    broken.write_text('{"kind": "laporan"}', encoding="utf-8")
    rejected = runner.invoke(app, ["complete", case, str(broken)])
    assert rejected.exit_code == 2 and "Traceback" not in rejected.stdout + rejected.stderr
    assert "Diterima, menunggu kajian awal" in _ok("complete", case, str(completed))
    shown = json.loads(_ok("show", case, "--json"))
    assert shown["case"]["incident_account"].endswith("Tautan unggahan terlampir.")
    assert "Diregistrasi" in _ok("verify", case, "--decision", "register")


def test_the_reporters_consent_is_recorded_and_withdrawn_through_its_flow(cli_env: Path) -> None:
    created = json.loads(_ok("intake", str(sample_report("report-ppu-camat.json")), "--json"))
    case = str(created["id"])
    missing = runner.invoke(app, ["consent", case, "--scope", "nama"])
    assert missing.exit_code == 2 and "given_on" in missing.stderr
    nothing = runner.invoke(app, ["consent", case, "--withdraw", "--reason", "x"])
    assert nothing.exit_code == 2 and "tidak ada persetujuan pelapor" in nothing.stderr
    _ok("consent", case, "--scope", "nama", "--given-on", "2024-10-16", "--means", "surat")
    _ok("consent", case, "--withdraw", "--reason", "pelapor berubah pikiran")
    history = [e["event"] for e in json.loads(_ok("show", case, "--json"))["events"]]
    assert history[-2:] == ["ReporterConsented", "ReporterConsentWithdrawn"]


def test_a_report_is_delegated_or_forwarded_through_the_kajian_awal(cli_env: Path) -> None:
    first = json.loads(_ok("intake", str(sample_report("report-ppu-camat.json")), "--json"))
    case = str(first["id"])
    unknown = runner.invoke(
        app, ["verify", case, "--decision", "delegate", "--to", "bawaslu-x", "--reason", "r"]
    )
    assert unknown.exit_code == 2 and "bawaslu-prov-kalimantan-timur" in unknown.stderr
    to_kaltim = ["--to", "bawaslu-prov-kalimantan-timur", "--reason", "kewenangan provinsi"]
    assert "Diterima, menunggu kajian awal" in _ok(
        "verify", case, "--decision", "delegate", *to_kaltim
    )
    shown = json.loads(_ok("show", case, "--json"))
    assert shown["case"]["office_key"] == "bawaslu-prov-kalimantan-timur"
    assert "pelimpahan_laporan" in {x["kind"] for x in shown["letters"]}

    other = json.loads(
        _ok("intake", str(sample_report("report-pilkada-kepala-desa.json")), "--json")
    )
    forwarded = _ok(
        "verify",
        str(other["id"]),
        "--decision",
        "forward",
        "--to",
        "Bupati Penajam Paser Utara",
        "--email",
        "bupati@example.ppu.go.id",
        "--reason",
        "kepala desa bukan ASN",
    )
    assert "Diteruskan ke instansi lain" in forwarded
    kinds = {x["kind"] for x in json.loads(_ok("show", str(other["id"]), "--json"))["letters"]}
    assert {"penerusan_laporan", "laporan_disamarkan"} <= kinds


def test_evidence_is_added_through_its_flow_once(cli_env: Path, tmp_path: Path) -> None:
    created = json.loads(_ok("intake", str(sample_report("report-ppu-camat.json")), "--json"))
    case = str(created["id"])
    photo = tmp_path / "foto-deklarasi.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x10" * 300)
    added = _ok("evidence", "add", case, str(photo), "--description", "Foto deklarasi")
    assert "Bukti dicatat" in added and "Foto deklarasi" in added
    again = _ok("evidence", "add", case, str(photo), "--description", "Foto deklarasi")
    assert "sudah tercatat sebagai bukti" in again
    shown = json.loads(_ok("show", case, "--json"))
    files = [e for e in shown["evidence"] if e["sha256"]]
    assert [(e["description"], e["media_type"], e["added_by"]) for e in files] == [
        ("Foto deklarasi", "image/jpeg", os.environ["NETRA_OPERATOR"])
    ]
    assert [e["event"] for e in shown["events"]].count("EvidenceAdded") == 1
    refused = runner.invoke(
        app, ["evidence", "add", case, str(tmp_path / "hilang.pdf"), "--description", "x"]
    )
    assert refused.exit_code == 2 and "tidak ditemukan" in refused.stderr
