"""A person's decisions on email the server refused or that was interrupted mid-transfer."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import render
from cli.context import CaseArg, build_context


def mail_retry(case_ref: CaseArg) -> None:
    """Antrekan lagi surel yang ditolak server (setelah alamat/pengaturan dibetulkan)."""
    from services.notification import retry_undelivered

    count = retry_undelivered(build_context().deps, case_ref)
    render.console.print(f"{count} surel diantrekan lagi; jalankan `netra notify {case_ref}`.")


def mail_resolve(
    key: Annotated[str, typer.Argument(help="Kunci surel (lihat netra show).")],
    delivered: Annotated[
        bool,
        typer.Option(
            "--delivered/--not-delivered",
            help="Hasil pemeriksaan: surel sudah diterima atau belum.",
        ),
    ],
) -> None:
    """Putuskan surel yang terhenti saat dikirim (status 'sending'); tidak dikirim otomatis."""
    from adapters.db.engine import unit_of_work
    from adapters.db.outbox import find_by_key, resolve_stuck

    ctx = build_context()
    with unit_of_work(ctx.engine) as session:
        row = find_by_key(session, key)
        if row is None or row.id is None:
            render.err_console.print(f"surel '{key}' tidak ditemukan")
            raise typer.Exit(code=1)
        if not resolve_stuck(session, row.id, delivered=delivered, now=ctx.now()):
            render.err_console.print(f"surel '{key}' tidak sedang terhenti (status {row.status})")
            raise typer.Exit(code=2)
    render.console.print("dicatat terkirim" if delivered else "diantrekan untuk dikirim lagi")


def mail_pending() -> None:
    """Surel yang menunggu keputusan petugas, dengan perintah yang tepat untuk masing-masing."""
    from adapters.db.engine import unit_of_work
    from adapters.db.outbox import awaiting_a_person
    from adapters.smtp import STUCK_AFTER

    ctx = build_context()
    with unit_of_work(ctx.engine) as session:
        rows = awaiting_a_person(session, ctx.now() - STUCK_AFTER)
    if not rows:
        render.console.print("Tidak ada surel yang menunggu keputusan petugas.")
        return
    render.console.print("Surel yang menunggu keputusan petugas:")
    render.print_mail_actions(rows)


def register(app: typer.Typer) -> None:
    app.command("mail-retry")(mail_retry)
    app.command("mail-resolve")(mail_resolve)
    app.command("mail-pending")(mail_pending)
