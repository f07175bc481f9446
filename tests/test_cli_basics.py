"""The ``canteen`` command as an operator meets it: its version, ``python -m canteen``, and a
clear line (never a traceback) with exit status 2 for arguments it cannot take."""

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from canteen import cli, config
from tests.cli_runner import canteen_in_process

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


@pytest.mark.parametrize(
    ("variable", "value", "said", "in_a_process"),
    [
        (
            "CANTEEN_DB_POOL_SIZE",
            "twenty",
            "CANTEEN_DB_POOL_SIZE: Input should be a valid integer",
            True,
        ),
        ("CANTEEN_TIMEZONE", "Mars/Olympus", "CANTEEN_TIMEZONE: Value error, no time zone", False),
    ],
    ids=["console-script", "in-process"],
)
def test_a_bad_setting_is_named_and_nothing_starts(variable, value, said, in_a_process, tmp_path):
    """One case through the console script in a new process (a setting read while the modules
    import would show there as a traceback), the other through the same ``main`` in process."""
    url = f"sqlite://{tmp_path}/c.sqlite3"
    if in_a_process:
        done = subprocess.run(
            [CANTEEN, "init"],
            env={**os.environ, variable: value, "CANTEEN_DATABASE_URL": url},
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        code, err = done.returncode, done.stderr
    else:
        ran = canteen_in_process(url, "init", env={variable: value}, cwd=tmp_path)
        code, err = ran.code, ran.err
    assert code == 2
    assert said in err and "Traceback" not in err
    assert not (tmp_path / "c.sqlite3").exists(), "nothing was started"


def test_the_env_file_takes_comments_quotes_and_export(tmp_path, monkeypatch):
    """The home-made parser before pydantic-settings kept '40  # a comment' as the value and
    crashed on int(); python-dotenv reads what people write."""
    for name in [n for n in os.environ if n.startswith("CANTEEN_")]:
        monkeypatch.delenv(name)
    (tmp_path / ".env").write_text(
        "# the canteen's settings\n"
        "CANTEEN_SECRET_KEY='k-from-dotenv'\n"
        "export CANTEEN_DB_POOL_SIZE=40  # per worker\n"
        'CANTEEN_PAYMENT_PROVIDERS="sandbox, wechatpay"\n'
        "CANTEEN_TIMEZONE=\n"
    )
    monkeypatch.chdir(tmp_path)
    settings = config.load_settings()
    assert settings.secret_key == "k-from-dotenv"
    assert settings.db_pool_size == 40
    assert settings.payment_providers == ("sandbox", "wechatpay")
    assert settings.timezone == "Asia/Shanghai", "an empty value is unset"
