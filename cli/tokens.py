"""`netra tokens`: personal access tokens for the API (/api/v1). The command acts as the
operator account (NETRA_OPERATOR): an admin makes a token for any user, anyone else for their
own account. A new token is printed once; only its SHA-256 is kept."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cli import render
from cli.users import UserArg, refusals

tokens_app = typer.Typer(help="Token akses API (/api/v1) per pengguna.", no_args_is_help=True)
ZONE = "Asia/Jakarta"


@tokens_app.command("add")
def add(
    username: UserArg,
    name: Annotated[str, typer.Option("--name", help="Untuk apa token ini (nama sistemnya).")],
    days: Annotated[
        int,
        typer.Option("--days", help="Masa berlaku dalam hari (0: sampai dicabut)."),
    ] = 90,
) -> None:
    """Buat token API untuk pengguna; token hanya ditampilkan sekali."""
    from services.tokens import create_token

    with refusals() as ctx:
        issued = create_token(
            ctx.deps, ctx.operator, name, owner=username, days=days or None, now=ctx.now()
        )
    from models.labels import waktu

    until = waktu(issued.expires_at, ZONE) if issued.expires_at else "sampai dicabut"
    render.console.print(
        f"Token nomor {issued.id} ('{issued.name}') untuk [bold]{issued.owner}[/], "
        f"berlaku {until}:\n[bold]{issued.token}[/]\n"
        "Simpan sekarang: token hanya ditampilkan sekali ini. Kirim sebagai header "
        "'Authorization: Bearer <token>'.",
        soft_wrap=True,
    )


@tokens_app.command("list")
def list_(
    username: Annotated[
        str | None, typer.Argument(metavar="[USER]", help="Hanya token pengguna ini.")
    ] = None,
) -> None:
    """Daftar token API (tanpa isi tokennya)."""
    from models.labels import waktu
    from services.tokens import list_tokens

    with refusals() as ctx:
        tokens = list_tokens(ctx.deps, ctx.operator, owner=username)
        now = ctx.now()
    table = Table("No", "Pengguna", "Nama", "Awalan", "Dibuat", "Terakhir dipakai", "Berlaku s.d.")
    table.add_column("Status")
    for token in tokens:
        table.add_row(
            str(token.id),
            token.owner,
            token.name,
            token.prefix + "…",
            waktu(token.created_at, ZONE),
            waktu(token.last_used_at, ZONE),
            waktu(token.expires_at, ZONE) if token.expires_at else "sampai dicabut",
            token.status(now),
        )
    render.console.print(table)


@tokens_app.command("revoke")
def revoke(
    token_id: Annotated[
        int, typer.Argument(metavar="NOMOR", help="Nomor token (netra tokens list).")
    ],
) -> None:
    """Cabut token API; permintaan dengan token itu ditolak sejak saat ini."""
    from services.tokens import revoke_token

    with refusals() as ctx:
        changed = revoke_token(ctx.deps, ctx.operator, token_id, now=ctx.now())
    render.console.print(
        f"Token nomor {token_id} dicabut." if changed else f"Token nomor {token_id} sudah dicabut."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(tokens_app, name="tokens")
