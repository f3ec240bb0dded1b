"""What every Prefect flow of Netra shares: tasks without result caching (the database guards
repetition), the run's clock and the events it published, Indonesian log lines for refused
input, run names that carry the case number, and mail delivery that never fails a stage.

What Prefect stores (parameters, run names, logs, state messages, artifacts, events) carries
references (a submission or case number, names of officials), never a report, a NIP or a
contact detail: reports reach a flow as a submission number (`services.submission`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.runtime import flow_run

from adapters.db.audit import set_origin
from adapters.db.views import case_label_of, max_event_id
from adapters.smtp import SmtpConfigError
from flows.publishing import publish_case
from models.access import Actor
from models.outcomes import StageResult
from services.deps import get_deps, resolve_now
from services.notification import deliver_mail
from services.users import actor_named

NETRA_TASK = task(cache_policy=NO_CACHE, retries=0)


def acting(username: str) -> Actor:
    """The Netra user a run acts for, by their user name (a flow's `actor` parameter): unknown
    or disabled users are refused; "sistem" is Netra itself."""
    return actor_named(get_deps(), username)


def run_name(stage: str, subject: str = "perkara {case_ref}") -> str:
    """The name a stage run starts with (`perkara 7 · kajian awal`, `kiriman 3 · penerimaan`);
    the run is renamed after the case as people know it (`001/LP/PW/... · kajian awal`) once
    the stage has run."""
    return subject + SEPARATOR + stage


SEPARATOR = " · "


@dataclass(frozen=True)
class StageRun:
    """One stage run: its clock, and the newest case event before it (it publishes the ones
    it adds)."""

    now: datetime
    since_event: int

    async def finish(
        self, result: StageResult, *, deliver: bool = True, related: Iterable[str] = ()
    ) -> None:
        """Send the mail the stage queued, name the run after the case, and publish the case
        with the events the stage recorded; and the `related` cases the stage also recorded
        events on (a link is an event on both cases)."""
        if deliver:
            await deliver_task(result.case_ref)
        name_run(result.label)
        for case_ref in (result.case_ref, *related):
            await publish_case(get_deps(), case_ref, since_event=self.since_event, now=self.now)


def start_run(now: datetime | None) -> StageRun:
    set_origin("prefect", unless_set=True)  # a run started by `netra` in-process stays "cli"
    return StageRun(resolve_now(now), max_event_id(get_deps().engine))


@contextmanager
def refusals_logged(case_ref: str | None = None) -> Iterator[None]:
    """A refused input (wrong data, unknown case, a rule's refusal) is logged in Indonesian
    before the run fails; the stage's transaction was rolled back, so the case is as it was. The
    failed run is named after the case too, so searching its number finds it."""
    try:
        yield
    except (ValueError, LookupError, PermissionError) as error:
        get_run_logger().error("Masukan ditolak; perkara tidak berubah. %s", error)
        if case_ref is not None:
            with suppress(LookupError):
                name_run(case_label_of(get_deps().engine, case_ref))
        raise


def _named(label: str) -> str | None:
    """The run's name with the case part replaced by `label`; None if it already is."""
    current = flow_run.name or ""
    if SEPARATOR not in current:
        return None
    name = label + SEPARATOR + current.split(SEPARATOR, 1)[1]
    return None if name == current else name


def name_run(label: str) -> None:
    """Rename the current run after the case (registration happens inside a run whose name was
    chosen before it), so searching the case number finds every run of the case."""
    if (name := _named(label)) is None:
        return
    try:
        with get_client(sync_client=True) as client:
            client.update_flow_run(UUID(flow_run.id), name=name)
    except Exception as error:  # cosmetic: the stage is recorded either way
        get_run_logger().warning("Nama run tidak diperbarui: %s", error)


@NETRA_TASK
async def deliver_task(case_ref: str | None = None) -> list[str]:
    """Send the queued letters of one case (or of every case); a server outage leaves them
    queued for the next run."""
    try:
        report = await deliver_mail(get_deps(), case_ref)
    except SmtpConfigError as error:  # the stage itself is recorded; only sending must wait
        get_run_logger().error("Pengaturan SMTP salah, surel tetap dalam antrean: %s", error)
        return []
    if report.tampered:
        get_run_logger().error(
            "%d surel tidak dikirim karena berkas suratnya berubah sejak diterbitkan: %s "
            "(lihat netra mail-pending)",
            len(report.tampered),
            ", ".join(report.tampered),
        )
    if report.connection_error or report.retry_later:
        get_run_logger().warning(
            "Server surel tidak dapat dihubungi (%s); %d surel menunggu.",
            report.connection_error,
            len(report.retry_later),
        )
    return report.sent
