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


def mail_send(
    office: Annotated[
        str | None, typer.Option("--kantor", help="Hanya perkara kantor ini (kunci kantor).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Hasil per perkara sebagai JSON.")
    ] = False,
) -> None:
    """Kirim surel yang menunggu dari semua perkara sekaligus (mis. setelah server surel
    pulih), perkara demi perkara; perkara yang disetujui diteruskan bila semua suratnya
    terkirim. Tidak ada yang dikirim dua kali; jalankan lagi bila ada yang masih menunggu."""
    import asyncio
    import json

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from adapters.smtp import SmtpConfigError
    from services.bulk_mail import CaseMail, cases_to_send, send_all

    ctx = build_context()
    deps = ctx.deps
    if office is not None and office not in deps.rulebook.offices:
        render.err_console.print(f"[red]Gagal:[/] kantor '{office}' tidak dikenal.")
        raise typer.Exit(code=2)
    cases = cases_to_send(deps, ctx.operator, office)
    columns = (TextColumn("Mengirim surel"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=render.err_console, disable=as_json) as progress:
        bar = progress.add_task("perkara", total=len(cases))

        async def each(_: CaseMail) -> None:
            progress.advance(bar)

        try:
            done = asyncio.run(
                send_all(deps, cases, actor=ctx.operator, now=ctx.now, progress=each)
            )
        except SmtpConfigError as error:  # login or TLS refused: nothing more is tried
            render.err_console.print(f"[red]Gagal:[/] pengaturan SMTP ditolak server: {error}")
            raise typer.Exit(code=2) from None
    if as_json:
        rows = [vars(case) for case in done.cases]
        render.console.print_json(json.dumps({"cases": rows, "unreachable": done.unreachable}))
    else:
        render.console.print(done.summary(len(cases)) + ".")
    if done.unreachable:
        render.err_console.print(
            f"[yellow]{done.unreachable}[/]. {done.skipped} perkara belum dicoba; jalankan lagi "
            "`netra mail-send` setelah server surel pulih (tidak ada yang dikirim dua kali)."
        )
    if done.unreachable or done.total("waiting"):
        raise typer.Exit(code=2)


def register(app: typer.Typer) -> None:
    app.command("mail-send")(mail_send)
    app.command("mail-retry")(mail_retry)
    app.command("mail-resolve")(mail_resolve)
    app.command("mail-pending")(mail_pending)
