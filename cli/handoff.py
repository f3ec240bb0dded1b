"""A stage command's work handed to the warm engine (`cli.engine`): the case's id found, the
input posted to the desk's API as the engine token's user, the answer and the case's letters read
back. A refusal is said in Indonesian and exits 2; nothing here imports Prefect or the database
layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import typer

from cli import render
from cli.engine import Engine, EngineRefused, get, post


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
        _refused(error)
    return Answer(
        int(answer["case_id"]), str(answer["label"]), str(answer["stage_label"]), answer["outcome"]
    )


def _refused(error: EngineRefused) -> Any:
    if error.status == 409:
        render.err_console.print(f"[yellow]Tidak dilakukan:[/] {error.detail}")
    else:
        render.err_console.print(f"[red]Gagal:[/] {error.detail}")
    for line in error.errors:
        render.err_console.print(f"  - {line}")
    raise typer.Exit(code=2)


def engine_case_id(engine: Engine, case_ref: str) -> int:
    """The case's id: `7` or `#7` as given; a case number looked up in the engine's register."""
    ref = case_ref.strip().removeprefix("#")
    if ref.isdigit():
        return int(ref)
    found = get(engine, "/perkara", {"q": case_ref.strip(), "per_page": "5"})
    for item in found.get("items", []):
        if case_ref.strip() in (item.get("number"), item.get("label")):
            return int(item["id"])
    raise EngineRefused(404, f"Perkara '{case_ref}' tidak ditemukan.", [])


def print_letters(engine: Engine, case_id: int) -> None:
    """The case's letters as the engine lists them (its mail: `netra show`)."""
    try:
        case = get(engine, f"/perkara/{case_id}", {})
    except EngineRefused as error:
        _refused(error)
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
