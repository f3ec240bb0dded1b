"""Start-up of the commands that run no flow, against `python -c pass` in the same run, and
optionally against another revision of the code (its source from `git archive`, this venv):

    python -m benchmarks.startup [--runs 5] [--against main]

Each command runs as `python -c "from cli.main import app; app()" ARGS` from the tree's folder
(the entry point of `netra`), the trees taking turns run by run so both see the same load.
Printed per command: the median wall time and the median CPU time (user + system of the child,
which a machine shared with other work inflates far less than the wall time), each also as a
multiple of `python -c pass`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.scale import ROOT, SAMPLE, reports

ENTRY = "from cli.main import app; app(prog_name='netra')"
COMMANDS: dict[str, list[str]] = {
    "netra --help": ["--help"],
    "netra assess SAMPLE --json": ["assess", str(SAMPLE), "--json"],
    "netra list (5 cases)": ["list"],
    "netra show 1": ["show", "1"],
    "netra users list": ["users", "list"],
    "netra audit verify": ["audit", "verify"],
}


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `command` (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed: {done.stderr.decode()[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def prepare(folder: Path) -> dict[str, str]:
    """A SQLite database with five cases, the environment every run uses."""
    env = {**os.environ, "NETRA_VAR_DIR": str(folder / "var")}
    env.update(NETRA_SMTP_PORT="9", NETRA_MAIL_MAX_ATTEMPTS="1", NETRA_OPERATOR="petugas-bench")
    env.pop("NETRA_DATABASE_URL", None)
    inbox = folder / "reports"
    inbox.mkdir()
    for i, data in enumerate(reports(5)):
        (inbox / f"laporan-{i}.json").write_text(json.dumps(data))
    for setup in (["db", "upgrade"], ["intake", str(inbox), "--json"]):
        subprocess.run(
            [sys.executable, "-c", ENTRY, *setup], env=env, cwd=ROOT, capture_output=True
        )
    return env


def bytecode_note() -> str:
    """Whether the libraries' .pyc exist (`make install` writes them) and whether Python may
    write its own: without either, every run compiles the imports from source again."""
    spec = importlib.util.find_spec("sqlalchemy")
    origin = spec.origin if spec else None
    compiled = bool(origin) and Path(importlib.util.cache_from_source(str(origin))).exists()
    writes = "no" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "yes"
    state = "compiled" if compiled else "absent"
    return f"libraries' bytecode: {state}; Python writes .pyc: {writes}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", help="a git revision to compare with (e.g. main)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trees = {"this tree": ROOT}
        if args.against:
            other = folder / "against"
            other.mkdir()
            archive = subprocess.run(
                ["git", "archive", args.against], cwd=ROOT, capture_output=True, check=True
            )
            subprocess.run(["tar", "-x", "-C", str(other)], input=archive.stdout, check=True)
            trees = {args.against: other, **trees}
        env = prepare(folder)
        samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            samples.setdefault(("", "python -c pass"), []).append(
                timed([sys.executable, "-c", "pass"], ROOT, env)
            )
            for label, command in COMMANDS.items():
                for tree, path in trees.items():
                    run = timed([sys.executable, "-c", ENTRY, *command], path, env)
                    samples.setdefault((tree, label), []).append(run)
    medians = {
        key: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for key, runs in samples.items()
    }
    bare_wall, bare_cpu = medians[("", "python -c pass")]
    print(f"\nStart-up, median of {args.runs} runs ({os.cpu_count()} cores; {bytecode_note()})")
    head = ("command", "code", "wall ms", "x pass", "CPU ms", "x pass")
    rows = [head]
    for (tree, label), (wall, cpu) in medians.items():
        rows.append(
            (
                label,
                tree,
                f"{wall * 1000:,.0f}",
                f"{wall / bare_wall:.1f}",
                f"{cpu * 1000:,.0f}",
                f"{cpu / bare_cpu:.1f}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for n, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
