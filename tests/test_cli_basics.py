"""The ``canteen`` command as an operator meets it: its version, ``python -m canteen``, and a
clear line (never a traceback) with exit status 2 for arguments it cannot take."""

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from canteen import cli

CANTEEN = str(Path(sys.executable).parent / "canteen")


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CANTEEN_DATABASE_URL": f"sqlite://{tmp_path}/c.sqlite3",
        "CANTEEN_VAR_DIR": str(tmp_path / "var"),
    }
    return subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True)


@pytest.mark.parametrize("command", [[CANTEEN], [sys.executable, "-m", "canteen"]])
def test_the_version_either_way(command, tmp_path):
    done = run(*command, "--version", tmp_path=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"canteen {version('canteen')}"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["nosuch"],
        ["serve", "--port", "eighty"],
        ["serve", "--log-level", "loud"],
        ["user", "add"],
        ["policy", "check"],
    ],
)
def test_arguments_it_cannot_take_get_a_line_and_status_2(args, capsys):
    """The parser the command runs, in process (a start of the command costs seconds)."""
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    assert stopped.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
