"""`netra users`: who may use Netra, with which role in which office. The command acts as the
operator account (NETRA_OPERATOR), which must hold the admin role; a new user's one-time
password is printed once and must be changed at their first login to the desk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.table import Table

from cli import render
from cli.context import Context, build_context

UserArg = Annotated[str, typer.Argument(metavar="USER", help="Nama pengguna (akun).")]
RoleOpt = Annotated[
    list[str],
    typer.Option(
        "--role",
        help="KANTOR:PERAN (peran: pemeriksa, pimpinan, admin, auditor; "
        "kantor: kunci di config/offices.yaml, atau * untuk semua kantor).",
    ),
]
RoleArg = Annotated[str, typer.Argument(metavar="KANTOR:PERAN", help="Kantor dan peran.")]

users_app = typer.Typer(help="Pengguna, peran dan kantornya.", no_args_is_help=True)


@contextmanager
def refusals() -> Iterator[Context]:
    """The command's context; a refusal (not an admin, a wrong name) said in Indonesian."""
    from models.access import NotPermitted
    from services.users import UserProblem

    try:
        yield build_context()
    except (UserProblem, NotPermitted) as error:
        render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None


def _print_password(username: str, password: str) -> None:
    render.console.print(
        f"Kata sandi sekali pakai untuk [bold]{username}[/]: [bold]{password}[/]\n"
        "Sampaikan secara langsung; hanya ditampilkan sekali ini dan wajib diganti saat masuk."
    )


@users_app.command("add")
def add(
    username: UserArg,
    name: Annotated[str, typer.Option("--name", help="Nama lengkap.")],
    role: RoleOpt,
    no_login: Annotated[
        bool, typer.Option("--no-login", help="Akun tanpa kata sandi (untuk program/operator).")
    ] = False,
) -> None:
    """Tambah pengguna dengan perannya per kantor."""
    from services.users import add_user, parse_membership

    with refusals() as ctx:
        offices = ctx.deps.rulebook.offices
        roles = [parse_membership(text, offices) for text in role]
        password = add_user(ctx.deps, ctx.operator, username, name, roles, can_log_in=not no_login)
    render.console.print(f"Pengguna {username.strip().lower()} ditambahkan.")
    if password is not None:
        _print_password(username.strip().lower(), password)


@users_app.command("list")
def list_() -> None:
    """Daftar pengguna dengan peran dan statusnya."""
    from services.users import list_users

    with refusals() as ctx:
        users = list_users(ctx.database, ctx.operator)
    table = Table("Pengguna", "Nama", "Peran", "Status")
    for user in users:
        roles = ", ".join(f"{m.office_key}:{m.role.value}" for m in sorted(user.memberships))
        status = "aktif" if user.active else "nonaktif"
        if not user.can_log_in:
            status += ", tanpa login"
        elif user.must_change_password:
            status += ", wajib ganti kata sandi"
        table.add_row(user.username, user.name, roles, status)
    render.console.print(table)


def _switch(active: bool) -> Callable[[str], None]:
    def command(username: UserArg) -> None:
        from services.users import set_active

        with refusals() as ctx:
            set_active(ctx.deps, ctx.operator, username, active=active, now=ctx.now())
        render.console.print(f"Pengguna {username} {'diaktifkan' if active else 'dinonaktifkan'}.")

    command.__doc__ = "Aktifkan kembali pengguna." if active else "Nonaktifkan pengguna."
    return command


users_app.command("disable")(_switch(False))
users_app.command("enable")(_switch(True))


@users_app.command("reset-password")
def reset(username: UserArg) -> None:
    """Beri kata sandi sekali pakai yang baru."""
    from services.users import reset_password

    with refusals() as ctx:
        password = reset_password(ctx.deps, ctx.operator, username)
    _print_password(username, password)


def _roles(granted: bool) -> Callable[[str, str], None]:
    def command(username: UserArg, role: RoleArg) -> None:
        from services.users import change_roles, parse_membership

        with refusals() as ctx:
            membership = parse_membership(role, ctx.deps.rulebook.offices)
            changed = change_roles(ctx.deps, ctx.operator, username, membership, granted=granted)
        what = "diberikan" if granted else "dicabut"
        render.console.print(
            f"Peran {role} {what} untuk {username}." if changed else "Tidak ada yang berubah."
        )

    command.__doc__ = "Beri peran di satu kantor." if granted else "Cabut peran di satu kantor."
    return command


users_app.command("grant")(_roles(True))
users_app.command("revoke")(_roles(False))


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
