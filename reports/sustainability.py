"""Can a canteen sustain itself? Revenue, costs, margin and break-even over a span of days.

Pure functions over the frames of ``reports.loaders``. The definitions, for local dates
``start`` to ``end`` (both included, ``D`` calendar days) and the live meals of the span:

- ``meals``: meals sold (subsidised or not).
- ``diner_paid_fen``: what diners paid for them (account and cash), and the cash the counter
  took for offline sales the server then refused (it was paid, though no meal was recorded).
- ``subsidy_fen``: every subsidy line of those meals paid by a funder other than the operator,
  both the discounts (``pays: diner``) and the per-meal payments to the canteen on top
  (``pays: operator``). The operator's own discount (funder ``operator``) is revenue given up,
  not received: it is shown apart as ``operator_discount_fen`` and is not revenue.
- ``offline_refused_fen``: what the operator bears for the ``offline_refused_sales`` offline
  sales the server refused (``reports.loaders.refused_offline_days``, counted on the day the
  counter made them in the canteen's zone): the whole price of a refused account sale (eaten,
  paid by no one), the price less the cash taken of a refused cash sale (the subsidy the counter
  granted). Like the operator's discount it is revenue given up, not received: not revenue, not
  a subsidy, not a cost; no public money is ever claimed for it.
- ``grant_fen``: grants recorded for the span (finance entries of kind ``grant``).
- ``revenue_fen = diner_paid_fen + subsidy_fen + grant_fen``; ``cost_fen``: costs recorded,
  also ``cost_by_category`` (every cost category, zeros included).
- ``margin_fen = revenue_fen - cost_fen``; ``margin_pct = margin / revenue`` in percent.
- ``cost_per_meal_fen``, ``revenue_per_meal_fen``: the totals divided by ``meals``, rounded
  down to the fen; None without meals.
- ``subsidy_dependency_pct``: the share of revenue that is public or charitable money,
  ``(subsidy_fen + grant_fen) / revenue_fen`` in percent: 100 means the diners pay nothing.
- ``break_even_meals_per_day``: the meals a day at which the span would have broken even, if
  every extra meal brought what the average meal brought and cost its ingredients. Ingredients
  are the variable cost; every other cost is fixed for the span, and grants pay fixed costs
  first. With ``P = diner_paid_fen + subsidy_fen`` (what the meals brought), ``V`` the
  ingredients and ``F`` the other costs less the grants::

      break_even = ceil( F / D / ((P - V) / meals) )

  0 when grants cover the fixed costs; None without meals, or when a meal brings no more
  than its ingredients cost (no number of meals then breaks even).

Waste (:func:`waste`), per canteen and month, from what the kitchens recorded as cooked
(``kitchen_cooked``, each offering's portions of a day's meal, against the live meals of it sold):

- ``portions_cooked``, ``portions_sold`` of the offerings and meals recorded, and
  ``portions_left_over``: the sum over them of ``max(cooked - sold, 0)``.
- ``waste_rate_pct = left_over / cooked`` in percent.
- ``food_cost_per_portion_fen``: the month's ingredients (cost entries of category
  ``ingredients`` in the span) over every portion cooked that month, which is every meal sold
  plus the portions left over: ``ingredients // (meals + left_over)``. A day or meal without a
  record counts as nothing left over, so the portion's cost is never inflated by days the
  kitchen did not count, and the waste is what was counted, never a guess.
- ``waste_cost_fen = ingredients * left_over // (meals + left_over)``, rounded down to the fen
  once (not the rounded portion cost times the portions).

Over every row: the portions summed, the rate of the sums, the cost the rows' sum, and the
portion's cost over the rows' canteens and months.

Percentages are floats rounded to one decimal, for display; every amount is an ``int`` of fen.
"""

from datetime import date
from typing import Any

import pandas as pd

from canteen import periods
from canteen.finance.models import COST_CATEGORIES
from reports import loaders

OPERATOR = "operator"
VARIABLE = "ingredients"
DAY_COLUMNS = [
    "meals",
    "diner_paid_fen",
    "subsidy_fen",
    "operator_discount_fen",
    "offline_refused_sales",
    "offline_refused_fen",
    "grant_fen",
    *(f"cost_{c}" for c in COST_CATEGORIES),
]


def daily(
    start: date,
    end: date,
    meal_days: pd.DataFrame,
    claim_days: pd.DataFrame,
    finance: pd.DataFrame,
    refused: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per canteen and day that has anything in the span, with :data:`DAY_COLUMNS`.

    ``meal_days``, ``claim_days``, ``finance`` and ``refused`` (``refused_offline_days``) are
    the loaders' frames, already restricted to the canteen(s) reported on. Each source becomes
    long rows (canteen, day, column, value), summed and spread into the columns once.
    """
    keys = ["canteen_id", "local_date"]
    own = claim_days["funder"].astype(str) == OPERATOR
    kind = finance["kind"].astype(str)
    refused = refused if refused is not None else loaders.frame([], loaders.REFUSED_DAYS)
    names = {
        "cash_fen": "diner_paid_fen",
        "sales": "offline_refused_sales",
        "operator_fen": "offline_refused_fen",
    }
    long = pd.concat(
        [
            meal_days.melt(keys, ["meals", "diner_paid_fen"], "column", "value"),
            refused.melt(keys, list(names), "column", "value").replace({"column": names}),
            claim_days[keys].assign(
                column=own.map({True: "operator_discount_fen", False: "subsidy_fen"}),
                value=claim_days["subsidy_fen"],
            ),
            finance[keys].assign(
                column=("cost_" + finance["category"].astype(str)).where(
                    kind == "cost", "grant_fen"
                ),
                value=finance["amount_fen"],
            ),
        ],
        ignore_index=True,
    ).astype({"column": str, "value": "int64"})
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    long = long[(long["local_date"] >= lo) & (long["local_date"] <= hi)]
    spread = long.pivot_table(
        index=keys, columns="column", values="value", aggfunc="sum", fill_value=0
    )
    spread = spread.reindex(columns=DAY_COLUMNS, fill_value=0).astype("int64")
    return spread.reset_index().sort_values(keys, ignore_index=True)


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def summary(days: pd.DataFrame, day_count: int) -> dict[str, Any]:
    """The API.md figures (less ``days``) over rows of :func:`daily` spanning ``day_count`` days."""
    total = {c: int(days[c].sum()) for c in DAY_COLUMNS}
    meals = total["meals"]
    costs = {c: total[f"cost_{c}"] for c in COST_CATEGORIES}
    cost = sum(costs.values())
    revenue = total["diner_paid_fen"] + total["subsidy_fen"] + total["grant_fen"]
    margin = revenue - cost
    return {
        "meals": meals,
        "diner_paid_fen": total["diner_paid_fen"],
        "subsidy_fen": total["subsidy_fen"],
        "grant_fen": total["grant_fen"],
        "revenue_fen": revenue,
        "cost_fen": cost,
        "cost_by_category": costs,
        "margin_fen": margin,
        "margin_pct": _pct(margin, revenue),
        "cost_per_meal_fen": cost // meals if meals else None,
        "revenue_per_meal_fen": revenue // meals if meals else None,
        "subsidy_dependency_pct": _pct(total["subsidy_fen"] + total["grant_fen"], revenue),
        "break_even_meals_per_day": break_even(
            meals=meals,
            days=day_count,
            brought_fen=total["diner_paid_fen"] + total["subsidy_fen"],
            variable_fen=costs[VARIABLE],
            fixed_fen=cost - costs[VARIABLE] - total["grant_fen"],
        ),
        "operator_discount_fen": total["operator_discount_fen"],
        "offline_refused_sales": total["offline_refused_sales"],
        "offline_refused_fen": total["offline_refused_fen"],
    }


def break_even(
    *, meals: int, days: int, brought_fen: int, variable_fen: int, fixed_fen: int
) -> int | None:
    """Meals a day to cover ``fixed_fen`` over ``days`` (see the module docstring), in ints.

    >>> break_even(meals=300, days=30, brought_fen=390_000, variable_fen=180_000, fixed_fen=105_000)
    5
    """
    contribution = brought_fen - variable_fen
    if meals == 0 or days == 0 or contribution <= 0:
        return None
    if fixed_fen <= 0:
        return 0
    return -(-fixed_fen * meals // (days * contribution))


def _series(days: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Every calendar day of the span (the canteens summed), zeros where nothing happened."""
    calendar = pd.date_range(start, end, freq="D").astype("datetime64[s]")
    summed = days.groupby("local_date")[DAY_COLUMNS].sum()
    return summed.reindex(calendar, fill_value=0).rename_axis("local_date").reset_index()


def _day_out(row: Any) -> dict[str, Any]:
    cost = sum(int(getattr(row, f"cost_{c}")) for c in COST_CATEGORIES)
    revenue = int(row.diner_paid_fen) + int(row.subsidy_fen) + int(row.grant_fen)
    return {
        "date": row.local_date.date().isoformat(),
        "meals": int(row.meals),
        "revenue_fen": revenue,
        "cost_fen": cost,
        "diner_paid_fen": int(row.diner_paid_fen),
        "subsidy_fen": int(row.subsidy_fen),
        "grant_fen": int(row.grant_fen),
        "margin_fen": revenue - cost,
        "offline_refused_fen": int(row.offline_refused_fen),
    }


def report(
    start: date,
    end: date,
    meal_days: pd.DataFrame,
    claim_days: pd.DataFrame,
    finance: pd.DataFrame,
    canteen_id: int | None = None,
    cooked: pd.DataFrame | None = None,
    refused: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """API.md's sustainability document, plus ``months`` (the month-on-month trend), over
    every canteen ``canteens`` (each one's own figures), and with the kitchens' ``cooked``
    counts (``reports.loaders.kitchen_cooked``) ``waste`` (:func:`waste`); ``refused`` is
    ``reports.loaders.refused_offline_days``'s frame (none: no refused offline sales)."""
    days = daily(start, end, meal_days, claim_days, finance, refused)
    series = _series(days, start, end)
    out: dict[str, Any] = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "canteen_id": canteen_id,
        **summary(days, periods.days_in(start, end)),
        "days": [_day_out(row) for row in series.itertuples(index=False)],
        "months": months(days, start, end),
    }
    if cooked is not None:
        out["waste"] = waste(start, end, cooked, meal_days, finance)
    if canteen_id is None:
        out["canteens"] = [
            {"canteen_id": int(cid), **summary(part, periods.days_in(start, end))}
            for cid, part in days.groupby(days["canteen_id"])
        ]
    return out


def _waste_figures(cooked: int, sold: int, left: int, meals: int, food_fen: int) -> dict[str, Any]:
    portions = meals + left
    return {
        "portions_cooked": cooked,
        "portions_sold": sold,
        "portions_left_over": left,
        "waste_rate_pct": _pct(left, cooked),
        "food_cost_per_portion_fen": food_fen // portions if portions else None,
        "waste_cost_fen": food_fen * left // portions if portions else 0,
    }


def _waste_row(r: Any) -> dict[str, Any]:
    figures = _waste_figures(int(r.cooked), int(r.sold), int(r.left), int(r.meals), int(r.food))
    return {
        "canteen_id": int(r.canteen_id),
        "month": str(r.month),
        "days_recorded": int(r.days),
        **figures,
    }


def waste(
    start: date,
    end: date,
    cooked: pd.DataFrame,
    meal_days: pd.DataFrame,
    finance: pd.DataFrame,
) -> dict[str, Any]:
    """What was cooked and not sold, per canteen and month the kitchens recorded anything in,
    and over all of them (see the module docstring): ``rows`` and the totals.

    ``cooked`` is ``reports.loaders.kitchen_cooked``'s frame; ``meal_days`` and ``finance`` the
    same frames as :func:`report`'s."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    keys = ["canteen_id", "month"]

    def monthly(frame: pd.DataFrame, **sums: pd.Series) -> pd.DataFrame:
        inside = (frame["local_date"] >= lo) & (frame["local_date"] <= hi)
        rows = pd.DataFrame(
            {
                "canteen_id": frame["canteen_id"],
                "month": frame["local_date"].dt.strftime("%Y-%m"),
                **sums,
            }
        )[inside]
        return rows.groupby(keys)[list(sums)].sum()

    left = (cooked["cooked"] - cooked["sold"]).clip(lower=0)
    recorded = monthly(cooked, cooked=cooked["cooked"], sold=cooked["sold"], left=left)
    days = cooked.assign(month=cooked["local_date"].dt.strftime("%Y-%m"))
    inside = (days["local_date"] >= lo) & (days["local_date"] <= hi)
    recorded["days"] = days[inside].groupby(keys)["local_date"].nunique()
    food = finance["category"].astype(str).eq(VARIABLE) & finance["kind"].astype(str).eq("cost")
    spent = monthly(finance[food], food=finance["amount_fen"][food])
    sold = monthly(meal_days, meals=meal_days["meals"])
    found = recorded.join(spent, how="left").join(sold, how="left").fillna(0).astype("int64")
    rows = [_waste_row(r) for r in found.sort_index().reset_index().itertuples(index=False)]
    figures = _waste_figures(
        *(int(found[c].sum()) for c in ("cooked", "sold", "left", "meals", "food"))
    )
    figures["waste_cost_fen"] = sum(row["waste_cost_fen"] for row in rows)
    return {**figures, "days_recorded": sum(row["days_recorded"] for row in rows), "rows": rows}


def months(days: pd.DataFrame, start: date, end: date) -> list[dict[str, Any]]:
    """The summary per calendar month the span touches (a partial month counts its own days)."""
    month_of = days["local_date"].dt.strftime("%Y-%m")
    found = []
    for month in periods.months_in(start, end):
        first, last = periods.month_span(month)
        span_days = periods.days_in(max(first, start), min(last, end))
        found.append({"month": month, **summary(days[month_of == month], span_days)})
    return found
