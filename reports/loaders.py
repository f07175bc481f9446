"""Bulk reads into DataFrames: a few queries per report, never one per diner or per day.

Every loader takes a :class:`Span` (local dates, both ends included, optionally one canteen)
and runs plain SQL that SQLite and PostgreSQL both accept, through Tortoise's connection
(``canteen.rawsql``). Large reads go in chunks of days (:data:`CHUNK_DAYS`), each one query,
so memory stays bounded and a progress bar can move; the chunks are aggregated again in pandas.

Frames come out with fixed dtypes whatever the database returned: ``int64`` fen and counts
(never float), ``category`` for codes (funder, rule, pays, meal type, kind, category),
``datetime64`` for local dates (midnight) and UTC timestamps, nullable ``Int64`` for optional ids.
An empty result is an empty frame with the same columns and dtypes.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from tortoise import BaseDBAsyncClient

from canteen import db, rawsql
from canteen.checkout.models import Meal
from canteen.diners.keys import key_ring
from canteen.diners.resident_id import mask

CHUNK_DAYS = 8
"""Days per query in the chunked reads of whole meals (about a quarter of a month)."""
DETAIL_CHUNK_DAYS = 31
"""Days per query of the per-diner read (a month at a time). The database sums each chunk, so
a chunk returns at most a row per diner, canteen and rule however long it is; shorter chunks
return the same diners again, to be summed again here. On 10M meals, a month's read took 10 s
in chunks of 8 days and 7 s in one query."""

Progress = Callable[[int, int], None]
"""Called with (chunks done, chunks in all) after each chunk."""


@dataclass(frozen=True)
class Span:
    """Local dates ``start`` to ``end``, both included; ``canteen_id`` None: every canteen."""

    start: date
    end: date
    canteen_id: int | None = None

    def chunks(self, days: int = CHUNK_DAYS) -> list["Span"]:
        """The span cut into consecutive pieces of at most ``days`` days."""
        pieces, start = [], self.start
        while start <= self.end:
            end = min(self.end, start + timedelta(days=days - 1))
            pieces.append(Span(start, end, self.canteen_id))
            start = end + timedelta(days=1)
        return pieces


_on_replica: ContextVar[bool] = ContextVar("reports_on_replica", default=False)


@contextmanager
def on_replica() -> Iterator[None]:
    """The reads in this block go to the reports' replica when ``CANTEEN_REPORTS_DATABASE_URL``
    names one: the office's reports, which can be a second behind. What decides money (a claim
    being recorded, a sale, the kitchen's count) reads outside such a block, from the database."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def _conn() -> BaseDBAsyncClient:
    replica = db.reports_connection() if _on_replica.get() else None
    return replica or Meal._meta.db


def _where(span: Span, alias: str = "") -> tuple[str, dict[str, Any]]:
    """The span's conditions on ``local_date`` (and ``canteen_id``) of one table."""
    p = f'{alias}."' if alias else '"'
    sql = f'{p}local_date" >= :start AND {p}local_date" <= :end'
    params: dict[str, Any] = {"start": span.start, "end": span.end}
    if span.canteen_id is not None:
        sql += f' AND {p}canteen_id" = :canteen'
        params["canteen"] = span.canteen_id
    return sql, params


# --- Turning rows into typed frames -------------------------------------------------------


def frame(rows: Sequence[tuple[Any, ...]], schema: dict[str, str]) -> pd.DataFrame:
    """A frame of ``rows`` with the ``schema``'s columns and dtypes.

    Kinds: ``int`` (int64), ``Int`` (nullable Int64), ``code`` (category), ``date`` (a local
    date at midnight), ``time`` (a UTC timestamp), ``str``, ``json`` (parsed list/dict), ``bool``.
    """
    columns = list(schema)
    raw = pd.DataFrame.from_records(list(rows), columns=columns) if rows else None
    data = {}
    for column, kind in schema.items():
        values = raw[column] if raw is not None else pd.Series([], dtype=object)
        data[column] = _typed(values, kind)
    return pd.DataFrame(data, columns=columns)


def _typed(values: pd.Series, kind: str) -> pd.Series:
    if kind == "int":
        return values.astype("int64")
    if kind == "Int":
        return values.astype("Int64")
    if kind == "code":
        return values.astype(str).astype("category")
    if kind == "date":
        return pd.to_datetime(values.astype(str), format="%Y-%m-%d").astype("datetime64[s]")
    if kind == "time":
        parsed = pd.to_datetime(values.astype(str), format="ISO8601", utc=True)
        return parsed.astype("datetime64[us, UTC]")
    if kind == "json":
        return values.map(lambda v: json.loads(v) if isinstance(v, str) else v).astype(object)
    if kind == "bool":
        return values.astype(bool)
    return values.astype(str)


async def _read(sql: str, params: dict[str, Any], schema: dict[str, str]) -> pd.DataFrame:
    return frame(await rawsql.fetch(_conn(), sql, params), schema)


async def _chunked(
    span: Span,
    read: Callable[[Span], Any],
    progress: Progress | None,
    days: int = CHUNK_DAYS,
) -> list[pd.DataFrame]:
    pieces = span.chunks(days)
    frames = []
    for done, piece in enumerate(pieces, start=1):
        frames.append(await read(piece))
        if progress is not None:
            progress(done, len(pieces))
    return frames


def _concat(frames: Iterable[pd.DataFrame], schema: dict[str, str]) -> pd.DataFrame:
    """Concatenate chunks, keeping the dtypes (categories are re-unioned)."""
    found = [f for f in frames if len(f)]
    if not found:
        return frame([], schema)
    joined = pd.concat(
        [f.astype({c: object for c, k in schema.items() if k == "code"}) for f in found],
        ignore_index=True,
    )
    return joined.astype({c: "category" for c, k in schema.items() if k == "code"})


# --- The claim roll-up --------------------------------------------------------------------

CLAIM_DAYS = {
    "canteen_id": "int",
    "local_date": "date",
    "funder": "code",
    "rule": "code",
    "pays": "code",
    "meals": "int",
    "funder_meals": "int",
    "all_meals": "int",
    "subsidy_fen": "int",
}


async def claim_days(span: Span) -> pd.DataFrame:
    """The daily roll-up rows (``claim_day``) of the span, one query: what each rule of each
    funder paid at each canteen each day, over the live meals."""
    where, params = _where(span)
    columns = ", ".join(f'"{column}"' for column in CLAIM_DAYS)
    return await _read(
        f'SELECT {columns} FROM "claim_day" WHERE {where} AND "meals" > 0',  # noqa: S608
        params,
        CLAIM_DAYS,
    )


DINER_DETAIL = {
    "diner_id": "int",
    "canteen_id": "int",
    "funder": "code",
    "rule": "code",
    "pays": "code",
    "meals": "int",
    "subsidy_fen": "int",
}


async def diner_detail(span: Span, progress: Progress | None = None) -> pd.DataFrame:
    """Per diner, canteen, funder, rule and pays: the live meals' subsidy lines, summed by the
    database in chunks of :data:`DETAIL_CHUNK_DAYS` (the per-diner sheet of the claim).

    The month's live meals come from the partial index ``ix_meal_live_day`` (migration 5),
    their lines by meal id.
    """

    async def read(piece: Span) -> pd.DataFrame:
        where, params = _where(piece, "m")
        return await _read(
            'SELECT m."diner_id", m."canteen_id", l."funder", l."rule", l."pays", COUNT(*),'  # noqa: S608
            ' CAST(SUM(l."amount_fen") AS BIGINT)'
            ' FROM "meal" m JOIN "subsidy_line" l ON l."meal_id" = m."id"'
            f' WHERE m."voided_at" IS NULL AND {where}'
            ' GROUP BY m."diner_id", m."canteen_id", l."funder", l."rule", l."pays"',
            params,
            DINER_DETAIL,
        )

    joined = _concat(await _chunked(span, read, progress, DETAIL_CHUNK_DAYS), DINER_DETAIL)
    keys = ["diner_id", "canteen_id", "funder", "rule", "pays"]
    summed = joined.groupby(keys, observed=True, as_index=False)[["meals", "subsidy_fen"]].sum()
    return summed.astype({"meals": "int64", "subsidy_fen": "int64"})


async def claim_diner_detail(
    span: Span, funder: str, frozen_claim_id: int | None = None
) -> pd.DataFrame:
    """One funder's lines of the span per diner, canteen, rule and pays (the per-diner file of
    one claim): the live meals' lines and, given a submitted claim, the lines its late voids
    withdrew (``claim_adjustment.source_claim_id``), which is every line it froze.

    One statement, so one snapshot on both databases: a void sets the meal's ``voided_at`` and
    raises its adjustment in one transaction, so a line is read live or restored, never both
    and never neither, whenever a void commits.
    """
    where, params = _where(span, "m")
    params |= {"funder": funder, "claim": frozen_claim_id}
    return await _read(
        'SELECT "diner_id", "canteen_id", "funder", "rule", "pays", COUNT(*),'  # noqa: S608
        ' CAST(SUM("amount_fen") AS BIGINT) FROM ('
        ' SELECT m."diner_id", m."canteen_id", l."funder", l."rule", l."pays", l."amount_fen"'
        ' FROM "meal" m JOIN "subsidy_line" l ON l."meal_id" = m."id"'
        f' WHERE m."voided_at" IS NULL AND {where} AND l."funder" = :funder'
        " UNION ALL"
        ' SELECT m."diner_id", m."canteen_id", l."funder", l."rule", l."pays", l."amount_fen"'
        ' FROM "claim_adjustment" a JOIN "subsidy_line" l ON l."id" = a."line_id"'
        ' JOIN "meal" m ON m."id" = a."meal_id" WHERE a."source_claim_id" = :claim'
        ') lines GROUP BY "diner_id", "canteen_id", "funder", "rule", "pays"',
        params,
        DINER_DETAIL,
    )


# --- Meals --------------------------------------------------------------------------------

MEAL_DAYS = {
    "canteen_id": "int",
    "local_date": "date",
    "meals": "int",
    "price_fen": "int",
    "diner_paid_fen": "int",
    "discount_fen": "int",
    "operator_subsidy_fen": "int",
    "manual_meals": "int",
}


async def meal_days(span: Span) -> pd.DataFrame:
    """Live meals per canteen and local day, one query: how many, the prices, what the diners
    paid, the discounts and what funders pay the canteen on top, and how many were manual."""
    where, params = _where(span)
    return await _read(
        'SELECT "canteen_id", "local_date", COUNT(*), CAST(SUM("price_fen") AS BIGINT),'  # noqa: S608
        ' CAST(SUM("pay_fen") AS BIGINT), CAST(SUM("subsidy_fen") AS BIGINT),'
        ' CAST(SUM("operator_subsidy_fen") AS BIGINT),'
        ' SUM(CASE WHEN "manual_reason" IS NULL THEN 0 ELSE 1 END)'
        f' FROM "meal" WHERE "voided_at" IS NULL AND {where}'
        ' GROUP BY "canteen_id", "local_date"',
        params,
        MEAL_DAYS,
    )


async def first_meal_day(since: date, canteen_id: int | None = None) -> date | None:
    """The first local day on or after ``since`` with a live meal (at one canteen, or any),
    from the start of ``ix_meal_live_day``'s range; None when there is none."""
    sql = 'SELECT MIN("local_date") FROM "meal" WHERE "voided_at" IS NULL'
    sql += ' AND "local_date" >= :since'
    params: dict[str, Any] = {"since": since}
    if canteen_id is not None:
        sql += ' AND "canteen_id" = :canteen'
        params["canteen"] = canteen_id
    [(found,)] = await rawsql.fetch(_conn(), sql, params)
    return date.fromisoformat(str(found)[:10]) if found is not None else None


MEALS = {
    "meal_id": "int",
    "canteen_id": "int",
    "diner_id": "int",
    "card_id": "Int",
    "offering_id": "Int",
    "meal_type": "code",
    "price_fen": "int",
    "subsidy_fen": "int",
    "operator_subsidy_fen": "int",
    "pay_fen": "int",
    "local_date": "date",
    "at": "time",
    "manual": "bool",
}


async def meals(span: Span, progress: Progress | None = None) -> pd.DataFrame:
    """Every live meal of the span, one row each, in the order sold (chunked by days)."""

    async def read(piece: Span) -> pd.DataFrame:
        where, params = _where(piece)
        return await _read(
            'SELECT "id", "canteen_id", "diner_id", "card_id", "offering_id", "meal_type",'  # noqa: S608
            ' "price_fen", "subsidy_fen", "operator_subsidy_fen", "pay_fen", "local_date", "at",'
            ' CASE WHEN "manual_reason" IS NULL THEN 0 ELSE 1 END'
            f' FROM "meal" WHERE "voided_at" IS NULL AND {where}',
            params,
            MEALS,
        )

    joined = _concat(await _chunked(span, read, progress), MEALS)
    return joined.sort_values(["at", "meal_id"], ignore_index=True)


KITCHEN_HISTORY = {"local_date": "date", "offering_id": "Int", "walk_ins": "int", "ordered": "int"}


async def kitchen_history(span: Span, meal_type: str) -> pd.DataFrame:
    """One canteen's live meals of one meal type per day and offering, one query: ``walk_ins``
    sold without an order, ``ordered`` handed over for one (the kitchen count's history)."""
    where, params = _where(span)
    params["meal_type"] = meal_type
    return await _read(
        'SELECT "local_date", "offering_id",'  # noqa: S608
        ' SUM(CASE WHEN "order_id" IS NULL THEN 1 ELSE 0 END),'
        ' SUM(CASE WHEN "order_id" IS NULL THEN 0 ELSE 1 END)'
        f' FROM "meal" WHERE "voided_at" IS NULL AND "meal_type" = :meal_type AND {where}'
        ' GROUP BY "local_date", "offering_id" ORDER BY "local_date", "offering_id"',
        params,
        KITCHEN_HISTORY,
    )


KITCHEN_COOKED = {
    "canteen_id": "int",
    "local_date": "date",
    "meal_type": "code",
    "offering_id": "int",
    "cooked": "int",
    "sold": "int",
}


async def kitchen_cooked(span: Span) -> pd.DataFrame:
    """The portions the kitchens recorded as cooked, per canteen, day, meal and offering, each
    with the live meals of it sold then, one query (the waste of the sustainability report)."""
    where, params = _where(span, "k")
    meals_where, _ = _where(span)
    return await _read(
        'SELECT k."canteen_id", k."local_date", k."meal_type", k."offering_id", k."portions",'  # noqa: S608
        ' COALESCE(s."sold", 0) FROM "kitchen_cooked" k LEFT JOIN ('
        ' SELECT "canteen_id", "local_date", "meal_type", "offering_id", COUNT(*) AS "sold"'
        f' FROM "meal" WHERE "voided_at" IS NULL AND {meals_where}'
        ' GROUP BY "canteen_id", "local_date", "meal_type", "offering_id") s'
        ' ON s."canteen_id" = k."canteen_id" AND s."local_date" = k."local_date"'
        ' AND s."meal_type" = k."meal_type" AND s."offering_id" = k."offering_id"'
        f" WHERE {where}",
        params,
        KITCHEN_COOKED,
    )


# --- Offline sales the server refused ------------------------------------------------------

REFUSED_DAYS = {
    "canteen_id": "int",
    "local_date": "date",
    "sales": "int",
    "cash_fen": "int",
    "operator_fen": "int",
}
"""Per canteen and local day: refused offline sales, the cash the counter took for them (a
refused sale's ``paid_fen``: nothing is taken from an account), and what the operator bears
for them (``operator_fen``)."""


async def refused_offline_days(span: Span) -> pd.DataFrame:
    """The span's ``refused`` offline sales per canteen and local day, one query.

    ``offline_sale`` keeps the UTC time the counter made the sale, not a local date: the query
    reads the refused rows of the span widened by a day each side (no time zone is a day off
    UTC) with their canteen's zone, and the day is the sale's in its canteen's own zone."""
    lo = datetime.combine(span.start - timedelta(days=1), time(), UTC)
    hi = datetime.combine(span.end + timedelta(days=2), time(), UTC)
    sql = (
        'SELECT o."canteen_id", c."timezone", o."made_at", o."paid_fen", o."operator_fen"'
        ' FROM "offline_sale" o JOIN "canteen" c ON c."id" = o."canteen_id"'
        ' WHERE o."outcome" = \'refused\' AND o."made_at" >= :lo AND o."made_at" < :hi'
    )
    params: dict[str, Any] = {"lo": lo, "hi": hi}
    if span.canteen_id is not None:
        sql += ' AND o."canteen_id" = :canteen'
        params["canteen"] = span.canteen_id
    found = []
    for canteen_id, zone, made_at, paid, operator in await rawsql.fetch(_conn(), sql, params):
        at = pd.Timestamp(made_at if isinstance(made_at, datetime) else str(made_at))
        at = at.tz_localize(UTC) if at.tzinfo is None else at
        day = at.tz_convert(ZoneInfo(str(zone))).date()
        if span.start <= day <= span.end:
            found.append((int(canteen_id), day.isoformat(), 1, int(paid), int(operator)))
    rows = frame(found, REFUSED_DAYS)
    keys = ["canteen_id", "local_date"]
    return (
        rows.groupby(keys, as_index=False)[list(REFUSED_DAYS)[2:]]
        .sum()
        .astype({c: "int64" for c in list(REFUSED_DAYS)[2:]})
    )


# --- Books, people and places -------------------------------------------------------------

FINANCE = {
    "canteen_id": "int",
    "local_date": "date",
    "kind": "code",
    "category": "code",
    "amount_fen": "int",
}


async def finance(span: Span) -> pd.DataFrame:
    """Costs and grants per canteen, day, kind and category, one query."""
    where, params = _where(span)
    return await _read(
        'SELECT "canteen_id", "local_date", "kind", "category", CAST(SUM("amount_fen") AS BIGINT)'  # noqa: S608
        f' FROM "finance_entry" WHERE {where}'
        ' GROUP BY "canteen_id", "local_date", "kind", "category"',
        params,
        FINANCE,
    )


DINERS = {
    "diner_id": "int",
    "name": "str",
    "id_number_masked": "str",
    "birth_date": "date",
    "district": "str",
    "street": "str",
    "categories": "json",
    "disability_level": "Int",
    "status": "code",
    "home_canteen_id": "Int",
}


async def diners(masked: bool = True) -> pd.DataFrame:
    """Every enrolled diner's reporting fields; of the ID number only its mask (the last 4),
    decrypted here when ``masked`` (the office), else empty (nothing is decrypted)."""
    rows = await rawsql.fetch(
        _conn(),
        'SELECT "id", "name", "id_number_cipher", "birth_date", "district", "street",'
        ' "categories", "disability_level", "status", "home_canteen_id" FROM "diner"',
    )
    ring = await key_ring() if masked and rows else None
    return frame(
        [(r[0], r[1], mask(ring.open(r[2], int(r[0]))) if ring else "", *r[3:]) for r in rows],
        DINERS,
    )


CANTEENS = {"canteen_id": "int", "name": "str", "district": "str", "street": "str"}


async def canteens() -> pd.DataFrame:
    return await _read(
        'SELECT "id", "name", "district", "street" FROM "canteen" ORDER BY "id"', {}, CANTEENS
    )


async def offering_tags() -> dict[int, frozenset[str]]:
    """Each offering's tags, as a policy rule's ``offering_tags_any`` sees them."""
    rows = await rawsql.fetch(_conn(), 'SELECT "id", "tags" FROM "offering"')
    return {
        int(i): frozenset(json.loads(tags) if isinstance(tags, str) else tags) for i, tags in rows
    }


STATUS_CHANGES = {"diner_id": "int", "at": "time", "status": "code"}


async def status_changes() -> pd.DataFrame:
    """When each diner's status was changed, and to what, from the audit log (every change of
    ``status`` is audited as ``diner.update``)."""
    rows = await rawsql.fetch(
        _conn(),
        'SELECT "object_id", "at", "after" FROM "audit_entry"'
        " WHERE \"action\" = 'diner.update' AND \"object_type\" = 'diner'"
        ' AND CAST("after" AS TEXT) LIKE :status',
        {"status": '%"status"%'},
    )
    changes = []
    for object_id, at, after in rows:
        data = json.loads(after) if isinstance(after, str) else after
        if isinstance(data, dict) and "status" in data:
            changes.append((int(object_id), at, data["status"]))
    return frame(changes, STATUS_CHANGES).sort_values(["diner_id", "at"], ignore_index=True)


async def rule_labels() -> dict[str, str]:
    """Each rule code's label, as the latest policy that has the rule words it."""
    rows = await rawsql.fetch(
        _conn(), 'SELECT "document" FROM "policy" ORDER BY "effective_from", "id"'
    )
    labels: dict[str, str] = {}
    for (document,) in rows:
        data = json.loads(document) if isinstance(document, str) else document
        for rule in data.get("rules", []):
            labels[rule["code"]] = rule["label"]
    return labels
