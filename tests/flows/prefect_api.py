"""Reading back what the flows published to the Prefect server: artifacts, events, logs."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.client.schemas.sorting import ArtifactSort


async def artifacts(key: str, since: datetime) -> list[Any]:
    """Every version of the artifact `key` created since `since`, oldest first."""
    async with get_client() as client:
        found = await client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
            sort=ArtifactSort.CREATED_DESC,
        )
    return [a for a in reversed(found) if a.created and a.created >= since]


async def events(prefix: str, since: datetime, expected: int, wait: float = 20) -> list[Any]:
    """Events whose name starts with `prefix`, waiting until `expected` of them are stored
    (events reach the server asynchronously) or `wait` seconds pass."""
    body = {
        "filter": {
            "occurred": {"since": since.isoformat()},
            "event": {"prefix": [prefix]},
            "order": "ASC",
        },
        "limit": 50,
    }
    found: list[Any] = []
    async with get_client() as client:
        for _ in range(int(wait * 4)):
            response = await client._client.post("/events/filter", json=body)
            response.raise_for_status()
            found = response.json()["events"]
            if len(found) >= expected:
                break
            await asyncio.sleep(0.25)
    return found


async def run_logs(flow_run_id: UUID, containing: str, wait: float = 20) -> list[str]:
    """The run's log lines, waiting until one contains `containing` (logs arrive in batches)."""
    messages: list[str] = []
    async with get_client() as client:
        for _ in range(int(wait * 4)):
            logs = await client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
            )
            messages = [log.message for log in logs]
            if any(containing in message for message in messages):
                break
            await asyncio.sleep(0.25)
    return messages
