"""Loads the violation and sanction catalogue (config/catalogue.yaml) into `Catalogue`.

A version may `extends` another: it then inherits the other's fixed bands, sanction sets and
entries, and replaces those it lists itself (entries by code, sanction sets by band and
employment class). Errors name the file, the version and the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.yaml_files import ConfigError, read_yaml, validate_as
from models.rules.catalogue_types import Catalogue, CatalogueVersion, SanctionSet, ViolationEntry

DEFAULT_PATH = Path(__file__).resolve().parent / "catalogue.yaml"
_VERSION_KEYS = frozenset(
    {
        "id",
        "title",
        "extends",
        "in_force_from",
        "in_force_until",
        "fixed_bands",
        "sanctions",
        "entries",
    }
)


@dataclass(frozen=True)
class _Draft:
    """One version as written in the file, before inheritance is applied."""

    header: dict[str, Any]
    extends: str | None
    fixed_bands: dict[str, Any]
    sanctions: tuple[SanctionSet, ...]
    entries: dict[str, ViolationEntry]


def load_catalogue(path: Path | None = None) -> Catalogue:
    source = path or DEFAULT_PATH
    data = read_yaml(source)
    if (
        not isinstance(data, dict)
        or set(data) != {"versions"}
        or not isinstance(data["versions"], list)
    ):
        raise ConfigError(f"{source}: expected one key 'versions' holding a list of versions")
    drafts: dict[str, _Draft] = {}
    for index, raw in enumerate(data["versions"]):
        draft_id, draft = _draft(raw, source, index)
        if draft_id in drafts:
            raise ConfigError(f"{source} entry version {draft_id}: id used twice")
        drafts[draft_id] = draft
    versions = []
    for version_id in drafts:
        merged = _resolve(version_id, drafts, source, ())
        versions.append(
            validate_as(
                CatalogueVersion,
                {
                    **merged.header,
                    "fixed_bands": merged.fixed_bands,
                    "sanctions": merged.sanctions,
                    "entries": tuple(merged.entries.values()),
                },
                path=source,
                entry=f"version {version_id}",
            )
        )
    return validate_as(Catalogue, {"versions": versions}, path=source, entry="versions")


def _draft(raw: Any, source: Path, index: int) -> tuple[str, _Draft]:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ConfigError(f"{source} entry versions[{index}]: a version needs a text 'id'")
    version_id = raw["id"]
    where = f"version {version_id}"
    if unknown := sorted(set(raw) - _VERSION_KEYS):
        raise ConfigError(f"{source} entry {where}: unknown keys {', '.join(unknown)}")
    extends = raw.get("extends")
    if extends is not None and not isinstance(extends, str):
        raise ConfigError(f"{source} entry {where}: 'extends' must be a version id")
    fixed = raw.get("fixed_bands") or {}
    if not isinstance(fixed, dict):
        raise ConfigError(f"{source} entry {where}: 'fixed_bands' must be a mapping")
    entries: dict[str, ViolationEntry] = {}
    for position, raw_entry in enumerate(_list(raw, "entries", source, where)):
        code = raw_entry.get("code") if isinstance(raw_entry, dict) else None
        label = f"{where}, entry {code or f'#{position + 1}'}"
        entry = validate_as(ViolationEntry, raw_entry, path=source, entry=label)
        if entry.code in entries:
            raise ConfigError(f"{source} entry {label}: code listed twice")
        entries[entry.code] = entry
    sanctions = tuple(
        validate_as(
            SanctionSet,
            raw_set,
            path=source,
            entry=f"{where}, sanctions #{position + 1}{_band_label(raw_set)}",
        )
        for position, raw_set in enumerate(_list(raw, "sanctions", source, where))
    )
    header = {
        key: raw[key] for key in ("id", "title", "in_force_from", "in_force_until") if key in raw
    }
    return version_id, _Draft(header, extends, fixed, sanctions, entries)


def _list(raw: dict[str, Any], key: str, source: Path, where: str) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise ConfigError(f"{source} entry {where}: '{key}' must be a list")
    return value


def _band_label(raw_set: Any) -> str:
    return f" ({raw_set.get('band')})" if isinstance(raw_set, dict) else ""


def _resolve(
    version_id: str, drafts: dict[str, _Draft], source: Path, chain: tuple[str, ...]
) -> _Draft:
    """The draft with everything it inherits through `extends`."""
    if version_id in chain:
        raise ConfigError(
            f"{source} entry version {version_id}: 'extends' forms a cycle "
            f"({' -> '.join((*chain, version_id))})"
        )
    draft = drafts[version_id]
    if draft.extends is None:
        return draft
    if draft.extends not in drafts:
        raise ConfigError(
            f"{source} entry version {version_id}: extends unknown version {draft.extends}"
        )
    parent = _resolve(draft.extends, drafts, source, (*chain, version_id))
    kept = tuple(
        inherited
        for inherited in parent.sanctions
        if not any(_overlaps(inherited, own) for own in draft.sanctions)
    )
    return _Draft(
        header=draft.header,
        extends=None,
        fixed_bands={**parent.fixed_bands, **draft.fixed_bands},
        sanctions=(*draft.sanctions, *kept),
        entries={**parent.entries, **draft.entries},
    )


def _overlaps(a: SanctionSet, b: SanctionSet) -> bool:
    return a.band == b.band and bool(set(a.employment) & set(b.employment))
