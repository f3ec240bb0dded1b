"""`netra` commands started from a process that has already imported Netra and Prefect.

A `netra` command started with exec spends most of its life importing Prefect (10-20 s on a
busy 2-core machine) before it does anything a kill could interrupt. Here a multiprocessing
fork server imports the command line and the flows once (`PRELOAD`); every command is a child
forked from it that runs the `netra` entry point (`cli.main:app`, what the `netra` script calls)
with its own arguments and environment, in a new process that SIGKILL ends like any other."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Mapping, Sequence
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path

PRELOAD = ["tests.chaos.forked", "cli.main", "cli.stages", "flows.process", "flows.stages"]


def _netra(args: Sequence[str], env: Mapping[str, str], log: str) -> None:
    """The child: the command's environment, its output to `log`, then `netra ARGS`."""
    os.environ.clear()
    os.environ.update(env)
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()  # Prefect read the fork server's environment at import
    from cli.main import app

    code = 0
    try:
        app(list(args), prog_name="netra")
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


_context: list[ForkServerContext] = []


def fork_context() -> ForkServerContext:
    if not _context:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        _context.append(context)
    return _context[0]


def start_netra(args: Sequence[str], env: Mapping[str, str], log: Path) -> BaseProcess:
    """`netra ARGS` running in a child of the fork server; `.kill()` sends SIGKILL."""
    process = fork_context().Process(target=_netra, args=(list(args), dict(env), str(log)))
    process.start()
    return process
