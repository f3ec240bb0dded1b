"""What every Prefect flow of Netra shares: tasks without result caching (the database guards
repetition), run names that carry the case number, Indonesian log lines for refused input, mail
delivery that never fails a stage, and publishing the case after each stage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.input.run_input import RunInput, keyset_from_paused_state
from prefect.runtime import flow_run
from prefect.states import Paused
from sqlmodel import Session, col, select

from adapters.db.views import case_label
from adapters.smtp import SmtpConfigError, deliver_pending
from flows.case_page import max_event_id
from flows.publishing import publish_case
from models.report.model import Report
from models.stages import Stage
from models.tables.case import StageEvent
from services.deps import build_deps, resolve_now
from services.notification import deliver_case_mail

NETRA_TASK = task(cache_policy=NO_CACHE, retries=0)
R = TypeVar("R", bound=RunInput)


def run_name(stage: str) -> Callable[[], str]:
    """Name a run after the case as people know it: its Bawaslu number once registered."""

    def name() -> str:
        ref = str(flow_run.parameters.get("case_ref", "?"))
        try:
            return f"{case_label(build_deps().engine, ref)} · {stage}"
        except LookupError:
            return f"perkara {ref} · {stage}"

    return name


async def rename_run(stage: str) -> None:
    """Rename the current run once the case has its number (registration happens inside the
    run whose name was chosen before it), so searching the number finds every run."""
    try:
        async with get_client() as client:
            await client.update_flow_run(UUID(flow_run.id), name=run_name(stage)())
    except Exception as error:  # cosmetic: the registration is recorded either way
        get_run_logger().warning("Nama run tidak diperbarui: %s", error)


HIDDEN = "(disamarkan; lihat basis data Netra)"
HIDDEN_EMAIL = "disamarkan@netra.invalid"
_CONTACTS = {"address": HIDDEN, "phone": HIDDEN, "email": HIDDEN_EMAIL, "birth_place": HIDDEN}


def refuse_hidden_report(report: Report) -> None:
    """A report copied from a run whose parameters were blanked (Retry in the UI) is not the
    report: recording it would make a second case from a changed copy."""
    reporter = report.reporter
    if HIDDEN in (reporter.address, reporter.phone) or reporter.email == HIDDEN_EMAIL:
        raise ValueError(
            "data pelapor pada run ini sudah disamarkan; catat laporan dari berkas aslinya"
        )


async def hide_reporter_contacts() -> None:
    """Prefect keeps a run's parameters and shows them to every UI user. Once the report is in
    Netra's database, the reporter's contact details are blanked in the run's copy."""
    try:
        async with get_client() as client:
            run = await client.read_flow_run(UUID(flow_run.id))
            parameters = dict(run.parameters)
            reporter = parameters.get("report", {}).get("reporter", {})
            for field, mask in _CONTACTS.items():
                if reporter.get(field):
                    reporter[field] = mask
            reporter.pop("birth_date", None)
            await client.update_flow_run(run.id, parameters=parameters)
    except Exception as error:  # the case is recorded; say that the copy stayed visible
        get_run_logger().error("Kontak pelapor pada parameter run gagal disamarkan: %s", error)


async def late_answer(form: type[R], key: str) -> R | None:
    """The input of a Resume that arrived after our own wait ended, if any."""
    async with get_client() as client:
        run = await client.read_flow_run(UUID(flow_run.id))
    if run.state is None or not run.state.is_running():
        return None
    return await form.aload(keyset_from_paused_state(Paused(pause_key=key)))


@contextmanager
def explained_refusal() -> Iterator[None]:
    """A refused input (wrong stage, unknown case, invalid data) is logged in Indonesian before
    the run fails; the stage's transaction was rolled back, so the case is as it was."""
    try:
        yield
    except (ValueError, LookupError) as error:
        get_run_logger().error("Masukan ditolak; perkara tidak berubah. %s", error)
        raise


async def run_stage(
    case_ref: str, now: datetime | None, step: Callable[[datetime], Stage], *, deliver: bool = True
) -> Stage:
    """The shape of a stage flow: the step on the stage's clock (refusals explained), the mail
    it queued sent, then the case published with the events the step recorded."""
    since, when = event_cursor(), resolve_now(now)
    with explained_refusal():
        stage = step(when)
    if deliver:
        await deliver_task(case_ref)
    await publish(case_ref, since, when)
    return stage


def event_cursor() -> int:
    return max_event_id(build_deps().engine)


async def publish(case_ref: str, since_event: int, now: datetime) -> None:
    await publish_case(build_deps(), case_ref, since_event=since_event, now=now)


async def publish_touched(since_event: int, now: datetime, kinds: frozenset[str]) -> None:
    """Publish the events of `kinds` recorded since the cursor (the sweep touches many cases;
    events other flows record meanwhile are theirs to publish)."""
    deps = build_deps()
    with Session(deps.engine) as session:
        ids = session.exec(
            select(StageEvent.case_id)
            .where(col(StageEvent.id) > since_event, col(StageEvent.event).in_(kinds))
            .distinct()
            .order_by(col(StageEvent.case_id))
        ).all()
    for case_id in ids:
        await publish_case(deps, str(case_id), since_event=since_event, now=now, only=kinds)


@NETRA_TASK
async def deliver_task(case_ref: str) -> list[str]:
    """Send the case's queued letters; a server outage leaves them queued for the next run."""
    try:
        report = await deliver_case_mail(build_deps(), case_ref)
    except SmtpConfigError as error:  # the stage itself is recorded; only sending must wait
        get_run_logger().error("Pengaturan SMTP salah, surel tetap dalam antrean: %s", error)
        return []
    if report.connection_error or report.retry_later:
        get_run_logger().warning(
            "Server surel tidak dapat dihubungi (%s); %d surel menunggu.",
            report.connection_error,
            len(report.retry_later),
        )
    return report.sent


@NETRA_TASK
async def deliver_all_task() -> list[str]:
    """Send every queued letter of every case (the sweep's reminders and escalations)."""
    deps = build_deps()
    return (await deliver_pending(deps.engine, deps.settings)).sent
