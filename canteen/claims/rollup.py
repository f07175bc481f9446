"""The daily claim roll-up (``claim_day``), kept in the sale's and the void's own transaction.

A sale adds its subsidy lines to the rows of (canteen, local date, funder, rule, pays) with one
``INSERT .. ON CONFLICT DO UPDATE``; a void takes them off again with an ``UPDATE`` per row.
Both run inside the checkout's transaction, so the roll-up always equals the live meals' lines:
the claim report and the claims read it instead of scanning the month's lines.

The rows a meal touches are updated in one fixed order (funder, rule, pays), so two sales
cannot deadlock on them on PostgreSQL; a claim's submission locks its month's rows
(``SELECT .. FOR UPDATE``), so a void either lands before the figures are frozen or waits and
then sees the submitted claim, and raises an adjustment against it here.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q

from canteen import clock, rawsql
from canteen.checkout.models import Meal, SubsidyLine
from canteen.claims.models import FROZEN, Claim, ClaimAdjustment, ClaimDay

COLUMNS = ("meals", "funder_meals", "all_meals", "subsidy_fen")


@dataclass(frozen=True)
class Delta:
    """What one subsidy line adds to (or, negated, takes off) its roll-up row."""

    funder: str
    rule: str
    pays: str
    meals: int
    funder_meals: int
    all_meals: int
    subsidy_fen: int


def deltas(lines: Iterable[tuple[str, str, str, int]], sign: int = 1) -> list[Delta]:
    """The roll-up deltas of one meal's lines ``(funder, rule, pays, amount_fen)``, in key order.

    >>> lines = [("street", "s", "diner", 100), ("city", "c", "diner", 300)]
    >>> lines.append(("city", "x", "operator", 50))
    >>> [(d.rule, d.funder_meals, d.all_meals) for d in deltas(lines)]
    [('c', 1, 1), ('x', 0, 0), ('s', 1, 0)]
    """
    found: list[Delta] = []
    funders: set[str] = set()
    for funder, rule, pays, amount_fen in sorted(lines, key=lambda line: line[:3]):
        first_of_funder = funder not in funders
        funders.add(funder)
        found.append(
            Delta(
                funder,
                rule,
                pays,
                sign,
                sign * first_of_funder,
                sign * (not found),
                sign * amount_fen,
            )
        )
    return found


def _upsert(count: int) -> str:
    rows = ", ".join(
        f"(:canteen, :day, :f{i}, :r{i}, :p{i}, :m{i}, :fm{i}, :am{i}, :s{i})" for i in range(count)
    )
    updates = ", ".join(f'"{c}" = "claim_day"."{c}" + excluded."{c}"' for c in COLUMNS)
    return (
        'INSERT INTO "claim_day" ("canteen_id", "local_date", "funder", "rule", "pays", '  # noqa: S608
        '"meals", "funder_meals", "all_meals", "subsidy_fen") '
        f"VALUES {rows} "
        'ON CONFLICT ("canteen_id", "local_date", "funder", "rule", "pays") '
        f"DO UPDATE SET {updates}"
    )


_SUBTRACT = (
    'UPDATE "claim_day" SET "meals" = "meals" + :m, "funder_meals" = "funder_meals" + :fm,'
    ' "all_meals" = "all_meals" + :am, "subsidy_fen" = "subsidy_fen" + :s'
    ' WHERE "canteen_id" = :canteen AND "local_date" = :day AND "funder" = :f AND "rule" = :r'
    ' AND "pays" = :p'
)


def adding(meal: Meal, lines: Sequence[SubsidyLine]) -> rawsql.Statement | None:
    """The one upsert adding a new meal's lines to the roll-up (its rows are created on a
    day's first sale), for the sale to run with its last writes; None for a meal without
    lines. Every sale of a canteen's day updates the same rows and holds their lock until
    it commits: the later in the transaction, the shorter the queue."""
    found = deltas((ln.funder, ln.rule, ln.pays, ln.amount_fen) for ln in lines)
    if not found:
        return None
    params: dict[str, Any] = {"canteen": meal.canteen_id, "day": meal.local_date}
    for i, d in enumerate(found):
        params |= {f"f{i}": d.funder, f"r{i}": d.rule, f"p{i}": d.pays, f"m{i}": d.meals}
        params |= {f"fm{i}": d.funder_meals, f"am{i}": d.all_meals, f"s{i}": d.subsidy_fen}
    return _upsert(len(found)), params


async def _subtract(meal: Meal, found: Sequence[Delta]) -> None:
    """An update per row taking a voided meal's (negative) deltas off; the rows exist.

    Not an upsert: SQLite checks a candidate row's CHECK constraints before it finds the
    conflict, and a row of negative counts would fail them.
    """
    conn = ClaimDay._meta.db
    for d in found:
        params = {"canteen": meal.canteen_id, "day": meal.local_date, "f": d.funder, "r": d.rule}
        params |= {"p": d.pays, "m": d.meals, "fm": d.funder_meals, "am": d.all_meals}
        if await rawsql.execute(conn, _SUBTRACT, params | {"s": d.subsidy_fen}) != 1:
            raise RuntimeError(f"claim_day has no row for meal {meal.id}'s {d.rule} line")


async def record_void(meal: Meal) -> None:
    """Take a voided meal's lines off the roll-up; raise adjustments on frozen claims.

    Call inside the void's transaction, after the meal is marked voided. A line whose month
    is already claimed by a submitted (approved, paid) claim of its funder covering this
    canteen becomes a pending ``ClaimAdjustment``: the funder's next claim will carry it.
    """
    lines = await SubsidyLine.filter(meal_id=meal.id)
    if not lines:
        return
    await _subtract(
        meal, deltas(((ln.funder, ln.rule, ln.pays, ln.amount_fen) for ln in lines), -1)
    )
    frozen = await Claim.filter(
        Q(canteen_id=None) | Q(canteen_id=meal.canteen_id),
        month=meal.local_date.strftime("%Y-%m"),
        funder__in={ln.funder for ln in lines},
        status__in=FROZEN,
    )
    claims = {claim.funder: claim for claim in frozen}
    now = clock.now()
    raised = [
        ClaimAdjustment(
            line=line,
            meal_id=meal.id,
            source_claim=claims[line.funder],
            funder=line.funder,
            rule=line.rule,
            pays=line.pays,
            amount_fen=-line.amount_fen,
            reason="void",
            created_at=now,
        )
        for line in lines
        if line.funder in claims
    ]
    if raised:
        await ClaimAdjustment.bulk_create(raised)
