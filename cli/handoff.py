"""A stage command's work handed to the warm engine (`cli.engine`): the case's id found, the
input posted to the desk's API as the engine token's user, the answer and the case's letters read
back. A refusal is said in Indonesian and exits 2; nothing here imports Prefect or the database
layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NoReturn

import typer

from cli import render
from cli.engine import Engine, EngineDown, EngineRefused, get, post

MAX_LOOKUP_PAGES = 20  # 2,000 cases whose numbers contain the one given


@dataclass(frozen=True)
class Answer:
    """What the engine did (the API's `StageAnswer`)."""

    case_id: int
    label: str
    stage_label: str
    outcome: str  # a StageOutcome value


def hand_off(engine: Engine, case_ref: str, path: str, body: object) -> Answer:
    """POST `body` to `/perkara/{id}/<path>`; a refusal said in Indonesian, exit 2.
    `EngineDown` (nothing sent) is left to the caller."""
    from pydantic_core import to_jsonable_python

    try:
        case_id = engine_case_id(engine, case_ref)
        answer = post(engine, f"/perkara/{case_id}/{path}", to_jsonable_python(body))
    except EngineRefused as error:
        _refused(error, engine)
    return Answer(
        int(answer["case_id"]), str(answer["label"]), str(answer["stage_label"]), answer["outcome"]
    )


def _refused(error: EngineRefused, engine: Engine) -> NoReturn:
    """Say the engine's refusal (a refused token: what to do about it) and exit 2."""
    detail = error.detail
    if error.status == 401:
        detail = (
            "token mesin `netra serve` ditolak; mulai ulang netra serve"
            if engine.local
            else f"token ditolak oleh {engine.api_url}; periksa NETRA_ENGINE_TOKEN"
        )
    if error.status == 409:
        render.err_console.print(f"[yellow]Tidak dilakukan:[/] {detail}")
    else:
        render.err_console.print(f"[red]Gagal:[/] {detail}")
    for line in error.errors:
        render.err_console.print(f"  - {line}")
    raise typer.Exit(code=2)


def engine_case_id(engine: Engine, case_ref: str) -> int:
    """The case's id: `7` or `#7` as given; a case number looked up in the engine's register
    (the search matches parts of numbers too: the exact one is taken, page by page)."""
    ref = case_ref.strip().removeprefix("#")
    if ref.isdigit():
        return int(ref)
    page, pages = 1, 1
    while page <= min(pages, MAX_LOOKUP_PAGES):
        query = {"q": case_ref.strip(), "per_page": "100", "page": str(page)}
        found = get(engine, "/perkara", query)
        for item in found.get("items", []):
            if case_ref.strip() in (item.get("number"), item.get("label")):
                return int(item["id"])
        page, pages = page + 1, int(found.get("pages", 1))
    raise EngineRefused(404, f"Perkara '{case_ref}' tidak ditemukan.", [])


def print_letters(engine: Engine, case_id: int) -> None:
    """The case's letters as the engine lists them (its mail: `netra show`). The step is done
    by now: a desk that stops answering here only costs the list."""
    try:
        case = get(engine, f"/perkara/{case_id}", {})
    except (EngineDown, EngineRefused):
        render.console.print(f"Surat dan surel perkara ini: netra show {case_id}")
        return
    render.print_letter_rows(
        (
            str(letter["kind"]),
            str(letter["number"]),
            date.fromisoformat(str(letter["issued_on"])),
            str(letter["recipient"]),
            ".docx + .pdf" if letter.get("pdf") else ".docx",
        )
        for letter in case.get("letters", [])
    )
    render.console.print(f"Surel perkara ini: netra show {case_id}")
