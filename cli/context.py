"""What every command needs: settings, the rulebook, the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from config.settings import Settings
    from models.access import Actor
    from models.rules.office import Office
    from models.rules.rulebook import Rulebook
    from services.deps import DatabaseDeps, Deps


CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="ID atau nomor perkara.")]


@dataclass
class Context:
    settings: Settings

    @cached_property
    def rulebook(self) -> Rulebook:
        from config.rulebook import load_rulebook

        return load_rulebook(self.settings)

    @cached_property
    def deps(self) -> Deps:
        """The services' dependencies (the case database migrated to the newest schema)."""
        from services.deps import build_deps

        deps = build_deps(self.settings)
        warn_placeholder_signers(deps.rulebook.offices)
        if "database" not in self.__dict__:  # else done there
            announce_first_run(deps)
        return deps

    @cached_property
    def database(self) -> DatabaseDeps:
        """The case database without the rulebook: what a reading command that acts as the
        operator needs (`show`, `users list`, `audit verify`), without the holiday calendar."""
        if "deps" in self.__dict__:
            return self.deps
        from services.deps import DatabaseDeps

        database = DatabaseDeps(self.settings, self.engine)
        warn_placeholder_signers(self.offices)
        announce_first_run(database)
        return database

    @cached_property
    def offices(self) -> dict[str, Office]:
        """The offices (config/offices.yaml), without the rest of the rulebook."""
        if "deps" in self.__dict__:
            return dict(self.deps.rulebook.offices)
        from config.office_data import load_offices

        return load_offices(self.settings.config_dir / "offices.yaml")

    @property
    def engine(self) -> Engine:
        """The case database alone (reading commands need no rulebook)."""
        from services.deps import migrated_engine

        return migrated_engine(self.settings.effective_database_url)

    @property
    def actor(self) -> str:
        """The user name the command acts as (flows take it and look the user up)."""
        return self.operator.username

    @cached_property
    def operator(self) -> Actor:
        """The command line's operator account (NETRA_OPERATOR); every event names it."""
        from cli.render import err_console
        from services.users import UserProblem, actor_named

        try:
            return actor_named(self.database, self.settings.operator)
        except UserProblem as error:
            err_console.print(f"[red]Gagal:[/] akun operator (NETRA_OPERATOR): {error}")
            raise typer.Exit(code=2) from None

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)


_warned: list[bool] = []  # once per process


def warn_placeholder_signers(offices: Mapping[str, Office]) -> None:
    """Letters signed "Contoh Nama Ketua" must not go out: say so whenever a command starts."""
    from cli.render import err_console
    from models.rules.office import placeholder_signers

    if _warned:
        return
    _warned.append(True)
    for office in offices.values():
        if names := placeholder_signers(office):
            err_console.print(
                f"[yellow]Peringatan:[/] {office.short_name} masih memakai nama contoh untuk "
                f"penanda tangan ({'; '.join(names)}). Ganti di config/offices.yaml sebelum "
                "surat dikirim."
            )


def announce_first_run(deps: DatabaseDeps) -> None:
    """On a database without users: create the first admin and the operator account, and print
    the admin's one-time password (the only time it is shown)."""
    from cli.render import err_console
    from services.users import ensure_accounts

    first = ensure_accounts(deps)
    if first is None:
        return
    err_console.print(
        "[bold]Pengguna pertama dibuat.[/] Admin: [bold]"
        f"{first.admin_username}[/], kata sandi sekali pakai: [bold]{first.admin_password}[/] "
        "(hanya ditampilkan sekali ini; wajib diganti saat masuk pertama). Perintah netra "
        f"berjalan sebagai akun operator '{first.operator_username}'."
    )


def build_context() -> Context:
    from config.settings import get_settings  # pydantic-settings: not needed for `--help`

    return Context(get_settings())
