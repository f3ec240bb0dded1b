"""`netra web`: the staff desk alone (uvicorn), for production behind a TLS proxy; `netra serve`
also starts it beside the Prefect UI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Annotated, Any

import typer

from cli import render
from cli.context import build_context
from cli.lifeline import lifeline_command
from cli.prefect_env import configure_prefect


def start_desk(host: str, port: int, log: Path, command: str = "web") -> subprocess.Popen[bytes]:
    """`netra web` (or `netra publik`) as a child process with this process's environment (its
    PREFECT_API_URL: the desk's stage runs go to the same Prefect server)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen(
            lifeline_command("cli.main", command, "--host", host, "--port", str(port)),
            env=dict(os.environ),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _serve(app: Any, host: str, port: int, forwarded_allow_ips: str) -> None:
    """Serve `app` (the desk or the public site) with uvicorn, trusting the given proxies'
    forwarded headers."""
    import uvicorn

    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        log_level="warning",
    )


def register(app: typer.Typer) -> None:
    @app.command()
    def web(
        host: Annotated[str, typer.Option(help="Alamat meja kerja.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port meja kerja.")] = 8080,
        forwarded_allow_ips: Annotated[
            str,
            typer.Option(
                help="Proksi yang dipercaya untuk X-Forwarded-For/-Proto (alamat klien untuk "
                "pembatasan login, https untuk cookie Secure)."
            ),
        ] = "127.0.0.1",
    ) -> None:
        """Meja kerja staf (web): register, halaman perkara, formulir setiap tahap."""
        from web.app import create_app

        ctx = build_context()
        ctx.deps  # noqa: B018  (migrates the database, creates the first admin and says so)
        configure_prefect(ctx.settings)
        if not os.environ.get("PREFECT_API_URL"):
            render.err_console.print(
                "[yellow]Peringatan:[/] PREFECT_API_URL belum diatur: setiap tindakan di meja "
                "kerja menyalakan server Prefect sementara dan run-nya tidak tampak di Prefect UI."
            )
        render.console.print(f"Meja kerja Netra: http://{host}:{port}")
        _serve(create_app(ctx.settings), host, port, forwarded_allow_ips)

    @app.command()
    def publik(
        host: Annotated[str, typer.Option(help="Alamat situs publik.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port situs publik.")] = 8081,
        forwarded_allow_ips: Annotated[
            str,
            typer.Option(
                help="Proksi yang dipercaya untuk X-Forwarded-For/-Proto (alamat pengunjung untuk "
                "pembatasan, https untuk cookie Secure)."
            ),
        ] = "127.0.0.1",
    ) -> None:
        """Situs publik: laporan daring, lacak laporan, verifikasi surat, hasil kajian awal."""
        from web.public.app import create_public_app

        ctx = build_context()
        ctx.deps  # noqa: B018  (migrates the database)
        configure_prefect(ctx.settings)
        render.console.print(f"Situs publik Netra: http://{host}:{port}")
        _serve(create_public_app(ctx.settings), host, port, forwarded_allow_ips)
