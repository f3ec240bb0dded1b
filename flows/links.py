"""Linking related cases by hand (issue 10, Build 6): one flow, one deployment, with the action
chosen on its form. Intake links automatically (flows/stages.py `intake_flow`)."""

from __future__ import annotations

from datetime import datetime

from prefect import flow

from flows.support import NETRA_TASK, acting, refusals_logged, run_name, start_run
from models.links import LinkAction
from models.outcomes import StageResult
from services.deps import get_deps
from services.links import link_cases, unlink_cases

link_task = NETRA_TASK(link_cases)
unlink_task = NETRA_TASK(unlink_cases)
_SERVICES = {LinkAction.LINK: link_task, LinkAction.UNLINK: unlink_task}


@flow(name="tautan-perkara", flow_run_name=run_name("tautan"))
async def link_flow(
    case_ref: str,
    other_ref: str,
    reason: str,
    action: LinkAction = LinkAction.LINK,
    actor: str = "",
    now: datetime | None = None,
) -> StageResult:
    """Tautkan dua perkara yang berkaitan (terlapor atau kejadian yang sama), atau lepaskan
    tautannya. Perkara tidak digabung: masing-masing tetap dengan nomor, tenggat dan suratnya;
    tautan yang dilepas tetap tercatat dalam riwayat.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        other_ref: Perkara lain yang ditautkan atau dilepas (nomor urut atau nomor registrasi).
        reason: Alasan menautkan atau melepas tautan.
        action: tautkan (menautkan) atau lepaskan (melepas tautan).
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = _SERVICES[action](
            get_deps(), case_ref, other_ref, reason=reason, actor=acting(actor), now=run.now
        )
    await run.finish(result, deliver=False, related=[other_ref])
    return result
