"""`netra link` and `netra unlink`: a person links two related cases, or removes the link, through
the `tautan-perkara` flow. Intake links automatically and says so (`netra intake`)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from cli import render
from cli.context import CaseArg, build_context
from cli.prefect_env import configure_prefect
from cli.running import run_flow

OtherArg = Annotated[str, typer.Argument(metavar="OTHER", help="ID atau nomor perkara lain.")]
ReasonOpt = Annotated[str, typer.Option(help="Alasan.")]

# What the command says, by the name of its `models.links.LinkAction` (imported when it runs).
_DONE = {
    "LINK": ("ditautkan", "sudah tertaut; tidak dicatat dua kali"),
    "UNLINK": ("dilepas tautannya", "tautannya sudah dilepas; tidak dicatat dua kali"),
}


def _run(action: Literal["LINK", "UNLINK"], case_ref: str, other_ref: str, reason: str) -> None:
    from adapters.db.views import case_label_of
    from models.links import LinkAction
    from models.outcomes import StageOutcome

    ctx = build_context()
    configure_prefect(ctx.settings)
    from flows.links import link_flow

    result = run_flow(lambda: link_flow(case_ref, other_ref, reason, LinkAction[action], ctx.actor))
    done, again = _DONE[action]
    said = done if result.outcome is StageOutcome.MOVED else again
    other = case_label_of(ctx.engine, other_ref)
    render.console.print(f"Perkara {result.label} dan perkara {other}: {said}.")
    print_related(result.case_ref)


def print_related(case_ref: str) -> None:
    """The case's links in force, one line each, or that it has none."""
    from adapters.db.cases import case_label
    from adapters.db.views import case_view
    from models.links import link_line

    view = case_view(build_context().engine, case_ref)
    if not view.related:
        render.console.print(f"Perkara {case_label(view.case)} tidak mempunyai perkara terkait.")
    for x in view.related:
        render.console.print(f"Perkara terkait: {link_line(case_label(x.other), x.link.reason)}")


def link(case_ref: CaseArg, other_ref: OtherArg, reason: ReasonOpt) -> None:
    """Tautkan dua perkara yang berkaitan (tidak digabung)."""
    _run("LINK", case_ref, other_ref, reason)


def unlink(case_ref: CaseArg, other_ref: OtherArg, reason: ReasonOpt) -> None:
    """Lepaskan tautan dua perkara; tautan semula tetap tercatat dalam riwayat."""
    _run("UNLINK", case_ref, other_ref, reason)


def register(app: typer.Typer) -> None:
    app.command("link")(link)
    app.command("unlink")(unlink)
