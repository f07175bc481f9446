"""The ``canteen`` command: init, user add, serve, demo, cards print, finance, report, ...

Configured by the same ``CANTEEN_*`` environment variables as the server; each command calls
the same services the HTTP API calls.
"""

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from pathlib import Path

from canteen import db
from canteen.config import SettingsError, get_settings
from canteen.errors import CanteenError
from canteen.roles import SYSTEM


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


def _read_password(from_stdin: bool) -> str | None:
    """The new password, from standard input or typed twice; None (said why) when the two
    differ or none was typed."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    try:
        password = getpass.getpass("password: ")
        again = getpass.getpass("again: ")
    except (EOFError, KeyboardInterrupt):
        print("\nno password given; nothing changed", file=sys.stderr)
        return None
    if again != password:
        print("the passwords differ", file=sys.stderr)
        return None
    return password


def cmd_user_add(args: argparse.Namespace) -> int:
    from canteen.auth import service

    password = _read_password(args.password_stdin)
    if password is None:
        return 2

    async def work() -> int:
        user = await service.create_user(
            SYSTEM,
            username=args.username,
            password=password,
            role=args.role,
            canteen_id=args.canteen,
        )
        print(f"added {user.role} {user.username} (id {user.id})")
        return 0

    return _in_database(work)


def cmd_user_disable(args: argparse.Namespace) -> int:
    """No more logins for the user; their tokens and page sessions stop at once. Audited."""
    from canteen.auth import service

    async def work() -> int:
        user = await service.disable_user(SYSTEM, (await service.find_user(args.username)).id)
        print(f"disabled {user.username}: logged out everywhere, may not log in")
        return 0

    return _in_database(work)


def cmd_user_enable(args: argparse.Namespace) -> int:
    from canteen.auth import service

    async def work() -> int:
        user = await service.enable_user(SYSTEM, (await service.find_user(args.username)).id)
        print(f"enabled {user.username}: may log in again")
        return 0

    return _in_database(work)


def cmd_user_reset_password(args: argparse.Namespace) -> int:
    """A new password; the user's tokens and sessions end, their guess counters clear."""
    from canteen.auth import service

    password = _read_password(args.password_stdin)
    if password is None:
        return 2

    async def work() -> int:
        user = await service.find_user(args.username)
        await service.reset_password(SYSTEM, user.id, password)
        print(f"new password set for {user.username}: logged out everywhere")
        return 0

    return _in_database(work)


def cmd_user_list(args: argparse.Namespace) -> int:
    """Every user matching the filters, newest first, one a line."""
    from canteen.auth import service

    async def work() -> int:
        cursor = None
        while True:
            page = await service.list_users(
                SYSTEM,
                role=args.role,
                canteen_id=args.canteen,
                active=args.active,
                q=args.q,
                limit=500,
                cursor=cursor,
            )
            for user in page.items:
                canteen = user.canteen_id or "-"
                state = "active" if user.active else "disabled"
                print(f"{user.id}\t{user.username}\t{user.role}\t{canteen}\t{state}")
            if page.next_cursor is None:
                return 0
            cursor = page.next_cursor

    return _in_database(work)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve; several worker processes only on PostgreSQL (SQLite has one writer process)."""
    from canteen import server

    if args.workers > 1 and get_settings().database_url.startswith("sqlite"):
        print("SQLite is served by one process; use PostgreSQL for --workers > 1", file=sys.stderr)
        return 2
    server.serve(args.host, args.port, args.workers, args.log_level)
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
    return _check_ledger_of(get_settings().database_url)


def cmd_policy_check(args: argparse.Namespace) -> int:
    """Print every problem in a policy file; exit non-zero when there is one."""
    from pathlib import Path

    from canteen.policies import files

    policy = files.parse(files.read(Path(args.file)))
    print(
        f"{args.file}: OK: {policy.name!r}, {len(policy.rules)} rules, from {policy.effective_from}"
    )
    return 0


def cmd_policy_load(args: argparse.Namespace) -> int:
    from pathlib import Path

    from canteen.policies import files, service

    async def work() -> int:
        policy = await service.create(SYSTEM, files.read(Path(args.file)))
        print(f"policy {policy.id} {policy.name!r} is in force from {policy.effective_from}")
        return 0

    return _in_database(work)


def cmd_cards_print(args: argparse.Namespace) -> int:
    """Many diners' live cards in one PDF, ten to an A4 page, with a progress bar."""
    import time
    from pathlib import Path

    from canteen.cards import printing, service

    faces: list[printing.CardFace] = []

    async def work() -> int:
        faces.extend(await service.printable(SYSTEM, diner_ids=args.diner, canteen_id=args.canteen))
        return 0

    _in_database(work)
    missing = sorted(set(args.diner or ()) - {face.diner_id for face in faces})
    if missing:
        print(f"no live card to print for diner(s) {missing}", file=sys.stderr)
    if not faces:
        print("nothing printed: no live cards match", file=sys.stderr)
        return 1
    started = time.perf_counter()
    pages = printing.write_pdf(
        faces, Path(args.out), progress=printing.ProgressBar(), workers=args.workers
    )
    seconds = time.perf_counter() - started
    cards = f"{len(faces)} card" + ("s" if len(faces) != 1 else "")
    sheets = f"{pages} A4 page" + ("s" if pages != 1 else "")
    print(f"{cards} on {sheets} in {args.out} ({seconds:.1f} s)")
    return 0


def _progress(label: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        print(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} pages",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    return show


def cmd_backup(args: argparse.Namespace) -> int:
    """A consistent copy of the live SQLite database, then the ledger checked in the copy."""
    from pathlib import Path

    from canteen import backup

    copy = backup.backup(get_settings().database_url, Path(args.file), _progress("backup"))
    print(f"backed up to {copy}")
    return _check_ledger_of(f"sqlite://{copy}")


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from canteen import backup

    restored = backup.restore(Path(args.file), get_settings().database_url, _progress("restore"))
    print(f"restored {args.file} into {restored}")
    return _check_ledger_of(get_settings().database_url)


def _check_ledger_of(database_url: str) -> int:
    from canteen.accounts.invariants import ledger_violations

    async def run() -> int:
        async with db.database(database_url, pool_size=1):
            violations = await ledger_violations()
        for v in violations:
            print(f"{v.check}: account {v.account_id}: {v.detail}")
        print(f"{len(violations)} ledger violation(s)" if violations else "ledger OK")
        return 1 if violations else 0

    return asyncio.run(run())


def cmd_alerts_run(args: argparse.Namespace) -> int:
    """Once what the server does every few minutes: expire unpaid top-ups, raise alerts,
    write and deliver their notifications."""
    from canteen import periodic
    from canteen.notify import channels

    async def work() -> int:
        channels.install(get_settings())  # SMS, WeChat: only those configured
        print(await periodic.run_once())
        return 0

    return _in_database(work)


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    """A new key version for resident ID numbers; every diner's number re-encrypted to it."""
    from canteen.diners import keys

    async def work() -> int:
        rotation = await keys.rotate(lambda done: print(f"  re-encrypted {done}", flush=True))
        print(f"key v{rotation.version}: {rotation.re_encrypted} ID numbers re-encrypted")
        return 0

    return _in_database(work)


def cmd_keys_status(args: argparse.Namespace) -> int:
    """How many diners' ID numbers each key version seals."""
    from canteen.diners import keys

    async def work() -> int:
        for tag, count in (await keys.status()).items():
            print(f"{tag}: {count}")
        return 0

    return _in_database(work)


def cmd_finance_add(args: argparse.Namespace) -> int:
    """Record one cost or grant of a canteen; the amount is given in yuan ("1234.50")."""
    from datetime import date

    from canteen.finance import service
    from canteen.money import format_yuan, parse_yuan

    try:
        amount_fen = parse_yuan(args.amount)
    except ValueError:
        print(f"not an amount of yuan: {args.amount!r} (e.g. 1234.50)", file=sys.stderr)
        return 2

    async def work() -> int:
        entry = await service.record(
            SYSTEM,
            args.canteen,
            on=date.fromisoformat(args.date),
            kind=args.kind,
            category=args.category,
            amount_fen=amount_fen,
            note=args.note,
        )
        print(
            f"recorded {entry.kind} {entry.category} ¥{format_yuan(entry.amount_fen)}"
            f" for canteen {args.canteen} on {entry.local_date} (entry {entry.id})"
        )
        return 0

    return _in_database(work)


def _write(out: Path, name: str, content: str | bytes) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def cmd_report_claims(args: argparse.Namespace) -> int:
    """A month's subsidy claim as JSON (with the per-diner rows), CSV and XLSX files."""
    import json

    from canteen import clock
    from canteen.money import format_yuan
    from canteen.reporting import service
    from canteen.web import i18n
    from reports import claims, export
    from reports.progress import ProgressBar

    progress = ProgressBar()

    async def work() -> int:
        found = await service.subsidy_claims(
            SYSTEM, args.month, args.canteen, detail=True, progress=progress.stage("days read")
        )
        detail = found.detail
        assert detail is not None  # asked for with detail=True
        name = f"subsidy-claims-{args.month}" + (f"-canteen-{args.canteen}" if args.canteen else "")
        document = {**found.report, "diners": claims.detail_records(detail)}
        names, t = found.canteen_names, i18n.translator("zh")
        today = clock.today(get_settings().tz)
        steps: tuple[tuple[str, Callable[[], str | bytes]], ...] = (
            (f"{name}.json", lambda: json.dumps(document, ensure_ascii=False, indent=1)),
            (f"{name}.csv", lambda: export.claim_csv(found.report, names, t)),
            (f"{name}-diners.csv", lambda: export.claim_csv(found.report, names, t, detail)),
            (
                f"{name}.xlsx",
                lambda: export.claim_xlsx(found.report, detail, names, t, today),
            ),
        )
        written = []
        for done, (file_name, make) in enumerate(steps, start=1):
            written.append(_write(Path(args.out), file_name, make()))
            progress.stage("files written")(done, len(steps))
        totals = found.report["totals"]
        owed = ", ".join(f"{f} ¥{format_yuan(fen)}" for f, fen in totals["by_funder"].items())
        fen = format_yuan(totals["subsidy_fen"])
        print(f"{args.month}: {totals['meals']} subsidised meals, ¥{fen}")
        print(f"  by funder: {owed or 'nothing'}")
        for path in written:
            print(f"  wrote {path}")
        return 0

    return _in_database(work)


def cmd_report_sustainability(args: argparse.Namespace) -> int:
    """Revenue, costs, margin and break-even over a span as JSON, CSV (days) and XLSX files."""
    import json
    from datetime import date

    from canteen.money import format_yuan
    from canteen.reporting import service
    from canteen.web import i18n
    from reports import export
    from reports.progress import ProgressBar

    progress = ProgressBar()
    start, end = date.fromisoformat(args.from_), date.fromisoformat(args.to)

    async def work() -> int:
        progress.stage("reading")(0, 4)
        report = await service.sustainability_report(SYSTEM, start, end, args.canteen)
        progress.stage("computed")(1, 4)
        names = await service.canteen_names()
        name = f"sustainability-{start}-{end}" + (
            f"-canteen-{args.canteen}" if args.canteen else ""
        )
        out = Path(args.out)
        written = [_write(out, f"{name}.json", json.dumps(report, ensure_ascii=False, indent=1))]
        progress.stage("files written")(2, 4)
        written.append(_write(out, f"{name}.csv", export.sustainability_csv(report)))
        progress(3, 4)
        book = export.sustainability_xlsx(report, names, i18n.translator("zh"))
        written.append(_write(out, f"{name}.xlsx", book))
        progress(4, 4)
        margin = report["margin_pct"]
        revenue, cost = format_yuan(report["revenue_fen"]), format_yuan(report["cost_fen"])
        print(
            f"{start} to {end}: {report['meals']} meals, revenue ¥{revenue}, cost ¥{cost},"
            f" margin ¥{format_yuan(report['margin_fen'])}"
            + (f" ({margin}%)" if margin is not None else "")
        )
        print(f"  break-even: {report['break_even_meals_per_day']} meals a day")
        for path in written:
            print(f"  wrote {path}")
        return 0

    return _in_database(work)


def _row_id(text: str) -> int:
    """An id given on the command line: a whole number a table can hold, or a usage error."""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 2**31 - 1:
        raise argparse.ArgumentTypeError(f"not an id: {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="canteen", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"canteen {version('canteen')}")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser(
        "init", help="create the database or bring it to the newest migration"
    ).set_defaults(func=cmd_init)

    user = sub.add_parser("user", help="manage users").add_subparsers(
        dest="user_command", required=True
    )
    roles = ["admin", "staff", "manager", "cashier", "family"]
    add = user.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=roles)
    add.add_argument("--canteen", type=_row_id, help="canteen id (manager and cashier)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=cmd_user_add)
    disable = user.add_parser(
        "disable", help="stop a user logging in; their tokens and sessions end at once"
    )
    disable.add_argument("username")
    disable.set_defaults(func=cmd_user_disable)
    enable = user.add_parser("enable", help="let a disabled user log in again")
    enable.add_argument("username")
    enable.set_defaults(func=cmd_user_enable)
    reset = user.add_parser(
        "reset-password", help="set a new password; the user is logged out everywhere"
    )
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    reset.set_defaults(func=cmd_user_reset_password)
    listing = user.add_parser("list", help="list users: id, username, role, canteen, state")
    listing.add_argument("--role", choices=roles)
    listing.add_argument("--canteen", type=_row_id, metavar="ID")
    listing.add_argument("--q", help="part of the username")
    state = listing.add_mutually_exclusive_group()
    state.add_argument("--active", dest="active", action="store_const", const=True)
    state.add_argument("--disabled", dest="active", action="store_const", const=False)
    listing.set_defaults(func=cmd_user_list)

    serve = sub.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="processes (PostgreSQL only)")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
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

    cards = sub.add_parser("cards", help="meal cards").add_subparsers(
        dest="cards_command", required=True
    )
    print_cards = cards.add_parser(
        "print", help="print live meal cards to a PDF, 10 wallet-size cards per A4 page"
    )
    print_cards.add_argument(
        "--diner", type=int, nargs="+", action="extend", metavar="ID", help="only these diners"
    )
    print_cards.add_argument(
        "--canteen", type=int, metavar="ID", help="only diners whose home canteen this is"
    )
    print_cards.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
    print_cards.add_argument(
        "--workers", type=int, metavar="N", help="processes drawing pages (default: CPUs - 1)"
    )
    print_cards.set_defaults(func=cmd_cards_print)

    backup = sub.add_parser("backup", help="copy the live SQLite database (online backup API)")
    backup.add_argument("file")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="bring a backup back (stop the server first)")
    restore.add_argument("file")
    restore.set_defaults(func=cmd_restore)

    alerts = sub.add_parser("alerts", help="alerts to families and canteen staff").add_subparsers(
        dest="alerts_command", required=True
    )
    alerts.add_parser(
        "run", help="expire unpaid top-ups, raise missed-meal and low-balance alerts, notify"
    ).set_defaults(func=cmd_alerts_run)

    keys = sub.add_parser("keys", help="the keys that encrypt resident ID numbers").add_subparsers(
        dest="keys_command", required=True
    )
    keys.add_parser(
        "rotate", help="add a key version and re-encrypt every ID number to it"
    ).set_defaults(func=cmd_keys_rotate)
    keys.add_parser("status", help="how many ID numbers each key version seals").set_defaults(
        func=cmd_keys_status
    )

    finance = sub.add_parser("finance", help="a canteen's costs and grants").add_subparsers(
        dest="finance_command", required=True
    )
    add_entry = finance.add_parser("add", help="record a cost paid or a grant received")
    add_entry.add_argument("--canteen", type=int, required=True, metavar="ID")
    add_entry.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="local date")
    add_entry.add_argument("--kind", required=True, choices=["cost", "grant"])
    add_entry.add_argument(
        "--category",
        required=True,
        help="cost: ingredients, labor, rent, utilities, equipment, other; "
        "grant: operating_grant, startup_grant, donation, other",
    )
    add_entry.add_argument("--amount", required=True, metavar="YUAN", help='e.g. "1234.50"')
    add_entry.add_argument("--note", default="")
    add_entry.set_defaults(func=cmd_finance_add)

    report = sub.add_parser("report", help="write reports as JSON, CSV and XLSX files")
    reports = report.add_subparsers(dest="report_command", required=True)
    claims = reports.add_parser("claims", help="a month's subsidy claim, with per-diner detail")
    claims.add_argument("--month", required=True, metavar="YYYY-MM")
    claims.add_argument("--canteen", type=int, metavar="ID", help="one canteen (default: all)")
    claims.add_argument("--out", default=".", metavar="DIR", help="where to write (default: .)")
    claims.set_defaults(func=cmd_report_claims)
    sustain = reports.add_parser(
        "sustainability", help="revenue, costs, margin and break-even over a span"
    )
    sustain.add_argument("--from", dest="from_", required=True, metavar="YYYY-MM-DD")
    sustain.add_argument("--to", required=True, metavar="YYYY-MM-DD")
    sustain.add_argument("--canteen", type=int, metavar="ID", help="one canteen (default: all)")
    sustain.add_argument("--out", default=".", metavar="DIR", help="where to write (default: .)")
    sustain.set_defaults(func=cmd_report_sustainability)

    sub.add_parser("check-ledger", help="verify every account against its ledger").set_defaults(
        func=cmd_check_ledger
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        get_settings()  # bad settings stop here, named, before any command starts
        return int(args.func(args))
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    except CanteenError as exc:
        print(f"error ({exc.code}): {exc.detail}", file=sys.stderr)
        for field_error in getattr(exc, "errors", []):
            print(f"  {field_error.field}: {field_error.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
