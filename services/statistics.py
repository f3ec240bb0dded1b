"""The recap statistics for a person: counted only over the offices where they may read cases
(`services.reading.readable_offices`), so a user of one office never sees another's cases
counted. One call, `recap(deps, actor, filter)`, serves the desk page, its CSV and XLSX exports,
`netra statistik` and the sweep's Prefect artifact (and an API, when one is added)."""

from __future__ import annotations

from adapters.db.statistics import CaseFilter, count_recap
from models import labels
from models.access import Action, Actor, NotPermitted
from models.statistics import (
    SPANS,
    UNKNOWN_POSITION,
    Breakdown,
    MissedDeadline,
    Recap,
    RecapFilter,
    SpanFigure,
    median_days,
    offices_in_region,
)
from services.deps import Deps
from services.reading import readable_offices

__all__ = ["Recap", "RecapFilter", "counted_offices", "recap"]


def counted_offices(deps: Deps, actor: Actor, wanted: RecapFilter) -> frozenset[str] | None:
    """The offices the recap counts: those `actor` may read, narrowed by the filter's office
    and region; None: every office. `NotPermitted` when the actor may read no case at all."""
    offices = readable_offices(actor)
    if offices is not None and not offices:
        raise NotPermitted(actor, Action.READ_CASE)
    if wanted.office:
        offices = frozenset({wanted.office}) & (offices if offices is not None else {wanted.office})
    if wanted.region:
        codes = {key: office.region_code for key, office in deps.rulebook.offices.items()}
        region = offices_in_region(wanted.region, codes)
        offices = region if offices is None else offices & region
    return offices


def recap(deps: Deps, actor: Actor, wanted: RecapFilter) -> Recap:
    """The recap of the cases `wanted` selects among those `actor` may read."""
    offices = counted_offices(deps, actor, wanted)
    scope = CaseFilter(
        offices=offices,
        received_from=wanted.received_from,
        received_to=wanted.received_to,
        election_type=wanted.election_type,
        election_year=wanted.election_year,
    )
    counted = count_recap(deps.engine, scope, deps.rulebook.positions.categories)
    names = {key: office.short_name for key, office in deps.rulebook.offices.items()}
    readable = readable_offices(actor)
    described = wanted.describe(names)
    if readable is not None:
        described += "; hanya kantor: " + ", ".join(sorted(names.get(k, k) for k in readable))
    employment = tuple(
        (labels.EMPLOYMENT.get(key, key) if key else UNKNOWN_POSITION, funnel)
        for key, funnel in counted.by_employment
    )
    several = "Satu perkara dihitung pada setiap baris yang berlaku baginya"
    return Recap(
        filter=wanted,
        scope=described,
        funnel=counted.funnel,
        spans=tuple(
            SpanFigure(
                span,
                sum(counted.spans[span.key].values()),
                median_days(counted.spans[span.key]),
            )
            for span in SPANS
        ),
        missed=tuple(
            MissedDeadline(rule, labels.label(labels.RULES, rule), count)
            for rule, count in counted.missed.items()
        ),
        cases_missing_deadlines=counted.cases_missing_deadlines,
        breakdowns=(
            Breakdown(
                "kode",
                "Menurut kode pelanggaran",
                "Kode pelanggaran",
                tuple(counted.by_code),
                f"{several} (perkara dengan beberapa kode pelanggaran).",
            ),
            Breakdown(
                "kepegawaian",
                "Menurut jenis kepegawaian terlapor",
                "Jenis kepegawaian",
                employment,
                f"{several} (perkara dengan beberapa terlapor).",
            ),
            Breakdown(
                "jabatan",
                "Menurut kategori jabatan terlapor",
                "Kategori jabatan",
                tuple(counted.by_position),
                f"{several} (perkara dengan beberapa terlapor).",
            ),
            Breakdown(
                "kantor",
                "Menurut kantor Bawaslu",
                "Kantor",
                tuple((names.get(key, key), funnel) for key, funnel in counted.by_office),
            ),
        ),
    )
