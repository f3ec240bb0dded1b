"""`netra serve`: the Prefect UI on embedded defaults, every stage as a deployment, the hourly
sweep and the automations, in one command that stops cleanly on Ctrl-C.

Without PREFECT_API_URL it starts a local Prefect server (its data under var/prefect) and a
read-only letter server so the UI's links to letters open; the server asks for a login, created
on the first run in var/prefect-login and printed once. With PREFECT_API_URL it only serves the
deployments against that server (the production shape, see README)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import urllib.request
from datetime import timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.context import build_context
from cli.engine_host import claim_engine, in_use, publish_engine, withdraw_engine
from cli.lifeline import lifeline_command
from cli.prefect_env import configure_prefect, ensure_login, login_path
from cli.web import start_desk

if TYPE_CHECKING:
    from cli.local.mail_sink import MailSink
    from config.settings import Settings

SERVER_START_SECONDS = 180  # a fresh server migrates its database first: ~10 s here, more if busy


def start_prefect_server(
    home: Path,
    host: str,
    port: int,
    *,
    database_url: str | None = None,
    login: str | None = None,
) -> subprocess.Popen[bytes]:
    """`prefect server start` with its data under `home`, or in `database_url` (PostgreSQL,
    `NETRA_PREFECT_DATABASE_URL`) when given; behind basic auth when `login` (`user:password`)
    is given: the UI then asks for it, and the API refuses a request without it."""
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_UI_ENABLED": "true",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_API_URL": f"http://{host}:{port}/api",
    }
    if database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    if login:
        env["PREFECT_SERVER_API_AUTH_STRING"] = login
    env.pop("PREFECT_API_URL", None)
    home.mkdir(parents=True, exist_ok=True)
    with (home / "server.log").open("ab") as log:
        return subprocess.Popen(
            lifeline_command("prefect", "server", "start", "--host", host, "--port", str(port)),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop the server ourselves, in order
        )


def wait_until_healthy(api_url: str, server: subprocess.Popen[bytes] | None) -> None:
    """Wait for the server we started, or check once more the one PREFECT_API_URL names."""
    deadline = time.monotonic() + (SERVER_START_SECONDS if server else 10)
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(
                "server Prefect berhenti saat dinyalakan; lihat var/prefect/server.log"
            )
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server Prefect di {api_url} tidak menjawab")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _letters_or_exit(folder: Path, port: int) -> ThreadingHTTPServer:
    from cli.local.letter_server import start_letter_server

    ctx = build_context()
    try:
        return start_letter_server(folder, port, ctx.engine, ctx.actor)
    except OSError as error:
        render.err_console.print(f"[red]Gagal:[/] port surat {port} tidak dapat dipakai: {error}")
        raise typer.Exit(code=2) from None


def _stop_like_ctrl_c(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _start_mail_sink(folder: Path, wanted: bool | None, settings: Settings) -> MailSink | None:
    """On embedded defaults (no SMTP server configured) mail goes to a local SMTP server that
    saves .eml files, as in the demo; flow runs (subprocesses of the runner) learn its port from
    the environment, the transport of settings to them."""
    if wanted is False or (wanted is None and "smtp_host" in settings.model_fields_set):
        return None
    from cli.local.mail_sink import MailSink

    sink = MailSink(folder, port=0).start()
    os.environ.update(
        NETRA_SMTP_HOST="127.0.0.1", NETRA_SMTP_PORT=str(sink.port), NETRA_SMTP_SECURITY="none"
    )
    render.console.print(f"Surel disimpan sebagai .eml di {folder} (server SMTP lokal).")
    return sink


def _login(settings: Settings) -> str:
    """The UI's login: created on the first run and shown once; this process and the runs it
    starts send it (`PREFECT_API_AUTH_STRING`)."""
    login, created = ensure_login(settings)
    os.environ.setdefault("PREFECT_API_AUTH_STRING", login)
    path = login_path(settings)
    if created:
        render.console.print(
            f"Login Prefect UI (ditampilkan sekali ini saja): [bold]{login}[/]\n"
            f"Tersimpan di {path} (hanya dapat dibaca pemiliknya); ketik seluruhnya, "
            "termasuk 'netra:', di kolom Login."
        )
    elif os.environ.get("PREFECT_SERVER_API_AUTH_STRING"):
        render.console.print("Login Prefect UI: nilai PREFECT_SERVER_API_AUTH_STRING.")
    else:
        render.console.print(f"Login Prefect UI: isi berkas {path}.")
    return login


async def _serve(sweep_minutes: float, reminder_hours: float) -> None:
    from prefect import aserve
    from prefect.deployments import arun_deployment

    from flows.scheduled import sweep_flow
    from flows.serving import DEPLOYMENT, build_deployments, install_automations

    deployments = await build_deployments(
        sweep_every=timedelta(minutes=sweep_minutes), approval_reminder_hours=reminder_hours
    )
    ids = {f"{d.flow_name}/{d.name}": await d.aapply() for d in deployments}
    automations = await install_automations(reminder_hours, timedelta(minutes=sweep_minutes))
    # One sweep now, so the register and the deadlines are current before the first hour passes.
    await arun_deployment(f"{sweep_flow.name}/{DEPLOYMENT}", timeout=0)
    render.console.print("Deployment: " + ", ".join(sorted(ids)))
    render.console.print("Otomasi: " + ", ".join(automations))
    render.console.print("Siap. Tekan Ctrl-C untuk berhenti.")
    await aserve(*deployments, pause_on_shutdown=False, print_starting_message=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def automations(
        reminder_hours: Annotated[
            float, typer.Option(help="Ingatkan pimpinan setelah sekian jam menunggu persetujuan.")
        ] = 24,
        sweep_minutes: Annotated[
            float,
            typer.Option(
                help="Jarak antarpenyapuan tenggat (jadwal deployment sapu-tenggat); kantor "
                "diperingatkan bila dua jarak berlalu tanpa sapuan yang selesai."
            ),
        ] = 60,
    ) -> None:
        """Pasang otomasi Netra di server PREFECT_API_URL (setelah `prefect deploy --all`)."""
        configure_prefect(build_context().settings)
        if not os.environ.get("PREFECT_API_URL"):
            render.err_console.print("[red]Gagal:[/] PREFECT_API_URL belum diatur.")
            raise typer.Exit(code=2)
        from flows.serving import install_automations

        try:
            every = timedelta(minutes=sweep_minutes)
            names = asyncio.run(install_automations(reminder_hours, every))
        except Exception as error:  # the server answers in English; say what to check
            render.err_console.print(f"[red]Gagal memasang otomasi:[/] {error}")
            raise typer.Exit(code=2) from None
        render.console.print("Otomasi terpasang: " + ", ".join(names))

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Alamat server Prefect dan server surat.")] = (
            "127.0.0.1"
        ),
        port: Annotated[int, typer.Option(help="Port Prefect UI/API.")] = 4200,
        letters_port: Annotated[int, typer.Option(help="Port server surat (baca saja).")] = 4201,
        sweep_minutes: Annotated[float, typer.Option(help="Jarak antarpenyapuan tenggat.")] = 60,
        reminder_hours: Annotated[
            float, typer.Option(help="Ingatkan pimpinan setelah sekian jam menunggu persetujuan.")
        ] = 24,
        web_port: Annotated[
            int, typer.Option(help="Port meja kerja staf (0: tanpa meja kerja).")
        ] = 8080,
        public_port: Annotated[
            int, typer.Option(help="Port situs publik (0: tanpa situs publik).")
        ] = 8081,
        mail_sink: Annotated[
            bool | None,
            typer.Option(
                help="Simpan surel sebagai .eml di var/mail alih-alih mengirimnya "
                "(bawaan: ya bila NETRA_SMTP_HOST tidak diatur)."
            ),
        ] = None,
    ) -> None:
        """Prefect UI lokal: setiap tahap sebagai deployment, penyapuan tenggat terjadwal."""
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")  # run logs are read in the UI
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started in background
        signal.signal(signal.SIGTERM, _stop_like_ctrl_c)  # a service manager's stop: same cleanup
        settings = build_context().settings
        try:
            stale_token = claim_engine(settings)
        except RuntimeError as error:
            render.err_console.print(f"[red]Gagal:[/] {error}")
            raise typer.Exit(code=2) from None
        configure_prefect(settings)
        server = letters = sink = desk = public = None
        published = False
        token_id: int | None = None
        try:
            letters = _letters_or_exit(settings.letters_dir, letters_port)
            os.environ.setdefault("NETRA_LETTERS_BASE_URL", f"http://127.0.0.1:{letters_port}")
            sink = _start_mail_sink(settings.mail_dir, mail_sink, settings)
            if os.environ.get("PREFECT_API_URL"):
                wait_until_healthy(os.environ["PREFECT_API_URL"], None)
            else:
                if in_use(host, port):
                    raise RuntimeError(f"port {port} sudah dipakai; pilih yang lain dengan --port")
                home = Path(os.environ["PREFECT_HOME"])
                login = _login(settings)
                server = start_prefect_server(
                    home, host, port, database_url=settings.prefect_database_url, login=login
                )
                api_url = f"http://{host}:{port}/api"
                render.console.print(f"Menyalakan server Prefect di http://{host}:{port} ...")
                wait_until_healthy(api_url, server)
                os.environ["PREFECT_API_URL"] = api_url
            ui = os.environ["PREFECT_API_URL"].removesuffix("/api")
            os.environ.setdefault("NETRA_PREFECT_UI_URL", ui)  # the alerts' links to runs
            render.console.print(f"Prefect UI: {ui}")
            if web_port:
                if in_use(host, web_port):
                    raise RuntimeError(
                        f"port {web_port} sudah dipakai; pilih yang lain dengan --web-port"
                    )
                desk = start_desk(host, web_port, settings.var_dir / "web.log")
                render.console.print(f"Meja kerja staf: http://{host}:{web_port}")
            if public_port:
                if in_use(host, public_port):
                    raise RuntimeError(
                        f"port {public_port} sudah dipakai; pilih yang lain dengan --public-port"
                    )
                public = start_desk(host, public_port, settings.var_dir / "publik.log", "publik")
                render.console.print(f"Situs publik: http://{host}:{public_port}")
            published = True
            token_id = publish_engine(settings, host, web_port, desk, stale_token)
            asyncio.run(_serve(sweep_minutes, reminder_hours))
        except KeyboardInterrupt:
            render.console.print("Dihentikan.")
        except RuntimeError as error:
            render.err_console.print(f"[red]Gagal:[/] {error}")
            raise typer.Exit(code=2) from None
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip cleanup
            if published:
                withdraw_engine(settings, token_id)
            if letters is not None:
                letters.shutdown()
            if sink is not None:
                sink.stop()
            for child in (desk, public):
                if child is not None:
                    stop_process(child)
            if server is not None:
                stop_process(server)
