"""No process outlives the `netra` command that started it.

A child Netra starts (the Prefect server and the staff desk of `netra serve`, the temporary
Prefect server Prefect itself starts for a command run without PREFECT_API_URL) runs as

    python -m cli.lifeline <parent pid> -m <module> <args...>

which starts a watchdog thread and then runs `<module>` as `python -m <module>` would, in the
same process. The watchdog polls `os.getppid()`: when the parent dies, however it died (SIGKILL
included, when no cleanup of its own can run), the child is re-parented and its parent id
changes; the watchdog then sends the child SIGTERM (uvicorn's graceful stop) and, if it is still
there after a grace period, ends it.

Why a watchdog and not Linux's `prctl(PR_SET_PDEATHSIG)`: the death signal fires when the
*thread* that forked the child ends, not the process, and Prefect starts its temporary server
from whichever thread first needs a client (its events worker is a thread), so a finished
thread would kill a server still in use. The watchdog depends only on the process; it works
wherever `getppid` does, and costs one wake-up every half second.

Prefect's temporary server is started by Prefect (`SubprocessASGIServer`, which stops it only
at a normal exit through `atexit`); `guard_temporary_server` makes Prefect's server module start
it through this module, by standing in for `subprocess` inside that one module.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import runpy
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

POLL_SECONDS = 0.5
GRACE_SECONDS = 10.0  # uvicorn's graceful stop, then the hard end


def lifeline_command(module: str, *args: str, parent: int | None = None) -> list[str]:
    """The command that runs `python -m module args` tied to `parent` (this process)."""
    parent = os.getpid() if parent is None else parent
    return [sys.executable, "-m", "cli.lifeline", str(parent), "-m", module, *args]


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)


def main(argv: Sequence[str]) -> None:
    if len(argv) < 3 or argv[1] != "-m":
        raise SystemExit("usage: python -m cli.lifeline <parent pid> -m <module> [args...]")
    parent, module, args = int(argv[0]), argv[2], list(argv[3:])
    threading.Thread(target=_watch, args=(parent,), name="netra-lifeline", daemon=True).start()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


class _LifelineSubprocess:
    """`subprocess` as Prefect's server module sees it: `python -m <module> ...` is started
    through the lifeline; everything else is the real module."""

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(args: Sequence[str], **kwargs: Any) -> subprocess.Popen[Any]:  # noqa: N802
        args = list(args)
        if len(args) >= 3 and args[0] == sys.executable and args[1] == "-m":
            args = lifeline_command(args[2], *args[3:])
        return subprocess.Popen(args, **kwargs)


SERVER_MODULE = "prefect.server.api.server"


def _patch(module: ModuleType) -> None:
    if not isinstance(getattr(module, "subprocess", None), _LifelineSubprocess):
        module.subprocess = _LifelineSubprocess()  # type: ignore[attr-defined]


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches Prefect's server module when Prefect first imports it (a command that runs no
    flow, or talks to PREFECT_API_URL, never pays for importing the server)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != SERVER_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            _patch(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def guard_temporary_server() -> None:
    """Tie the temporary Prefect server this process may start to it (see the module's text)."""
    if SERVER_MODULE in sys.modules:
        _patch(sys.modules[SERVER_MODULE])
    elif not any(isinstance(finder, _PatchOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())


if __name__ == "__main__":
    main(sys.argv[1:])
