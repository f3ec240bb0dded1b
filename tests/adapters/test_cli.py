"""The `netra` command as people and programs use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import PROJECT, sample_report

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("own_var_dir")


def test_assess_json_through_the_installed_entry_point(tmp_path: Path) -> None:
    netra = Path(sys.executable).parent / "netra"
    done = subprocess.run(
        [
            str(netra),
            "assess",
            str(sample_report("report-ppu-camat.json")),
            "--findings",
            str(PROJECT / "samples/findings/ppu-camat.json"),
            "--as-of",
            "2024-10-20",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["admissible"] is True
    assert result["reported"][0]["authority"] == "BKN"
    assert not (tmp_path / "var").exists()  # a dry run records nothing


def test_assess_unreadable_input_exits_non_zero_with_problems(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.json"
    broken.write_text('{"kind": "laporan", "office": ')
    result = runner.invoke(app, ["assess", str(broken), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["problems"][0]["code"] == "berkas_tidak_terbaca"


def test_assess_inadmissible_report_still_exits_zero() -> None:
    result = runner.invoke(
        app,
        [
            "assess",
            str(sample_report("report-pemilu-late-guru.json")),
            "--as-of",
            "2024-02-20",
            "--json",
        ],
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["admissible"] is False


def test_assess_human_output_is_indonesian() -> None:
    result = runner.invoke(
        app, ["assess", str(sample_report("report-pemilu-late-guru.json")), "--as-of", "2024-02-20"]
    )
    assert result.exit_code == 0
    assert "TIDAK MEMENUHI SYARAT" in result.stdout
    assert "hari kerja" in result.stdout


def test_intake_twice_then_show_and_list() -> None:
    path = str(sample_report("report-ppu-camat.json"))
    first = runner.invoke(app, ["intake", path, "--json"])
    assert first.exit_code == 0, first.stdout
    created = json.loads(first.stdout)
    assert created["created"] is True
    second = runner.invoke(app, ["intake", path])
    assert "sudah tercatat sebagai perkara #" in second.stdout
    assert "menunggu server surel" in second.stdout
    shown = runner.invoke(app, ["show", str(created["id"]), "--json"])
    view = json.loads(shown.stdout)
    assert view["case"]["stage"] == "diterima"
    reporter = next(p for p in view["parties"] if p["role"] == "pelapor")
    assert "phone" not in reporter and "address" not in reporter and "email" not in reporter
    listed = json.loads(runner.invoke(app, ["list", "--json"]).stdout)
    assert [c["id"] for c in listed] == [created["id"]]
    assert listed[0]["next_deadline"]["due"] == "2024-10-16"


def test_show_and_list_speak_indonesian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cli.context._warned", [])  # the warning is said once per process
    path = str(sample_report("report-ppu-camat.json"))
    intake = runner.invoke(app, ["intake", path])
    assert intake.exit_code == 0, intake.stdout
    # the shipped offices are signed by placeholders: every letter-issuing command says so
    assert "masih memakai nama contoh" in intake.stderr
    shown = runner.invoke(app, ["show", "1"]).stdout
    for part in (
        "Bawaslu Kabupaten Penajam Paser Utara",
        "Laporan diterima",  # the event, not CaseReceived
        "Kajian awal",
        "berjalan",
        "hari kalender",
        "14 Oktober 2024",
        "WITA",
        "Tanda terima laporan",  # the letter
        "menunggu dikirim",  # its email
    ):
        assert part in shown, part
    for internal in ("CaseReceived", "kajian_awal", "calendar", "bawaslu-kab-", "UTC", "2024-10-"):
        assert internal not in shown, internal
    listed = runner.invoke(app, ["list"]).stdout
    assert "Kajian awal, 16 Oktober 2024" in listed and "kajian_awal" not in listed
    for other in ("report-pangkalpinang-lurah.json", "temuan-balikpapan-pppk.json"):
        assert runner.invoke(app, ["intake", str(sample_report(other))]).exit_code == 0
    first = runner.invoke(app, ["list", "--limit", "2"]).stdout
    assert "Perkara 1–2 dari 3; halaman berikut: --page 2" in first
    last = runner.invoke(app, ["list", "--limit", "2", "--page", "2", "--json"]).stdout
    assert [c["id"] for c in json.loads(last)] == [3]


def test_intake_rejects_bad_report_in_indonesian_and_records_nothing(tmp_path: Path) -> None:
    data = json.loads(sample_report("report-ppu-camat.json").read_text())
    data["office"] = "bawaslu-entah"
    data["reported"][0]["nip"] = "12345"
    bad = tmp_path / "laporan.json"
    bad.write_text(json.dumps(data))
    result = runner.invoke(app, ["intake", str(bad)])
    assert result.exit_code == 2
    assert "tidak ada yang dicatat" in result.stderr
    assert "tidak terdaftar" in result.stderr and "NIP" in result.stderr
    assert json.loads(runner.invoke(app, ["list", "--json"]).stdout) == []


def test_show_unknown_case() -> None:
    result = runner.invoke(app, ["show", "999"])
    assert result.exit_code == 1
    assert "tidak ditemukan" in result.stderr


def test_db_upgrade_reports_revision() -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0 and "revisi" in result.stdout


def test_returning_without_a_note_is_refused_before_anything_runs() -> None:
    result = runner.invoke(app, ["approve", "1", "--return", " "])
    assert result.exit_code == 2
    assert "catatan wajib diisi bila dikembalikan" in result.output


def test_automations_need_a_server() -> None:
    result = runner.invoke(app, ["automations"], env={"PREFECT_API_URL": ""})
    assert result.exit_code == 2
    assert "PREFECT_API_URL belum diatur" in result.output


def test_an_unknown_violation_code_is_named_with_the_valid_ones(tmp_path: Path) -> None:
    """Through the installed command: exit 2, the problem in Indonesian, no traceback."""
    findings = tmp_path / "temuan.json"
    findings.write_text('{"acts": ["SKB-B4", "SKB-X99"]}')
    netra = Path(sys.executable).parent / "netra"
    report = str(sample_report("report-ppu-camat.json"))
    for extra in ([], ["--json"]):
        done = subprocess.run(
            [str(netra), "assess", report, "--findings", str(findings), *extra],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    [problem] = json.loads(done.stdout)["problems"]
    assert (problem["code"], problem["field"]) == ("kode_tidak_dikenal", "acts")
    assert problem["message"].startswith("kode pelanggaran tidak dikenal: SKB-X99;")
    assert "SKB-B4" in problem["message"]  # the valid codes are listed


def _assess_json(data: dict[str, Any], tmp_path: Path, *extra: str) -> tuple[int, Any]:
    path = tmp_path / "laporan.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["assess", str(path), "--as-of", "2024-10-20", "--json", *extra])
    return result.exit_code, json.loads(result.stdout)


def test_a_report_that_breaks_the_format_is_still_assessed(tmp_path: Path) -> None:
    # CONTRACTS §3: exit 0, admissible false, every problem, and all that can be computed.
    data = json.loads(sample_report("report-ppu-camat.json").read_text())
    data["reporter"]["address"] = " "
    data["reporter"]["email"] = "bukan-surel"
    data["office"] = "bawaslu-entah"
    findings = PROJECT / "samples/findings/ppu-camat.json"
    code, result = _assess_json(data, tmp_path, "--findings", str(findings))
    assert code == 0 and result["admissible"] is False
    fields = {p["field"] for p in result["problems"]}
    assert {"reporter.address", "reporter.email", "office"} <= fields
    assert next(d["due"] for d in result["deadlines"] if d["rule"] == "report_window") == (
        "2024-10-18"
    )
    [person] = result["reported"]
    assert person["authority"] == "BKN" and person["recommendation"]["band"] == "berat"


def test_a_report_without_an_election_lists_its_problems_and_exits_zero(tmp_path: Path) -> None:
    data = json.loads(sample_report("report-ppu-camat.json").read_text())
    data["election"]["type"] = "pilpres"
    code, result = _assess_json(data, tmp_path)
    assert code == 0 and result["admissible"] is False
    [problem] = result["problems"]
    assert problem["field"] == "election.type" and "'pemilu' atau 'pilkada'" in problem["message"]
    # nothing can be computed without the election: the contract's shape, empty
    assert (result["deadlines"], result["reported"]) == ([], [])


def _report_naming(tmp_path: Path, file: str) -> Path:
    report = json.loads(sample_report("report-ppu-camat.json").read_text(encoding="utf-8"))
    report["evidence"] = [{"description": "Tangkapan layar unggahan", "file": file}]
    path = tmp_path / "laporan" / "laporan.json"
    path.parent.mkdir()
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


def test_intake_stores_a_file_named_beside_the_report(tmp_path: Path) -> None:
    path = _report_naming(tmp_path, "bukti/layar.png")
    (path.parent / "bukti").mkdir()
    (path.parent / "bukti" / "layar.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    created = runner.invoke(app, ["intake", str(path), "--json"])
    assert created.exit_code == 0, created.stdout + created.stderr
    shown = json.loads(runner.invoke(app, ["show", "1", "--json"]).stdout)
    [item] = shown["evidence"]
    assert (item["original_name"], item["media_type"], item["size"]) == (
        "layar.png",
        "image/png",
        72,
    )
    assert (tmp_path / "var" / "evidence" / item["sha256"][:2] / item["sha256"]).is_file()
    assert item["sha256"] in runner.invoke(app, ["show", "1"]).stdout


def test_intake_refuses_a_missing_evidence_file_in_indonesian_and_records_nothing(
    tmp_path: Path,
) -> None:
    path = _report_naming(tmp_path, "bukti/hilang.png")
    result = runner.invoke(app, ["intake", str(path)])
    assert result.exit_code == 2
    assert "Laporan ditolak, tidak ada yang dicatat" in result.stderr
    assert "evidence[0].file" in result.stderr and "tidak ditemukan" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert json.loads(runner.invoke(app, ["list", "--json"]).stdout) == []
    # assess is a dry run on the report's text: it does not need the files
    assessed = runner.invoke(app, ["assess", str(path), "--as-of", "2024-10-20", "--json"])
    assert assessed.exit_code == 0 and json.loads(assessed.stdout)["admissible"] is True


def test_emails_awaiting_a_person_are_listed_with_the_exact_command(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    assert (
        runner.invoke(app, ["intake", str(sample_report("report-ppu-camat.json"))]).exit_code == 0
    )
    assert "Tidak ada surel" in runner.invoke(app, ["mail-pending"]).stdout
    database = create_engine(f"sqlite:///{tmp_path / 'var' / 'netra.db'}")
    with database.begin() as conn:  # a send interrupted mid-transfer an hour ago
        key = conn.execute(text("SELECT key FROM outbox")).scalar_one()
        conn.execute(
            text("UPDATE outbox SET status='sending', claimed_at=:t"),
            {"t": "2000-01-01 00:00:00.000000"},
        )
    database.dispose()
    listed = runner.invoke(app, ["mail-pending"], terminal_width=300).stdout
    command = f"netra mail-resolve {key} --delivered"
    assert command in listed
    shown = runner.invoke(app, ["show", "1"], terminal_width=300).stdout
    assert command in shown
    done = runner.invoke(app, command.split()[1:])
    assert done.exit_code == 0 and "dicatat terkirim" in done.stdout
    assert "Tidak ada surel" in runner.invoke(app, ["mail-pending"]).stdout


def test_users_first_run_prints_the_admin_password_once_and_only_an_admin_manages_users(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = runner.invoke(app, ["users", "list"])
    assert first.exit_code == 0, first.output
    assert "kata sandi sekali pakai" in first.output and "petugas-uji" in first.output
    again = runner.invoke(app, ["users", "list"])
    assert "kata sandi sekali pakai" not in again.output  # printed once, never again

    office = "bawaslu-kab-penajam-paser-utara"
    added = runner.invoke(
        app, ["users", "add", "rina", "--name", "Rina Wati", "--role", f"{office}:pemeriksa"]
    )
    assert added.exit_code == 0 and "Kata sandi sekali pakai untuk rina" in added.output
    wrong = runner.invoke(app, ["users", "add", "x", "--name", "X", "--role", "kantor:raja"])
    assert wrong.exit_code == 2 and "Kantor 'kantor' tidak dikenal" in wrong.output
    assert "Traceback" not in wrong.output

    monkeypatch.setenv("NETRA_OPERATOR", "rina")  # a pemeriksa is not an admin
    refused = runner.invoke(
        app, ["users", "add", "y", "--name", "Y", "--role", f"{office}:pemeriksa"]
    )
    assert refused.exit_code == 2 and "tidak berwenang mengelola pengguna" in refused.output
    monkeypatch.setenv("NETRA_OPERATOR", "tidak-ada")
    unknown = runner.invoke(app, ["users", "list"])
    assert unknown.exit_code == 2 and "Pengguna 'tidak-ada' tidak dikenal" in unknown.output


def test_reading_commands_acting_as_the_operator_still_warn_of_placeholder_signers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`users list`, `show`, `audit verify` load the offices alone, not the whole rulebook: the
    warning about letters signed by placeholders is still said."""
    monkeypatch.setattr("cli.context._warned", [])  # said once per process
    listed = runner.invoke(app, ["users", "list"])
    assert listed.exit_code == 0, listed.output
    assert "masih memakai nama contoh" in listed.stderr


def test_submit_stores_the_report_and_prints_its_number_for_the_form(tmp_path: Path) -> None:
    from sqlmodel import Session

    from adapters.db.engine import make_engine
    from models.tables import ReportSubmission, SubmissionStatus

    path = str(sample_report("report-ppu-camat.json"))
    done = runner.invoke(app, ["submit", path])
    assert done.exit_code == 0, done.stdout
    assert "kiriman 1" in done.stdout and "penerimaan/netra" in done.stdout
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'netra.db'}")
    with Session(engine) as session:
        row = session.get(ReportSubmission, 1)
        assert row is not None and row.status is SubmissionStatus.PENDING
        assert row.report is not None and row.report["office"] == "bawaslu-kab-penajam-paser-utara"
    engine.dispose()
    broken = tmp_path / "rusak.json"
    broken.write_text(
        sample_report("report-ppu-camat.json")
        .read_text(encoding="utf-8")
        .replace('"office":', '"cat\\u0000atan": "1", "office":', 1),
        encoding="utf-8",
    )
    refused = runner.invoke(app, ["submit", str(broken)])
    assert refused.exit_code == 2 and "NUL" in refused.stdout + refused.stderr


@pytest.mark.parametrize("received", ["2100-01-01T09:00:00+08:00", "2005-06-01T09:00:00+07:00"])
def test_a_date_outside_the_working_day_calendar_is_a_problem_not_a_traceback(
    tmp_path: Path, received: str
) -> None:
    """Found by the long fuzz campaign: a report received in 2100 (a year a report may carry)
    made `assess` fail on the holiday calendar, which holds 2019 to this year + 2."""
    data = json.loads(sample_report("report-ppu-camat.json").read_text(encoding="utf-8"))
    data["received_at"] = received
    data["incident"]["occurred_on"] = received[:10]
    data["incident"]["known_on"] = received[:10]
    path = tmp_path / "laporan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path), "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    answer = json.loads(result.stdout)
    assert answer["admissible"] is False and answer["deadlines"] == []
    codes = {(p["code"], p["field"]) for p in answer["problems"]}
    assert ("tanggal_di_luar_kalender", "received_at") in codes, codes
    refused = runner.invoke(app, ["intake", str(path)])
    assert refused.exit_code == 2, refused.output
    assert "kalender hari kerja" in " ".join(refused.output.split())
