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
TOKEN_NAME = "mesin netra serve"  # the token `netra serve` makes for its engine file
TOKEN_DAYS = 30
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def published(settings: Settings) -> dict[str, Any] | None:
    """The engine file of a `netra serve` still running on this data folder, else None."""
    path = engine_path(settings)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not _alive(int(data.get("pid", 0) or 0)):
        return None
    return data


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


def publish(settings: Settings, *, api_url: str | None, token: str | None, prefect: str) -> None:
    """Write the engine file for this process (atomically; only its owner may read it)."""
    path = engine_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"pid": os.getpid(), "api_url": api_url, "token": token, "prefect_api_url": prefect}
    temporary = path.with_name(f".{ENGINE_FILE}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(data, file)
    temporary.replace(path)


def withdraw(settings: Settings) -> None:
    """Remove the engine file if it is this process's."""
    path = engine_path(settings)
    data = published(settings)
    if data is not None and data.get("pid") == os.getpid():
        path.unlink(missing_ok=True)


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
    if error.code == 401:
        detail = f"token server Netra ditolak ({detail}); periksa NETRA_ENGINE_TOKEN"
    return EngineRefused(error.code, detail, errors)
