"""The ``canteen`` command run in this process: ``canteen.cli.main`` with the arguments, the
environment and the standard streams a person's shell would give it.

A new ``canteen`` process spends some 1.5 s of CPU importing the app before it reads its
arguments; the same parser and the same code run here in milliseconds. What only a real
process shows (the console script's exit status, a real stdin or stderr pipe, the environment
it starts with) each test file still checks with at least one real run.

How it is made the same as a process:

- settings: ``get_settings()`` is cached per process, so the cache is cleared before the
  command (it reads ``CANTEEN_DATABASE_URL`` and the rest from the environment given, as the
  process would) and again after (the test's own later calls read the test's environment);
- the database: the command opens its own Tortoise context (``canteen.db.database``) with
  the global fallback, and Tortoise allows one global context at a time, which a test's
  ``database`` or ``app`` fixture already holds. The command runs in a thread of its own (its
  own ``asyncio.run``, an empty set of context variables, as in a process), with the test's
  global context set aside until it is done; the test's event loop waits meanwhile, so none
  of the test's code runs without it;
- stdin, stdout and stderr are text buffers (not terminals, as pipes are not);
- log records: the command configures no logging, so in a process of its own Python's last
  resort writes each warning and error to stderr; here pytest's handlers would take them, so a
  handler of the same level writes them to the command's stderr too (a test that expects an
  empty stderr sees them, as it would from the process);
- an exit through ``SystemExit`` (argparse's usage errors, status 2) is an exit status; any
  other exception is not caught here and fails the test, as a traceback would.
"""

import contextvars
import io
import logging
import sys
import threading
from collections.abc import Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
import tortoise.context

from canteen import cli
from canteen.config import get_settings


@dataclass(frozen=True)
class Ran:
    """What the command did: its exit status and what it wrote to stdout and stderr."""

    code: int
    out: str
    err: str


def canteen_in_process(
    database_url: str,
    *args: str,
    stdin: str = "",
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Ran:
    """``canteen <args>`` on ``database_url`` (with ``env`` added to the environment and in
    ``cwd`` if given), ``stdin`` as its standard input."""
    out, err = io.StringIO(), io.StringIO()
    codes: list[int] = []
    raised: list[BaseException] = []

    def command() -> None:
        try:
            codes.append(cli.main(list(args)))
        except SystemExit as exit_:
            code = exit_.code
            codes.append(code if isinstance(code, int) else (0 if code is None else 1))
            if isinstance(code, str):
                print(code, file=sys.stderr)
        except BaseException as exc:  # raised again in the test's thread
            raised.append(exc)

    held = tortoise.context._global_context
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CANTEEN_DATABASE_URL", database_url)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        if cwd is not None:
            patch.chdir(cwd)
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        get_settings.cache_clear()
        tortoise.context._global_context = None
        last_resort = logging.StreamHandler(err)
        last_resort.setLevel(logging.WARNING)
        logging.getLogger().addHandler(last_resort)
        try:
            with redirect_stdout(out), redirect_stderr(err):
                # An empty context, as a process starts with (whatever a new thread inherits).
                fresh = contextvars.Context()
                thread = threading.Thread(target=fresh.run, args=(command,), name="canteen-cli")
                thread.start()
                thread.join()
        finally:
            logging.getLogger().removeHandler(last_resort)
            tortoise.context._global_context = held
            get_settings.cache_clear()
    if raised:
        raise raised[0]
    return Ran(codes[0], out.getvalue(), err.getvalue())
