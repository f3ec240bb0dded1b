"""`netra intake FOLDER|FILE.jsonl`: many reports in one go (`services.batch`), with a progress
bar on stderr, a result file of one JSON line per report, and a summary."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

from cli import render
from cli.reading import read_text
from models.problems import ReportRejected
from models.report.parse import decode_report_text, parse_report
from services.batch import BatchEntry, BatchItem, BatchStatus, BatchSummary

if TYPE_CHECKING:
    from cli.context import Context
    from services.deps import Deps

REPORT_SUFFIXES = (".json", ".yaml", ".yml")


def is_batch(path: Path) -> bool:
    """A folder or a JSON-lines file holds many reports; any other path is one report."""
    return path.is_dir() or path.suffix.lower() == ".jsonl"


def default_result_path(path: Path) -> Path:
    """Beside the batch, never inside a folder of reports (it would be read as one next time)."""
    return path.with_name(path.name + ".hasil.jsonl")


def evidence_folder(path: Path) -> Path:
    """Evidence files are named relative to the folder, or to the JSON-lines file's folder."""
    return path if path.is_dir() else path.parent


def read_batch(path: Path) -> list[BatchItem]:
    """Every report of the batch, in order: a folder's *.json/*.yaml/*.yml sorted by name, or a
    JSON-lines file's non-empty lines. A report that cannot be read carries its problems."""
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
        )
        return [_item(p.name, None, p) for p in files]
    lines = read_text(path).splitlines()
    return [
        _item(path.name, number, text) for number, text in enumerate(lines, start=1) if text.strip()
    ]


def _item(source: str, line: int | None, content: Path | str) -> BatchItem:
    """One report: a file, or a line of JSON."""
    try:
        if isinstance(content, Path):
            data = decode_report_text(read_text(content), filename=content.name)
        else:
            data = decode_report_text(content, filename="baris.json")
        return BatchItem(source, line, parse_report(data))
    except ReportRejected as error:
        return BatchItem(source, line, problems=tuple(error.problems))


@contextmanager
def result_writer(path: Path) -> Iterator[IO[str]]:
    """The result file, written line by line as reports are settled (a batch stopped half-way
    leaves the lines of what it did)."""
    try:
        handle = path.open("w", encoding="utf-8")
    except OSError as error:
        render.err_console.print(
            f"[red]Gagal:[/] berkas hasil {path} tidak dapat ditulis "
            f"({error.strerror or 'tidak dapat dibuka'})."
        )
        raise typer.Exit(code=2) from None
    with handle:
        yield handle


def write_entry(handle: IO[str], entry: BatchEntry) -> None:
    handle.write(json.dumps(entry.as_json(), ensure_ascii=False) + "\n")
    handle.flush()


def run_batch(
    ctx: Context, path: Path, result: Path | None, *, as_json: bool, via_prefect: bool
) -> None:
    """Read, record each report, write the result file, say what happened; exit 2 when any
    report was refused."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from services.deps import with_evidence_inbox

    try:
        items = read_batch(path)
    except ReportRejected as error:  # the JSON-lines file itself cannot be read
        render.print_problems("Berkas laporan tidak dapat dibaca", error.problems)
        raise typer.Exit(code=2) from None
    if not items:
        render.err_console.print(
            f"[red]Gagal:[/] tidak ada laporan di {path} "
            "(folder: berkas *.json, *.yaml, *.yml; JSON-lines: satu laporan per baris)."
        )
        raise typer.Exit(code=2)
    deps = with_evidence_inbox(ctx.deps, evidence_folder(path))
    target = result or default_result_path(path)
    columns = (TextColumn("Mencatat laporan"), BarColumn(), MofNCompleteColumn())
    with (
        result_writer(target) as handle,
        Progress(*columns, console=render.err_console, disable=as_json) as progress,
    ):
        bar = progress.add_task("laporan", total=len(items))

        def each(entry: BatchEntry) -> None:
            write_entry(handle, entry)
            progress.advance(bar)

        if via_prefect:
            summary = _through_prefect(ctx, deps, items, each)
        else:
            from services.batch import intake_batch

            summary = intake_batch(deps, items, actor=ctx.operator, now=ctx.now, each=each)
    waiting = _send_receipts(deps, summary)
    _say(summary, target, waiting, as_json=as_json)
    if summary.count(BatchStatus.REFUSED):
        raise typer.Exit(code=2)


def _through_prefect(
    ctx: Context, deps: Deps, items: list[BatchItem], each: Callable[[BatchEntry], None]
) -> BatchSummary:
    """Store the readable reports as submissions and record them in one `penerimaan-massal`
    run. Prefect keeps no reasons (they may quote the report): a refused report's reasons are
    found again here, by the same checks, recording nothing."""
    from cli.running import run_flow
    from flows.batch import batch_intake_flow
    from services.batch import refusal_problems, refused
    from services.submission import submit_report

    entries: dict[int, BatchEntry] = {}
    submitted: dict[int, int] = {}  # item position -> submission number
    for position, item in enumerate(items):
        if item.report is None:
            entries[position] = refused(item, item.problems)
            continue
        try:
            submitted[position] = submit_report(deps, item.report, now=ctx.now())
        except ReportRejected as error:
            entries[position] = refused(item, error.problems)
    if submitted:
        ids = list(submitted.values())
        rows = run_flow(
            lambda: batch_intake_flow(ids, ctx.actor), evidence_inbox=deps.settings.evidence_inbox
        )
        for (position, _), row in zip(submitted.items(), rows, strict=True):
            item, status = items[position], BatchStatus(row["status"])
            problems = (
                refusal_problems(deps, item.report, actor=ctx.operator)
                if status is BatchStatus.REFUSED and item.report is not None
                else []
            )
            entries[position] = BatchEntry(
                item.source, item.line, status, row["case_id"], tuple(problems)
            )
    summary = BatchSummary()
    for position in range(len(items)):
        summary.entries.append(entries[position])
        each(entries[position])
    return summary


def _send_receipts(deps: Deps, summary: BatchSummary) -> int:
    """Send the tanda terima of the batch's cases; returns how many cases' mail waits."""
    import asyncio

    from adapters.smtp import SmtpConfigError
    from services.batch import send_receipts

    try:
        return asyncio.run(send_receipts(deps, summary.case_ids))
    except SmtpConfigError as error:
        render.err_console.print(f"Pengaturan SMTP salah: {error}")
        return len(set(summary.case_ids))


def _say(summary: BatchSummary, target: Path, waiting: int, *, as_json: bool) -> None:
    counts = summary.as_json()
    if as_json:
        typer.echo(
            json.dumps(
                {**counts, "result_file": str(target), "mail_waiting": waiting},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    render.console.print(
        f"Selesai: {counts['dicatat']} dicatat, {counts['sudah_ada']} sudah tercatat, "
        f"{counts['ditolak']} ditolak (dari {counts['total']} laporan). Hasil per laporan: {target}"
    )
    if waiting > 0:
        render.console.print(
            f"Surel (tanda terima) {waiting} perkara menunggu server surel; kirim dengan "
            "`netra notify PERKARA`."
        )
    refusals = [e for e in summary.entries if e.status is BatchStatus.REFUSED]
    for entry in refusals:
        where = f"{entry.source}, baris {entry.line}" if entry.line else entry.source
        first = entry.problems[0] if entry.problems else None
        reason = f"{first.field}: {first.message}" if first else "ditolak"
        more = f" (+{len(entry.problems) - 1} masalah lain)" if len(entry.problems) > 1 else ""
        render.console.print(f"Ditolak: {where} — {reason}{more}")
    if refusals:
        render.console.print(
            f"{len(refusals)} laporan ditolak dan tidak dicatat; perbaiki lalu jalankan lagi "
            "(yang sudah dicatat tidak dicatat dua kali)."
        )
