"""Hypothesis strategies for malformed reports: a sample report with values replaced, keys
dropped or added, and raw texts that attack the decoder (deep nesting, YAML aliases, NUL bytes,
huge numbers, dates at the ends of the calendar)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from tests.conftest import sample_report

SAMPLES = ["report-ppu-camat.json", "report-pemilu-late-guru.json", "temuan-balikpapan-pppk.json"]
BASES: list[dict[str, Any]] = [
    json.loads(sample_report(name).read_text(encoding="utf-8")) for name in SAMPLES
]

nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "Budi\x00Santoso",
            "a\nb",
            "\u202e",
            "9999-12-31",
            "0001-01-01",
            "1900-02-29",
            "2024-02-30",
            "2024-10-14T25:00:00+08:00",
            "9999-12-31T23:59:59+14:00",
            "0001-01-01T00:00:00-12:00",
            "1e309",
            "x" * 5000,
            "../../etc/passwd",
            "a" * 300 + ".png",
        ]
    ),
)
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    nasty_text,
)
json_value = st.recursive(
    leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return doc


def _drop(doc: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return doc
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return doc


@st.composite
def mutated_report(draw: st.DrawFn) -> Any:
    """A sample report with one to four places replaced, dropped or given an unknown key."""
    doc = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "replace":
            doc = _set(doc, path, draw(json_value))
        elif action == "drop" and path:
            doc = _drop(doc, path)
        elif isinstance(_get(doc, path), dict):
            _get(doc, path)[draw(st.text(min_size=1, max_size=8))] = draw(json_value)
    return doc


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


ATTACKS = [
    deep(100_000),
    "a: " + deep(5_000),
    "{" * 50_000,
    # Billion laughs: 9 levels of YAML aliases under an unknown key.
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "kind: laporan\n",
    "kind: laporan\x00\n",
    "\x00",
    "!!python/object/apply:os.system ['true']",
    "received_at: 2024-10-14\nkind: !!binary AAAA\n",
    json.dumps({"kind": "laporan", "received_at": "9999-12-31T23:59:59+14:00"}),
]


def raw_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ATTACKS),
        st.text(max_size=200),
        st.one_of(mutated_report(), report_at_the_calendars_edge()).map(
            lambda d: json.dumps(d, ensure_ascii=False)
        ),
    )


EXTREME_DATES = [
    "0001-01-01",
    "1900-01-01",
    "1969-12-31",
    "2099-12-31",
    "2200-01-01",
    "9999-12-31",
]
EXTREME_TIMES = [
    "0001-01-01T00:00:00+14:00",
    "1900-01-01T00:00:00+07:00",
    "2200-01-01T00:00:00+08:00",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59+14:00",
]


@st.composite
def report_at_the_calendars_edge(draw: st.DrawFn) -> Any:
    """A sample report whose dates sit at the ends of the calendar (or of Python's)."""
    doc = copy.deepcopy(draw(st.sampled_from(BASES)))
    if draw(st.booleans()):
        doc["received_at"] = draw(st.sampled_from(EXTREME_TIMES))
    for field in ("occurred_on", "known_on"):
        if draw(st.booleans()):
            doc["incident"][field] = draw(st.sampled_from(EXTREME_DATES))
    if draw(st.booleans()):
        doc["election"]["year"] = draw(st.sampled_from([1, 1900, 2200, 9999, 10**6]))
    return doc
