"""One stage on the warm engine: `netra verify` handed to a running `netra serve` against the same
command running its flow itself (`NETRA_USE_ENGINE=false` with `PREFECT_API_URL` set to the served
Prefect server: the path before the warm engine) and `python -c pass`, in one run:

    python -m benchmarks.warm_engine [--cases 3]

`netra serve` starts in a temporary folder on free ports; `--cases` reports are taken in by batch
intake for each path, and each case's kajian awal (register: two letters with their PDFs, one
email to the recording folder) is one timed command. Also part of `make bench-scale`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.scale import ROOT, Row, print_table, reports

NETRA = str(Path(sys.executable).parent / "netra")
READY = "Siap. Tekan Ctrl-C untuk berhenti."


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed: {(done.stdout + done.stderr).decode()[-1500:]}")
    return time.perf_counter() - started


def _start_serve(folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str]]:
    prefect, letters, desk = (str(_port()) for _ in range(3))
    ports = ["--port", prefect, "--letters-port", letters, "--web-port", desk, "--public-port", "0"]
    process = subprocess.Popen(
        [NETRA, "serve", *ports],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []

    def drain() -> None:
        assert process.stdout is not None
        output.extend(process.stdout)

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + 600
    while READY not in "".join(output) or not (folder / "var" / "engine.json").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("netra serve did not start:\n" + "".join(output))
        time.sleep(0.5)
    return process, output


def warm_engine_rows(cases: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NETRA_"))}
        env |= {
            "NETRA_VAR_DIR": str(folder / "var"),
            "PREFECT_HOME": str(folder / "prefect"),
            "PYTHONUNBUFFERED": "1",
        }
        inbox = folder / "masuk"
        inbox.mkdir()
        for i, data in enumerate(reports(2 * cases)):
            (inbox / f"laporan-{i:03d}.json").write_text(json.dumps(data))
        bare = statistics.median(_timed([sys.executable, "-c", "pass"], env) for _ in range(5))
        serve, _ = _start_serve(folder, env)
        try:
            _timed([NETRA, "intake", str(inbox)], env)
            verify = [NETRA, "verify", "{}", "--decision", "register"]
            # Taking turns, so both paths see the same load.
            served = json.loads((folder / "var" / "engine.json").read_text())["prefect_api_url"]
            local = env | {"NETRA_USE_ENGINE": "false", "PREFECT_API_URL": served}
            warm, itself = [], []
            for case in range(1, cases + 1):
                warm.append(_timed([a.format(case) for a in verify], env))
                itself.append(_timed([a.format(cases + case) for a in verify], local))
        finally:
            serve.send_signal(signal.SIGINT)
            serve.wait(timeout=120)
    handed, ran = statistics.median(warm), statistics.median(itself)
    return [
        Row("one stage: python -c pass (median of 5)", bare, "s"),
        Row(
            f"one stage: netra verify run by the command itself (median of {cases})",
            ran,
            "s",
            bare,
        ),
        Row(
            f"one stage: netra verify on the warm engine (median of {cases})",
            handed,
            "s",
            ran,
            3.0,
            "<= 3 s",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--cases", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = warm_engine_rows(args.cases)
    print(f"\nThe warm engine ({os.cpu_count()} cores, {time.perf_counter() - started:.0f} s)")
    print_table(rows)


if __name__ == "__main__":
    main()
