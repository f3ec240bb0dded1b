"""A person's decisions on email the server refused or that was interrupted mid-transfer."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import render
from cli.context import CaseArg, build_context


def mail_retry(case_ref: CaseArg) -> None:
    """Antrekan lagi surel yang ditolak server (setelah alamat/pengaturan dibetulkan)."""
    from services.notification import retry_undelivered

    ctx = build_context()
    try:
        count = retry_undelivered(ctx.deps, case_ref, actor=ctx.operator, now=ctx.now())
    except LookupError as error:
        render.err_console.print(str(error))
        raise typer.Exit(code=1) from None
    except PermissionError as error:
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None
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
    from services.notification import MailDecision, resolve_mail

    ctx = build_context()
    try:
        decision, row = resolve_mail(
            ctx.deps, key, delivered=delivered, actor=ctx.operator, now=ctx.now()
        )
    except PermissionError as error:  # only a pimpinan of the case's office decides
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None
    if decision is MailDecision.NOT_FOUND:
        render.err_console.print(f"surel '{key}' tidak ditemukan")
        raise typer.Exit(code=1)
    if decision is MailDecision.NOT_STUCK:
        status = row.status if row is not None else "-"
        render.err_console.print(f"surel '{key}' tidak sedang terhenti (status {status})")
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
