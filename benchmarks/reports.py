"""The reports on a district's year: 1M and 10M generated meals (issue 7).

For each size, a SQLite file of generated data (``benchmarks.district``: 30 canteens, one diner
per 250 meals, a year of meals priced by the real engine, ``claim_day`` filled by its
migration's backfill) is made once and kept in ``var/bench/`` (a second run reuses it and says
so; ``--fresh`` makes it again). Then, for the busiest month (and the whole year for the
sustainability report), through the real code paths:

- claim JSON: ``canteen.reporting.service.subsidy_claims(SYSTEM, month)``, serialised;
- claim XLSX with the per-diner sheet: ``subsidy_claims(.., detail=True)`` and
  ``reports.export.claim_xlsx``;
- sustainability, month and year: ``sustainability_report(SYSTEM, start, end)``, serialised;

beside references computed in the same run on the same file:

- the bare ``GROUP BY`` of the month's live subsidy lines joined to their meals, by canteen,
  funder, rule and pays (what the claim answers), with the plain ``sqlite3`` module;
- the bare per-diner ``GROUP BY`` (what the XLSX's detail sheet answers), the same way;
- DuckDB SQL over the same rows. DuckDB reads the SQLite file through its ``sqlite``
  extension when it can be installed; otherwise (no network) the month's meals and lines are
  read with ``sqlite3`` into pandas and copied into DuckDB tables, and that load is timed
  apart from the query.

Then the claim JSON, the XLSX and the yearly sustainability report again on PostgreSQL at 1M
meals (the same generated rows, in a database made for the run and dropped after), beside
PostgreSQL's own ``GROUP BY``.

Every figure runs in a fresh process of its own (``python -m benchmarks.reports measure ..``),
``--repeat`` times (3 by default): the time is the median of the runs (the call and its
serialisation, after the imports and the connection), the peak memory the largest peak
resident set of the whole measuring process (the interpreter, what the figure imports, the
report) seen in any of them. The peak is the process's own ``VmHWM`` (``/proc/self/status``),
not ``ru_maxrss``, which Linux carries over from the parent through fork and exec (every child
of this benchmark would report the benchmark's own size). On PostgreSQL the server's memory is
not counted. The files are in the OS's page cache by then (the machine has the memory): these
are warm figures.
Each result carries a check (the rows, or the detail's totals), and the table says whether the
real code and the references agree.

Run one size, some figures, or skip PostgreSQL::

    python -m benchmarks reports --meals 1000000
    python -m benchmarks reports --meals 10000000 --no-postgres --repeat 1
    python -m benchmarks reports --meals 10000000 --only bare-claim,claim-xlsx --no-postgres
    python -m benchmarks reports --meals 1000000 --fresh      # generate the file again

Figures: ``bare-claim``, ``duckdb``, ``bare-detail``, ``claim-json``, ``claim-xlsx``,
``sustainability-month``, ``sustainability-year`` (the bare GROUP BY always runs: the ratios are
to it).

``make bench`` runs every benchmark, this one at 1M and 10M meals.
"""

import argparse
import asyncio
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

ONE_GB_MB = 1024
SIZES = (1_000_000, 10_000_000)
POSTGRES_MEALS = 1_000_000

BARE_CLAIM = (
    'SELECT m."canteen_id", l."funder", l."rule", l."pays", COUNT(*), SUM(l."amount_fen")'
    ' FROM "subsidy_line" l JOIN "meal" m ON m."id" = l."meal_id"'
    ' WHERE m."voided_at" IS NULL AND m."local_date" >= {start} AND m."local_date" <= {end}'
    ' GROUP BY m."canteen_id", l."funder", l."rule", l."pays"'
)
BARE_DETAIL = (
    'SELECT m."diner_id", m."canteen_id", l."funder", l."rule", l."pays", COUNT(*),'
    ' SUM(l."amount_fen")'
    ' FROM "subsidy_line" l JOIN "meal" m ON m."id" = l."meal_id"'
    ' WHERE m."voided_at" IS NULL AND m."local_date" >= {start} AND m."local_date" <= {end}'
    ' GROUP BY m."diner_id", m."canteen_id", l."funder", l."rule", l."pays"'
)


# --- In the measuring process -------------------------------------------------------------


def _peak_mb() -> float:
    """This process's peak resident set so far: ``VmHWM``, the high-water mark of its own
    memory map. Not ``ru_maxrss``: Linux carries the parent's peak into it across fork and
    exec, so a small child of a large parent would report the parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def _digest(rows: list[tuple[Any, ...]]) -> str:
    """A short fingerprint of rows, whatever order and number types (PostgreSQL's SUM is a
    numeric) they came in."""
    ordered = sorted(
        tuple(str(int(v) if isinstance(v, Decimal) else v) for v in row) for row in rows
    )
    return hashlib.sha256(json.dumps(ordered).encode()).hexdigest()[:12]


def _detail_check(rows: list[tuple[Any, ...]]) -> str:
    """Per-diner rows: how many, their meals and their fen."""
    return f"{len(rows)} rows, {sum(int(r[-2]) for r in rows)} meals, {sum(int(r[-1]) for r in rows)} fen"


def _month(text: str) -> tuple[date, date]:
    from canteen.periods import month_span

    return month_span(text)


async def _claim_json(url: str, month: str, year: int) -> tuple[str, dict[str, Any]]:
    from canteen.reporting import service
    from canteen.roles import SYSTEM

    found = await service.subsidy_claims(SYSTEM, month)
    body = json.dumps(found.report, ensure_ascii=False).encode()
    rows = [
        (r["canteen_id"], r["funder"], r["rule"], r["pays"], r["meals"], r["subsidy_fen"])
        for r in found.report["rows"]
    ]
    return _digest(rows), {"bytes": len(body)}


async def _claim_xlsx(url: str, month: str, year: int) -> tuple[str, dict[str, Any]]:
    from canteen.reporting import service
    from canteen.roles import SYSTEM
    from canteen.web import i18n
    from reports import export

    found = await service.subsidy_claims(SYSTEM, month, detail=True)
    assert found.detail is not None
    t = i18n.translator("zh")
    book = export.claim_xlsx(found.report, found.detail, found.canteen_names, t, date.today())
    detail = found.detail
    rows = list(zip(detail["meals"].tolist(), detail["subsidy_fen"].tolist(), strict=True))
    return _detail_check(rows), {"bytes": len(book), "detail_rows": len(detail)}


async def _sustainability(start: date, end: date) -> tuple[str, dict[str, Any]]:
    from canteen.reporting import service
    from canteen.roles import SYSTEM

    report = await service.sustainability_report(SYSTEM, start, end)
    body = json.dumps(report, ensure_ascii=False).encode()
    check = f"{report['meals']} meals, {report['subsidy_fen']} fen"
    return check, {"bytes": len(body)}


async def _sustainability_month(url: str, month: str, year: int) -> tuple[str, dict[str, Any]]:
    return await _sustainability(*_month(month))


async def _sustainability_year(url: str, month: str, year: int) -> tuple[str, dict[str, Any]]:
    return await _sustainability(date(year, 1, 1), date(year, 12, 31))


REAL: dict[str, Callable[[str, str, int], Awaitable[tuple[str, dict[str, Any]]]]] = {
    "claim-json": _claim_json,
    "claim-xlsx": _claim_xlsx,
    "sustainability-month": _sustainability_month,
    "sustainability-year": _sustainability_year,
}


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite://")


async def _bare(url: str, sql: str, month: str) -> list[tuple[Any, ...]]:
    start, end = _month(month)
    if url.startswith("sqlite://"):
        import sqlite3

        con = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
        try:
            return con.execute(sql.format(start="?", end="?"), (str(start), str(end))).fetchall()
        finally:
            con.close()
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return [tuple(r) for r in await conn.fetch(sql.format(start="$1", end="$2"), start, end)]
    finally:
        await conn.close()


def _duckdb_rows(url: str, month: str) -> tuple[Any, str, float]:
    """A DuckDB connection holding the month's rows, how they got there, and the load time."""
    import duckdb

    start, end = _month(month)
    duck = duckdb.connect()
    try:
        duck.execute("INSTALL sqlite")
        duck.execute("LOAD sqlite")
    except duckdb.Error:
        pass
    else:
        duck.execute(f"ATTACH '{_sqlite_path(url)}' AS file (TYPE sqlite, READ_ONLY)")
        duck.execute("USE file")
        return duck, "sqlite extension (reads the file in the query)", 0.0
    import sqlite3

    import pandas as pd

    started = time.perf_counter()
    con = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
    meal = pd.read_sql_query(
        'SELECT "id", "canteen_id", "diner_id", "local_date", "voided_at" FROM "meal"'
        ' WHERE "local_date" >= ? AND "local_date" <= ?',
        con,
        params=(str(start), str(end)),
    )
    line = pd.read_sql_query(
        'SELECT "meal_id", "funder", "rule", "pays", "amount_fen" FROM "subsidy_line"'
        ' WHERE "meal_id" >= ? AND "meal_id" <= ?',
        con,
        params=(int(meal["id"].min()), int(meal["id"].max())),
    )
    con.close()
    duck.execute(
        'CREATE TABLE "meal" AS SELECT "id", "canteen_id", "diner_id",'
        ' CAST("local_date" AS DATE) AS "local_date", "voided_at" FROM meal'
    )
    duck.execute('CREATE TABLE "subsidy_line" AS SELECT * FROM line')
    del meal, line
    how = "read with sqlite3 into pandas, copied into DuckDB tables (no sqlite extension here)"
    return duck, how, time.perf_counter() - started


async def measure(figure: str, url: str, month: str, year: int) -> dict[str, Any]:
    """One figure, timed in this process: seconds, peak MB, a check, and extras."""
    extra: dict[str, Any] = {}
    if figure in REAL:
        from canteen import db
        from canteen.reporting import service  # noqa: F401 (imported before the clock starts)
        from reports import export  # noqa: F401

        async with db.database(url, pool_size=2):
            base = _peak_mb()
            started = time.perf_counter()
            check, extra = await REAL[figure](url, month, year)
            seconds = time.perf_counter() - started
    elif figure in ("bare-claim", "bare-detail"):
        sql = BARE_CLAIM if figure == "bare-claim" else BARE_DETAIL
        base = _peak_mb()
        started = time.perf_counter()
        rows = await _bare(url, sql, month)
        seconds = time.perf_counter() - started
        check = _digest(rows) if figure == "bare-claim" else _detail_check(rows)
    elif figure == "duckdb":
        duck, how, load = _duckdb_rows(url, month)
        start, end = _month(month)
        base = _peak_mb()
        started = time.perf_counter()
        rows = duck.execute(
            BARE_CLAIM.format(start="?::DATE", end="?::DATE"), [start, end]
        ).fetchall()
        seconds = time.perf_counter() - started
        check, extra = _digest(rows), {"load_seconds": load, "how": how}
    else:
        raise SystemExit(f"unknown figure {figure!r}")
    return {"seconds": seconds, "peak_mb": _peak_mb(), "base_mb": base, "check": check, **extra}


# --- In the benchmark's own process -------------------------------------------------------


@dataclass
class Result:
    figure: str
    label: str
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r["seconds"] for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r["peak_mb"] for r in self.runs)

    @property
    def check(self) -> str:
        return str(self.runs[0]["check"])

    def get(self, key: str) -> Any:
        return self.runs[0].get(key)


def run_figure(figure: str, label: str, url: str, month: str, year: int, repeat: int) -> Result:
    """``repeat`` runs of one figure, each in a fresh process."""
    result = Result(figure, label)
    env = {**os.environ, "CANTEEN_SECRET_KEY": "report-benchmark-secret"}
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.reports", "measure", figure, url, month, str(year)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"{figure} failed:\n{out.stderr[-3000:]}")
        result.runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return result


@dataclass
class Goal:
    text: str
    met: Callable[[Result, Result], bool]
    """(this result, the bare GROUP BY) -> met?"""


def _memory(r: Result, bare: Result) -> bool:
    return r.peak_mb < ONE_GB_MB


GOALS = {
    "claim-json": Goal(
        "<= GROUP BY, < 1 GB", lambda r, bare: r.seconds <= bare.seconds and _memory(r, bare)
    ),
    "claim-xlsx": Goal("< 15 s, < 1 GB", lambda r, bare: r.seconds < 15 and _memory(r, bare)),
    "sustainability-month": Goal("< 1 GB", _memory),
    "sustainability-year": Goal("< 1 GB", _memory),
}
LABELS = {
    "bare-claim": "bare GROUP BY of the month's lines",
    "bare-detail": "bare per-diner GROUP BY (reference)",
    "duckdb": "DuckDB SQL, same rows (query)",
    "claim-json": "claim JSON (subsidy_claims)",
    "claim-xlsx": "claim XLSX with per-diner sheet",
    "sustainability-month": "sustainability, the month",
    "sustainability-year": "sustainability, the year",
}


def table(title: str, results: list[Result]) -> list[str]:
    bare = next(r for r in results if r.figure == "bare-claim")
    lines = [
        title,
        f"  {'figure':<40} {'time (s)':>9} {'peak RSS (MB)':>14} {'x GROUP BY':>11}"
        f"  {'goal':<20} met",
    ]
    for r in results:
        goal = GOALS.get(r.figure)
        met = "" if goal is None else ("yes" if goal.met(r, bare) else "NO")
        lines.append(
            f"  {r.label:<40} {r.seconds:>9.3f} {r.peak_mb:>14.0f} {r.seconds / bare.seconds:>11.3f}"
            f"  {goal.text if goal else 'reference':<20} {met}"
        )
        if r.figure == "duckdb" and r.get("load_seconds"):
            lines.append(
                f"  {'  + loading those rows into DuckDB':<40} {r.get('load_seconds'):>9.3f}"
                f" {'':>14} {r.get('load_seconds') / bare.seconds:>11.3f}  ({r.get('how')})"
            )
        if r.figure == "claim-xlsx":
            lines.append(
                f"  {'':<40} {r.get('detail_rows'):,} per-diner rows, {r.get('bytes') / 1e6:.1f} MB"
            )
    checks = {r.figure: r.check for r in results}
    agree = [
        (
            f"the claim's rows ({what}) equal the bare GROUP BY's",
            checks.get(what) == checks["bare-claim"],
        )
        for what in ("claim-json", "duckdb")
        if what in checks
    ]
    if "claim-xlsx" in checks and "bare-detail" in checks:
        agree.append(
            (
                f"the per-diner sheet ({checks['claim-xlsx']}) equals the per-diner GROUP BY",
                checks["claim-xlsx"] == checks["bare-detail"],
            )
        )
    lines += [f"  {what}: {'yes' if same else 'NO'}" for what, same in agree]
    return lines


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _measure_all(
    url: str, month: str, figures: list[str], only: list[str] | None, repeat: int
) -> tuple[list["Result"], str]:
    """The chosen figures (the bare GROUP BY always), and the load around them."""
    chosen = [f for f in figures if only is None or f in only or f == "bare-claim"]
    before = _load()
    results = [run_figure(f, LABELS[f], url, month, int(month[:4]), repeat) for f in chosen]
    return results, f"{repeat} run(s) each; {before} before, {_load()} after"


async def bench_sqlite(meals: int, repeat: int, fresh: bool, only: list[str] | None) -> list[str]:
    from benchmarks import district

    path, facts, reused = await district.sqlite_district(meals, fresh)
    shown = path.relative_to(district.CACHE.parent.parent)
    made = (
        f"reused {shown} (generator version {district.VERSION}; --fresh makes it again)"
        if reused
        else f"generated {shown} in {facts.seconds:.0f} s ({facts.steps})"
    )
    print(f"  {made}", flush=True)
    url = f"sqlite://{path}"
    figures = [
        "bare-claim",
        "duckdb",
        "bare-detail",
        "claim-json",
        "claim-xlsx",
        "sustainability-month",
        "sustainability-year",
    ]
    results, runs = _measure_all(url, facts.month, figures, only, repeat)
    title = (
        f"SQLite, {facts.meals:,} meals ({facts.lines:,} subsidy lines, {facts.diners:,} diners,"
        f" {facts.canteens} canteens, {facts.voided:,} voided; {path.stat().st_size / 1e9:.1f} GB);"
        f" month {facts.month}: {facts.month_meals:,} live meals, {facts.month_lines:,} lines;"
        f" {runs}"
    )
    return table(title, results)


async def bench_postgres(meals: int, repeat: int, only: list[str] | None) -> list[str]:
    from benchmarks import district
    from benchmarks.harness import fresh_database

    async with fresh_database("postgres") as url:
        facts = await district.postgres_district(url, meals)
        print(f"  generated into PostgreSQL in {facts.seconds:.0f} s ({facts.steps})", flush=True)
        figures = ["bare-claim", "bare-detail", "claim-json", "claim-xlsx", "sustainability-year"]
        results, runs = _measure_all(url, facts.month, figures, only, repeat)
        title = (
            f"PostgreSQL, {facts.meals:,} meals ({facts.lines:,} lines); month {facts.month}:"
            f" {facts.month_meals:,} live meals, {facts.month_lines:,} lines; {runs}"
            " (the server's memory is not in the peak)"
        )
        return table(title, results)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks reports", description=__doc__)
    parser.add_argument(
        "--meals", type=int, action="append", help="1000000, 10000000 (default: both)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure (default 3)")
    parser.add_argument("--fresh", action="store_true", help="generate the SQLite files again")
    parser.add_argument("--only", help="figures to run, comma-separated (default: all)")
    parser.add_argument(
        "--no-postgres", action="store_true", help=f"skip PostgreSQL ({POSTGRES_MEALS:,} meals)"
    )
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    print(
        "reports on a district's year (goals: the 10M-meal monthly claim JSON no slower than the"
        " bare GROUP BY, the XLSX with per-diner detail under 15 s, peak memory under 1 GB)",
        flush=True,
    )
    only = args.only.split(",") if args.only else None
    for meals in args.meals or SIZES:
        for line in await bench_sqlite(meals, args.repeat, args.fresh, only):
            print(line, flush=True)
    if not args.no_postgres:
        for line in await bench_postgres(POSTGRES_MEALS, args.repeat, only):
            print(line, flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        figure, url, month, year = sys.argv[2:6]
        print(json.dumps(asyncio.run(measure(figure, url, month, int(year)))))
    else:
        started = time.perf_counter()
        asyncio.run(main(sys.argv[1:]))
        print(f"({time.perf_counter() - started:.0f} s)")
