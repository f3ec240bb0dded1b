"""Turn raw JSON/YAML text into a `Report`, translating every validation error to Indonesian."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml
from pydantic import ValidationError

from models.problems import Problem, ReportRejected
from models.report.model import Report

_BAD_DATETIME = "bukan waktu yang valid (ISO 8601, mis. 2024-10-14T09:15:00+08:00)"

# pydantic error type -> Indonesian message (with {placeholders} from the error's ctx)
_MESSAGES: dict[str, str] = {
    "missing": "wajib diisi",
    "string_too_short": "tidak boleh kosong",
    "string_type": "harus berupa teks",
    "too_short": "harus berisi paling sedikit {min_length} entri",
    "enum": "harus salah satu dari: {expected}",
    "literal_error": "harus salah satu dari: {expected}",
    "date_parsing": "bukan tanggal yang valid (format TTTT-BB-HH, mis. 2024-10-11)",
    "date_from_datetime_parsing": "bukan tanggal yang valid (format TTTT-BB-HH, mis. 2024-10-11)",
    "date_from_datetime_inexact": "harus tanggal saja, tanpa jam",
    "date_type": "bukan tanggal yang valid (format TTTT-BB-HH, mis. 2024-10-11)",
    "datetime_parsing": _BAD_DATETIME,
    "datetime_from_date_parsing": _BAD_DATETIME,
    "datetime_type": _BAD_DATETIME,
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "greater_than_equal": "harus paling kecil {ge}",
    "less_than_equal": "harus paling besar {le}",
    "model_type": "harus berupa objek (pasangan kunci dan nilai)",
    "model_attributes_type": "harus berupa objek (pasangan kunci dan nilai)",
    "dict_type": "harus berupa objek (pasangan kunci dan nilai)",
    "list_type": "harus berupa daftar",
}

_CUSTOM: dict[str, tuple[str, str]] = {
    # custom ValueError text -> (field override or "", Indonesian message)
    "naive_datetime": ("", "harus mencantumkan zona waktu, mis. 2024-10-14T09:15:00+08:00"),
    "date_out_of_range": ("", "tanggal di luar tahun yang mungkin (periksa tahunnya)"),
}


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int) and parts:
            parts[-1] = f"{parts[-1]}[{item}]"
        elif isinstance(item, int):  # a list at the top (the hearing's outcomes)
            parts.append(f"[{item}]")
        else:
            parts.append(item)
    return ".".join(parts)


def _translate(error: Mapping[str, Any]) -> list[Problem]:
    field = _field_path(tuple(error["loc"]))
    kind = str(error["type"])
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error":
        raw = str(ctx.get("error", ""))
        if raw in _CUSTOM:
            override, message = _CUSTOM[raw]
            return [Problem(code=raw, field=override or field, message=message)]
        if "email" in str(error.get("msg", "")).lower():
            return [
                Problem(code="email_tidak_valid", field=field, message="alamat email tidak valid")
            ]
        return [
            Problem(code="nilai_tidak_valid", field=field, message=f"nilai tidak valid ({raw})")
        ]
    template = _MESSAGES.get(kind, "nilai tidak valid")
    if "expected" in ctx:  # pydantic lists choices as "'a' or 'b'"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", " atau ")
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = template
    code = "wajib_diisi" if kind in {"missing", "string_too_short"} else "format_tidak_valid"
    return [Problem(code=code, field=field, message=message)]


def problems_from(error: ValidationError) -> list[Problem]:
    return problems_from_errors(error.errors(include_url=False))


def problems_from_errors(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """Pydantic's error records (`ValidationError.errors()`, or a web framework's) in
    Indonesian, each naming its field as `reported[0].nip`."""
    problems: list[Problem] = []
    for item in errors:
        problems.extend(_translate(item))
    return problems


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def laporan_problems(data: Mapping[str, Any]) -> list[Problem]:
    """A laporan names its reporter (name, address) and the day the incident became known."""
    if data.get("kind") != "laporan":
        return []
    reporter = data.get("reporter")
    reporter = reporter if isinstance(reporter, Mapping) else {}
    incident = data.get("incident")
    incident = incident if isinstance(incident, Mapping) else {}
    problems = [
        Problem(
            code="wajib_diisi",
            field=f"reporter.{name}",
            message="wajib diisi untuk laporan (identitas pelapor)",
        )
        for name in ("name", "address")
        if _blank(reporter.get(name))
    ]
    if "incident" in data and _blank(incident.get("known_on")):
        problems.append(
            Problem(
                code="wajib_diisi",
                field="incident.known_on",
                message="wajib diisi untuk laporan (tanggal pelapor mengetahui kejadian)",
            )
        )
    return problems


def parse_report(data: object) -> Report:
    """Validate a decoded document; raise `ReportRejected` with every problem."""
    if not isinstance(data, Mapping):
        raise ReportRejected(
            [
                Problem(
                    code="format_tidak_valid",
                    field="(berkas)",
                    message="isi berkas harus berupa objek JSON/YAML",
                )
            ]
        )
    problems = laporan_problems(data)
    try:
        report = Report.model_validate(data)
    except ValidationError as error:
        schema_problems = problems_from(error)
        seen = {p.field for p in schema_problems}
        problems = schema_problems + [p for p in problems if p.field not in seen]
    if problems:
        raise ReportRejected(problems)
    return report


# Limits checked before and while decoding: a report is a few kilobytes of plain data.
MAX_REPORT_CHARS = 1_000_000
MAX_DEPTH = 32
TOO_DEEP = f"berkas bertingkat terlalu dalam (paling banyak {MAX_DEPTH} tingkat)"
NUL_TEXT = "berkas memuat karakter NUL; simpan ulang sebagai teks UTF-8 biasa"


class _AliasRefused(yaml.YAMLError):
    """A YAML alias (`*name`): reports never need one, and aliases multiply a small file."""


class _ReportLoader(yaml.SafeLoader):
    """YAML's safe subset without anchors and aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused()
        return super().compose_node(parent, index)


def _unreadable(message: str) -> ReportRejected:
    return ReportRejected([Problem(code="berkas_tidak_terbaca", field="(berkas)", message=message)])


def _shape_problem(data: object) -> str | None:
    """What makes decoded data no report at any depth (checked without recursion): nesting
    deeper than any report, or a NUL character in a text (no database stores it)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return TOO_DEEP
        if isinstance(node, str) and "\x00" in node:
            return NUL_TEXT
        if isinstance(node, Mapping):
            stack.extend((k, depth + 1) for k in node)
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return None


def decode_report_text(text: str, *, filename: str = "") -> object:
    """Decode JSON (or YAML, a superset) text; raise `ReportRejected` when it cannot be read or
    breaks the limits of a report (size, NUL characters, nesting, YAML aliases)."""
    if len(text) > MAX_REPORT_CHARS:
        raise _unreadable(
            f"berkas terlalu besar (lebih dari {MAX_REPORT_CHARS // 1000} ribu karakter)"
        )
    if "\x00" in text:
        raise _unreadable(NUL_TEXT)
    try:
        if filename.lower().endswith(".json"):
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_ReportLoader)
    except _AliasRefused:
        raise _unreadable(
            "berkas YAML memakai alias (*nama); tulis nilainya secara langsung"
        ) from None
    except RecursionError:
        raise _unreadable(TOO_DEEP) from None
    except (json.JSONDecodeError, yaml.YAMLError, ValueError) as error:
        line = getattr(error, "lineno", None) or getattr(
            getattr(error, "problem_mark", None), "line", None
        )
        where = f" (sekitar baris {line})" if line is not None else ""
        raise _unreadable(f"berkas tidak dapat dibaca sebagai JSON/YAML{where}") from None
    if problem := _shape_problem(data):
        raise _unreadable(problem)
    return data


def parse_report_text(text: str, *, filename: str = "") -> Report:
    return parse_report(decode_report_text(text, filename=filename))


# What an assessment computes from (deadlines, authority, recommendation): a problem in one of
# these leaves a report nothing to be assessed on.
_ESSENTIAL = re.compile(
    r"^(\(berkas\)|kind|election(\.(type|year))?|received_at|incident"
    r"|incident\.(occurred_on|known_on)"
    r"|reported|reported\[\d+\](\.employment)?)$"
)
PLACEHOLDER = "-"


def salvage_report(data: object, problems: Sequence[Problem]) -> Report | None:
    """The report `data` with the fields named by `problems` set aside, so that what can still
    be computed from the rest is (CONTRACTS §3: a report that breaks §1 is still assessed).
    None when a problem touches what the assessment needs (dates, election, employment)."""
    if not isinstance(data, Mapping) or any(_ESSENTIAL.match(p.field) for p in problems):
        return None
    patched: dict[str, Any] = copy.deepcopy(dict(data))
    paths = [p.field for p in problems]
    for path in paths:  # an optional field in error is left out...
        _set(patched, path, None, remove=True)
    try:
        return Report.model_validate(patched)
    except ValidationError as error:
        missing = {_field_path(tuple(e["loc"])) for e in error.errors() if e["type"] == "missing"}
    for path in paths:  # ...a required one gets a neutral value
        if path in missing:
            _set(patched, path, PLACEHOLDER)
    try:
        return Report.model_validate(patched)
    except ValidationError:
        return None


def _set(data: dict[str, Any], path: str, value: object, *, remove: bool = False) -> None:
    steps: list[str | int] = []
    for part in path.split("."):
        name, *indexes = re.split(r"\[(\d+)\]", part)
        if name:
            steps.append(name)
        steps.extend(int(i) for i in indexes if i)
    target: Any = data
    for step in steps[:-1]:
        try:
            target = target[step]
        except (KeyError, IndexError, TypeError):
            return
    last = steps[-1] if steps else None
    if isinstance(target, dict) and isinstance(last, str):
        if remove:
            target.pop(last, None)
        else:
            target[last] = value
