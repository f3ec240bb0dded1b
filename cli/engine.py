"""The warm engine: a running `netra serve` does the stage work of commands.

`netra serve` keeps one long-lived desk process (`netra web`) that has Prefect, the templates
and the rulebook loaded and runs every stage flow in-process against the served Prefect server.
When it is up it publishes, in the data folder, `engine.json` (readable by its owner only): the
desk's API address, a token of the command line's operator account made for it, the Prefect
server's address and its own process id. A stage command (`netra verify`, `clarify`, ...) then
posts its input to the desk's API and prints the answer, without importing Prefect or starting a
Prefect server of its own; every other command that runs a flow uses the served Prefect server
instead of a temporary one (`cli.prefect_env.configure_prefect`).

Another machine reaches a production desk with `NETRA_ENGINE_URL` and a personal token
(`NETRA_ENGINE_TOKEN`, `netra tokens add`). `NETRA_USE_ENGINE=false` always runs here.

Only the standard library is imported here: the command's start-up is what this saves.
"""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.settings import Settings

ENGINE_FILE = "engine.json"
LOCK_FILE = "engine.lock"  # held by the running `netra serve` (flock)
TOKEN_NAME = "mesin netra serve"  # the token `netra serve` makes for its engine file
TIMEOUT_SECONDS = 900.0  # a stage that sends mail to a slow server may take minutes


@dataclass(frozen=True)
class Engine:
    """Where stage work is handed: the desk's API (`.../api/v1`) and the token to send.
    `local`: found in this data folder (the desk shares this machine's case database)."""

    api_url: str
    token: str
    local: bool


class EngineDown(Exception):
    """The engine could not be reached before anything was sent."""


class EngineRefused(Exception):
    """The engine answered with a problem (RFC 9457): said in Indonesian, nothing recorded."""

    def __init__(self, status: int, detail: str, errors: list[str]) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def engine_path(settings: Settings) -> Path:
    return settings.var_dir / ENGINE_FILE


def _lock_path(settings: Settings) -> Path:
    return settings.var_dir / LOCK_FILE


def fingerprint(settings: Settings) -> str:
    """Which case database and operator account a command works with: a command hands its work
    to a serve only when both are the same (a digest: the URL may hold a password)."""
    seen = f"{settings.effective_database_url}\n{settings.operator}"
    return hashlib.sha256(seen.encode("utf-8")).hexdigest()


def _serve_running(settings: Settings) -> bool:
    """Whether a `netra serve` holds this data folder's engine lock (the kernel releases it when
    that process ends, however it ends: a reused process id cannot fool it)."""
    try:
        descriptor = os.open(_lock_path(settings), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def hold_engine_lock(settings: Settings) -> int | None:
    """Take this data folder's engine lock for this process (kept until it ends); None when
    another `netra serve` holds it."""
    path = _lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def read_file(settings: Settings) -> dict[str, Any] | None:
    """The engine file as it stands, whoever wrote it (None: none, or unreadable)."""
    try:
        data = json.loads(engine_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def published(settings: Settings) -> dict[str, Any] | None:
    """The engine file of a `netra serve` running on this data folder, for this command's case
    database and operator; else None."""
    if not settings.use_engine:
        return None
    data = read_file(settings)
    if data is None or data.get("fingerprint") != fingerprint(settings):
        return None
    return data if _serve_running(settings) else None


def find_engine(settings: Settings) -> Engine | None:
    """The engine stage commands hand their work to: the configured one, else a running
    `netra serve`'s desk on this data folder, else None (the command runs the flow here)."""
    if not settings.use_engine:
        return None
    if settings.engine_url:
        token = settings.engine_token.get_secret_value() if settings.engine_token else ""
        return Engine(settings.engine_url.rstrip("/"), token, local=False)
    data = published(settings)
    if data is None or not data.get("api_url") or not data.get("token"):
        return None
    return Engine(str(data["api_url"]).rstrip("/"), str(data["token"]), local=True)


def publish(
    settings: Settings,
    *,
    api_url: str | None,
    token: str | None,
    prefect: str,
    token_id: int | None = None,
) -> None:
    """Write the engine file for this process (atomically; only its owner may read it). The
    caller holds the engine lock (`hold_engine_lock`)."""
    path = engine_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "pid": os.getpid(),
        "fingerprint": fingerprint(settings),
        "api_url": api_url,
        "token": token,
        "token_id": token_id,
        "prefect_api_url": prefect,
    }
    temporary = path.with_name(f".{ENGINE_FILE}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(data, file)
    temporary.replace(path)


def withdraw(settings: Settings) -> None:
    """Remove the engine file if it is this process's."""
    data = read_file(settings)
    if data is not None and data.get("pid") == os.getpid():
        engine_path(settings).unlink(missing_ok=True)


def post(engine: Engine, path: str, body: Any) -> dict[str, Any]:
    """POST `body` (JSON; None: no body) to the engine's `path`; the answer's JSON. Raises
    `EngineDown` when nothing could be sent, `EngineRefused` for a problem answered."""
    data = b"" if body is None else json.dumps(body).encode("utf-8")
    kind = {} if body is None else {"Content-Type": "application/json"}
    return _call(engine, urllib.request.Request(engine.api_url + path, data, kind, method="POST"))


def get(engine: Engine, path: str, query: dict[str, str]) -> dict[str, Any]:
    """GET the engine's `path` with `query`; the answer's JSON (errors as for `post`)."""
    url = f"{engine.api_url}{path}?{urllib.parse.urlencode(query)}"
    return _call(engine, urllib.request.Request(url, method="GET"))


def _call(engine: Engine, request: urllib.request.Request) -> dict[str, Any]:
    request.add_header("Authorization", f"Bearer {engine.token}")
    request.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as error:
        raise _refusal(error) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError | FileNotFoundError):
            raise EngineDown(str(error.reason)) from None
        raise EngineRefused(0, f"server Netra di {engine.api_url} tidak menjawab", []) from None
    except (ConnectionError, TimeoutError, http.client.HTTPException):  # cut off mid-answer
        raise EngineRefused(
            0,
            f"jawaban server Netra di {engine.api_url} terputus; lihat tahap perkara dengan "
            "`netra show` lalu ulangi perintah ini bila perlu (tidak ada yang dikerjakan dua kali)",
            [],
        ) from None


def _refusal(error: urllib.error.HTTPError) -> EngineRefused:
    try:
        problem = json.loads(error.read())
    except ValueError:
        problem = {}
    if not isinstance(problem, dict):
        problem = {}
    detail = str(problem.get("detail") or problem.get("title") or f"HTTP {error.code}")
    errors = [
        f"{item.get('path') or '-'}: {item.get('message')}"
        for item in problem.get("errors") or []
        if isinstance(item, dict)
    ]
    return EngineRefused(error.code, detail, errors)
