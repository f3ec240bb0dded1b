"""A Prefect API that answers 500 once (a loaded server on SQLite) is asked again, with back-off,
by every Netra process: the setting comes from pyproject's [tool.prefect.client]."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

from cli.prefect_env import prefect_defaults


class _FlakyApi(BaseHTTPRequestHandler):
    """Answers 500 to the first request, then 200."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status = 500 if len(self.seen) == 1 else 200
        body = b'{"detail": "database is locked"}' if status == 500 else b'"hello"'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if status == 500:
            self.send_header("Retry-After", "0")  # the back-off itself is Prefect's, not tested
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_500_from_the_prefect_api_is_retried() -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_CLIENT_RETRY_EXTRA_CODES,
        temporary_settings,
    )

    codes = prefect_defaults()["PREFECT_CLIENT_RETRY_EXTRA_CODES"]
    assert {"500", "504"} <= set(codes.split(","))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FlakyApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/api"

    async def hello() -> int:
        async with get_client() as client:
            return (await client.hello()).status_code

    try:
        with temporary_settings({PREFECT_API_URL: url, PREFECT_CLIENT_RETRY_EXTRA_CODES: codes}):
            assert asyncio.run(hello()) == 200
    finally:
        server.shutdown()
    assert _FlakyApi.seen == ["/api/hello", "/api/hello"]
