"""``canteen serve`` for the tests, forked from a process that has imported the app already.

A new ``python -m canteen.cli serve`` spends some 1.5 s of CPU importing the app (pandas,
matplotlib, pydantic's models, Tortoise) before it answers, and the suite starts a server some
sixty times. ``LiveServer`` instead asks a multiprocessing "forkserver" that imported this module
(and so the app) once: each server is a fork of it, with the environment and the command line it
is given, and it runs the same ``canteen.cli.main`` a person runs. Only the standard library and
the app are imported here: the forkserver must not import the tests' conftest.
"""

import multiprocessing
import os
import signal
import subprocess
import sys
from multiprocessing.context import ForkServerContext
from pathlib import Path

from canteen import app, cli  # noqa: F401  (imported once, in the forkserver, for every server)
from canteen.config import get_settings

FORKS: ForkServerContext = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload([__name__])


def _serve(argv: list[str], env: dict[str, str], log: str) -> None:
    """In the forked process: this server's environment and log, then the command."""
    os.environ.clear()
    os.environ.update(env)
    get_settings.cache_clear()
    output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(output, 1)
    os.dup2(output, 2)
    sys.exit(cli.main(argv))


class ForkedServer:
    """The part of ``subprocess.Popen`` the tests use, for a server forked by ``FORKS``."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self._process = FORKS.Process(target=_serve, args=(argv, env, str(log)), daemon=True)
        self._process.start()
        assert self._process.pid is not None  # started
        self.pid: int = self._process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def send_signal(self, sig: int) -> None:
        """As ``Popen`` does, nothing once the process has ended (its pid may be another's)."""
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired("canteen serve", timeout or 0)
        return self._process.exitcode
