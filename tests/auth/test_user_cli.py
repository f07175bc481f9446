"""``canteen user disable|enable|reset-password|list``: the same services, audited, and never a
traceback, whatever is typed."""

import asyncio
import os
import sys

import pytest

from canteen.audit.models import AuditEntry
from canteen.auth import service as auth
from canteen.auth.models import AuthToken, User
from canteen.canteens import service as canteens
from canteen.roles import SYSTEM
from tests.cli_runner import canteen_in_process
from tests.conftest import PASSWORD, make_user


def canteen_cli(database_url: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """``canteen user <args>``, run in this process (``tests/cli_runner.py``)."""
    ran = canteen_in_process(database_url, "user", *args, stdin=stdin)
    return ran.code, ran.out, ran.err


async def canteen_process(database_url: str, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """``canteen user <args>`` in a process of its own, ``stdin`` through a real pipe."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "canteen.cli", "user", *args,
        env={**os.environ, "CANTEEN_DATABASE_URL": database_url},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate(stdin.encode())
    return process.returncode or 0, out.decode(), err.decode()


async def test_disable_logs_out_everywhere_and_enable_lets_back_in(database):
    staff = await make_user("staff", username="minzheng-li")
    await auth.issue_token(staff.username, PASSWORD, 3600)
    code, out, err = canteen_cli(database, "disable", "MinZheng-Li")
    assert (code, err) == (0, "") and "disabled minzheng-li" in out
    assert not (await User.get(id=staff.user_id)).active
    assert await AuthToken.filter(user_id=staff.user_id, revoked_at=None).count() == 0
    code, out, _ = canteen_cli(database, "enable", "minzheng-li")
    assert code == 0 and (await User.get(id=staff.user_id)).active
    actions = await AuditEntry.filter(object_type="user", object_id=str(staff.user_id)).values_list(
        "action", "actor_id"
    )
    assert sorted(actions) == [("user.create", None), ("user.disable", None), ("user.enable", None)]


async def test_reset_password_from_stdin_and_list(database):
    canteen = await canteens.create_canteen(
        SYSTEM, name="东山长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    cashier = await make_user("cashier", canteen_id=canteen.id, username="cashier-wang")
    await make_user("family", username="family-chen")
    # In this process: the real process with a real stdin pipe is the one that reads
    # the password with ``getpass`` (``ASKS_THE_TERMINAL`` below).
    code, out, err = canteen_cli(
        database, "reset-password", "cashier-wang", "--password-stdin", stdin="brand new one\n"
    )
    assert (code, err) == (0, ""), err
    issued = await auth.issue_token("cashier-wang", "brand new one", 3600)
    assert issued.access_token
    code, out, _ = canteen_cli(database, "list", "--role", "cashier")
    assert code == 0
    assert out.splitlines() == [f"{cashier.user_id}\tcashier-wang\tcashier\t{canteen.id}\tactive"]
    canteen_cli(database, "disable", "family-chen")
    code, out, _ = canteen_cli(database, "list", "--disabled")
    assert [line.split("\t")[1] for line in out.splitlines()] == ["family-chen"]


ASKS_THE_TERMINAL = ("reset-password", "admin-one")
"""Without ``--password-stdin`` the password is asked for with ``getpass``, which reads the
process's terminal (or, with none, warns and reads stdin): a real process, as a person runs it."""


@pytest.mark.parametrize(
    ("args", "stdin", "said"),
    [
        (("disable", "nobody-here"), "", "error (not_found)"),
        (("enable", "wang\u202eli"), "", "error (not_found)"),
        (("reset-password", "nobody-here", "--password-stdin"), "long enough\n", "not_found"),
        (("reset-password", "admin-one", "--password-stdin"), "short\n", "password: at least 8"),
        (("reset-password", "admin-one", "--password-stdin"), "", "password: at least 8"),
        (("reset-password", "admin-one"), "", "no password given"),
        (("disable", "admin-one"), "", "error (last_active_admin)"),
        (("list", "--canteen", "99999999999999999999"), "", "not an id"),
        (("list", "--canteen", "-1"), "", "not an id"),
        (("list", "--role", "root"), "", "invalid choice"),
        (("add", "x1", "--role", "cashier", "--canteen", "2147483648"), "", "not an id"),
        (("add", "newcashier", "--role", "cashier", "--canteen", "7", "--password-stdin"),
         "long enough\n", "canteen_id: no such canteen"),
        (("frobnicate",), "", "invalid choice"),
        ((), "", "required"),
    ],
)  # fmt: skip
async def test_bad_arguments_are_told_never_a_traceback(database, args, stdin, said):
    await make_user("admin", username="admin-one")
    if args == ASKS_THE_TERMINAL:
        code, out, err = await canteen_process(database, *args, stdin=stdin)
    else:
        code, out, err = canteen_cli(database, *args, stdin=stdin)
    assert code == 2, (out, err)
    assert said in err and "Traceback" not in err
    assert (await User.get(username="admin-one")).active
