"""The server side of the warm engine (`cli.engine`): `netra serve` claims its data folder (the
engine lock), clears what a killed serve left, publishes the engine file with a token of the
operator account once its desk answers, and withdraws both when it stops."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from typing import TYPE_CHECKING

from cli import render
from cli.context import build_context

if TYPE_CHECKING:
    from config.settings import Settings

DESK_START_SECONDS = 180  # the desk imports Prefect and the templates first


def in_use(host: str, port: int) -> bool:
    """Whether something listens on `host`:`port` (0.0.0.0: this machine)."""
    with socket.socket() as probe:
        return probe.connect_ex((host if host != "0.0.0.0" else "127.0.0.1", port)) == 0


def claim_engine(settings: Settings) -> int | None:
    """Hold this data folder's engine lock for as long as this `netra serve` runs, and clear
    what a serve that ended without cleaning up left (its file): the id of its token, to
    revoke. Refused when another `netra serve` runs on this data folder."""
    from cli.engine import engine_path, hold_engine_lock, read_file

    if hold_engine_lock(settings) is None:
        raise RuntimeError(
            f"netra serve lain sudah berjalan pada folder data ini ({settings.var_dir})"
        )
    left = read_file(settings)
    engine_path(settings).unlink(missing_ok=True)
    stale = left.get("token_id") if left is not None else None
    return stale if isinstance(stale, int) else None


def publish_engine(
    settings: Settings,
    host: str,
    web_port: int,
    desk: subprocess.Popen[bytes] | None,
    stale_token: int | None,
) -> int | None:
    """Once the desk answers, make its engine token for the operator account (revoked when
    serve stops; the token a killed serve left, now) and write the engine file
    (`cli.engine`); the token's id. Without a desk only the Prefect server's address is
    published (commands use it instead of a temporary server)."""
    from cli.engine import TOKEN_NAME, publish

    prefect = os.environ["PREFECT_API_URL"]
    if desk is None:
        publish(settings, api_url=None, token=None, prefect=prefect)
        return None
    reach = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    deadline = time.monotonic() + DESK_START_SECONDS
    while not in_use(reach, web_port):
        if desk.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("meja kerja berhenti saat dinyalakan; lihat var/web.log")
        time.sleep(0.2)
    from services.tokens import create_token

    ctx = build_context()
    if stale_token is not None:
        _revoke(stale_token)
    # No expiry: it lives as long as this serve (revoked at stop, or at the next start).
    issued = create_token(ctx.deps, ctx.operator, TOKEN_NAME, days=None, now=ctx.now())
    api_url = f"http://{reach}:{web_port}/api/v1"
    publish(settings, api_url=api_url, token=issued.token, prefect=prefect, token_id=issued.id)
    return issued.id


def _revoke(token_id: int) -> None:
    from services.tokens import revoke_token
    from services.users import UserProblem

    ctx = build_context()
    try:
        revoke_token(ctx.deps, ctx.operator, token_id, now=ctx.now())
    except UserProblem as error:  # already gone (another database, an admin revoked it)
        render.err_console.print(f"[yellow]Token mesin lama tidak dicabut:[/] {error}")


def withdraw_engine(settings: Settings, token_id: int | None) -> None:
    """Remove the engine file and revoke its token."""
    from cli.engine import withdraw

    withdraw(settings)
    if token_id is not None:
        try:
            _revoke(token_id)
        except Exception as error:  # stopping goes on; the next start revokes it
            render.err_console.print(f"[yellow]Token mesin tidak dapat dicabut:[/] {error}")
