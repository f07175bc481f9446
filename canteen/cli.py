"""The ``canteen`` command: init, user add, serve, demo, check-ledger.

Configured by the same ``CANTEEN_*`` environment variables as the server; each command calls
the same services the HTTP API calls.
"""

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable

from canteen import db
from canteen.config import get_settings
from canteen.errors import CanteenError


def _in_database(work: Callable[[], Awaitable[int]]) -> int:
    async def run() -> int:
        settings = get_settings()
        async with db.database(settings.database_url, pool_size=2):
            return await work()

    return asyncio.run(run())


def cmd_init(args: argparse.Namespace) -> int:
    applied = asyncio.run(db.migrate(get_settings().database_url))
    print("applied: " + ", ".join(applied) if applied else "database is up to date")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from canteen.auth import service

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("the passwords differ", file=sys.stderr)
            return 2

    async def work() -> int:
        user = await service.create_user(
            None, username=args.username, password=password, role=args.role, canteen_id=args.canteen
        )
        print(f"added {user.role} {user.username} (id {user.id})")
        return 0

    return _in_database(work)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from canteen.http.app import create_app

    uvicorn.run(create_app(), host=args.host, port=args.port, workers=1, log_level="info")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from canteen import demo

    async def work() -> int:
        if args.if_empty and not await demo.database_is_empty():
            print("the database already holds data; demo skipped")
            return 0
        print(await demo.fill(get_settings()))
        return 0

    return _in_database(work)


def cmd_check_ledger(args: argparse.Namespace) -> int:
    from canteen.accounts.invariants import ledger_violations

    async def work() -> int:
        violations = await ledger_violations()
        for v in violations:
            print(f"{v.check}: account {v.account_id}: {v.detail}")
        print(f"{len(violations)} violation(s)" if violations else "ledger OK")
        return 1 if violations else 0

    return _in_database(work)


def cmd_policy_check(args: argparse.Namespace) -> int:
    """Print every problem in a policy file; exit non-zero when there is one."""
    from pathlib import Path

    from canteen.policies import files

    policy = files.parse(files.read(Path(args.file)))
    print(f"{args.file}: OK: {policy.name!r}, {len(policy.rules)} rules, from {policy.effective_from}")
    return 0


def cmd_policy_load(args: argparse.Namespace) -> int:
    from pathlib import Path

    from canteen.policies import files, service

    async def work() -> int:
        policy = await service.create(None, files.read(Path(args.file)))
        print(f"policy {policy.id} {policy.name!r} is in force from {policy.effective_from}")
        return 0

    return _in_database(work)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="canteen", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="create the database or bring it to the newest migration").set_defaults(func=cmd_init)

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["admin", "staff", "manager", "cashier", "family"])
    add.add_argument("--canteen", type=int, help="canteen id (manager and cashier)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=cmd_user_add)

    serve = sub.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="fill an empty database with a realistic sample")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when data exists")
    demo.set_defaults(func=cmd_demo)

    policy = sub.add_parser("policy", help="subsidy policies").add_subparsers(
        dest="policy_command", required=True
    )
    check = policy.add_parser("check", help="validate a policy file (JSON or TOML)")
    check.add_argument("file")
    check.set_defaults(func=cmd_policy_check)
    load = policy.add_parser("load", help="validate a policy file and put it in force")
    load.add_argument("file")
    load.set_defaults(func=cmd_policy_load)

    sub.add_parser("check-ledger", help="verify every account against its ledger").set_defaults(
        func=cmd_check_ledger
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CanteenError as exc:
        print(f"error ({exc.code}): {exc.detail}", file=sys.stderr)
        for field_error in getattr(exc, "errors", []):
            print(f"  {field_error.field}: {field_error.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
