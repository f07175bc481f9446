"""What a draft policy would have cost: the past span's meals priced again under it.

Pure: the meals, diners, canteens and offering tags come in as frames (``reports.loaders``);
each meal is priced by the same engine the counter uses (``canteen.policies.engine.price``),
and the result is compared with what was actually paid, per funder, per diner category and per
canteen.

How faithful it is, and where it is not:

- The diner's **age is taken on the meal's date**; categories, disability level and registered
  district/street are the diner's **as enrolled now** (a change of category within the span is
  not replayed).
- The canteen's district and street, and the **offering's tags, are today's**; a meal sold
  without an offering has no tags.
- **Limits** are counted in the order the meals were sold (by time, then id), per diner and
  rule across all canteens, over the span only: slots used before the span's first day (earlier
  in its first month) are not known, so a monthly limit starts empty on that day.
- The same meals are re-priced: the draft cannot tell who would have eaten more or less had the
  prices been different. Voided meals are left out, as in every report.
- The draft's ``effective_from`` is ignored: it prices the whole span.

Identical situations are priced once (a cache keyed by everything the engine reads), so a
month of a district's meals costs a few seconds, not a call per meal.
"""

from collections import defaultdict
from typing import Any

import pandas as pd

from canteen.diners.resident_id import age_on
from canteen.policies import engine, schema
from canteen.policies.schema import PolicyDocument

NO_CATEGORY = "none"
LINES = {"meal_id": "int64", "funder": "str", "rule": "str", "pays": "str", "amount_fen": "int64"}


def _people(diners: pd.DataFrame) -> dict[int, tuple[Any, ...]]:
    """diner id -> (birth date, categories, disability level, district, street)."""
    return {
        int(d): (
            birth.date(),
            frozenset(categories),
            None if pd.isna(level) else int(level),
            district,
            street,
        )
        for d, birth, categories, level, district, street in zip(
            diners["diner_id"],
            diners["birth_date"],
            diners["categories"],
            diners["disability_level"],
            diners["district"],
            diners["street"],
            strict=True,
        )
    }


def reprice(
    policy: PolicyDocument,
    meals: pd.DataFrame,
    diners: pd.DataFrame,
    canteens: pd.DataFrame,
    tags: dict[int, frozenset[str]],
) -> pd.DataFrame:
    """Every subsidy line the draft gives the meals, one row per (meal, rule).

    ``meals`` (``loaders.meals``) is priced in the order sold; the result's columns are
    ``meal_id, funder, rule, pays, amount_fen`` (int64 fen).
    """
    people = _people(diners)
    places = {
        int(c): (district, street)
        for c, district, street in zip(
            canteens["canteen_id"], canteens["district"], canteens["street"], strict=True
        )
    }
    limited = [r.code for r in policy.rules if r.daily_limit or r.monthly_limit]
    used: dict[tuple[int, str, str], int] = defaultdict(int)
    cache: dict[tuple[Any, ...], engine.Pricing] = {}
    found: list[tuple[int, str, str, str, int]] = []
    ordered = meals.sort_values(["at", "meal_id"])
    columns = ("meal_id", "diner_id", "canteen_id", "meal_type", "price_fen", "offering_id")
    dates = ordered["local_date"].dt.date
    for (meal_id, diner_id, canteen_id, meal_type, price, offering), on in zip(
        zip(*(ordered[c].tolist() for c in columns), strict=True), dates.tolist(), strict=True
    ):
        birth, categories, level, district, street = people[diner_id]
        day, month = on.isoformat(), on.strftime("%Y-%m")
        usage = tuple(
            (code, used[(diner_id, code, day)], used[(diner_id, code, month)]) for code in limited
        )
        meal_tags = frozenset() if offering is None or pd.isna(offering) else tags.get(offering)
        key = (
            age_on(birth, on),
            categories,
            level,
            district,
            street,
            canteen_id,
            str(meal_type),
            price,
            meal_tags or frozenset(),
            usage,
        )
        pricing = cache.get(key)
        if pricing is None:
            who = engine.Diner(key[0], categories, level, district, street)
            served = schema.meal_type(key[6])
            what = engine.Meal(canteen_id, *places[canteen_id], served, price, key[8])
            counts = {code: engine.Usage(today, this_month) for code, today, this_month in usage}
            pricing = cache[key] = engine.price(policy, who, what, counts)
        for pays, lines in (("diner", pricing.lines), ("operator", pricing.operator_lines)):
            for line in lines:
                found.append((meal_id, line.funder, line.rule, pays, line.amount_fen))
                if line.rule in limited:
                    used[(diner_id, line.rule, day)] += 1
                    used[(diner_id, line.rule, month)] += 1
    return pd.DataFrame.from_records(found, columns=list(LINES)).astype(LINES)


def _change(actual: int, simulated: int) -> dict[str, int]:
    return {"actual_fen": actual, "simulated_fen": simulated, "change_fen": simulated - actual}


def compare(
    meals: pd.DataFrame,
    simulated: pd.DataFrame,
    actual_days: pd.DataFrame,
    diners: pd.DataFrame,
    canteen_id: int | None = None,
) -> dict[str, Any]:
    """Actual against simulated subsidy, in all and per funder, per category, per canteen.

    ``meals`` are the span's live meals; ``simulated`` is :func:`reprice`'s lines for them;
    ``actual_days`` the span's roll-up rows (``loaders.claim_days``). With ``canteen_id`` only
    that canteen's meals are compared (the others were still priced, for the limits).
    Amounts count every line, both those lowering the price and those paid to the canteen.
    """
    if canteen_id is not None:
        meals = meals[meals["canteen_id"] == canteen_id]
        actual_days = actual_days[actual_days["canteen_id"] == canteen_id]
    simulated = simulated[simulated["meal_id"].isin(meals["meal_id"])]
    sim_meal = simulated.groupby("meal_id")["amount_fen"].sum()
    sim_discount = simulated[simulated["pays"] == "diner"].groupby("meal_id")["amount_fen"].sum()
    per_meal = meals.set_index("meal_id")
    per_meal = per_meal.assign(
        actual=per_meal["subsidy_fen"] + per_meal["operator_subsidy_fen"],
        simulated=sim_meal.reindex(per_meal.index, fill_value=0),
        simulated_pay=per_meal["price_fen"] - sim_discount.reindex(per_meal.index, fill_value=0),
    )
    actual_total = int(actual_days["subsidy_fen"].sum())
    return {
        "meals": len(per_meal),
        **_change(actual_total, int(simulated["amount_fen"].sum())),
        "diners_pay": _change(int(per_meal["pay_fen"].sum()), int(per_meal["simulated_pay"].sum())),
        "by_funder": _by_funder(actual_days, simulated),
        "by_category": _by_category(per_meal, diners),
        "by_canteen": _by_canteen(actual_days, per_meal),
    }


def _by_funder(actual_days: pd.DataFrame, simulated: pd.DataFrame) -> list[dict[str, Any]]:
    actual = actual_days.groupby(actual_days["funder"].astype(str))["subsidy_fen"].sum()
    sim = simulated.groupby("funder")["amount_fen"].sum()
    funders = sorted(set(actual.index) | set(sim.index))
    return [{"funder": f, **_change(int(actual.get(f, 0)), int(sim.get(f, 0)))} for f in funders]


def _by_category(per_meal: pd.DataFrame, diners: pd.DataFrame) -> list[dict[str, Any]]:
    """Per category: the meals of diners in it (a diner in two categories counts in both)."""
    categories = diners.set_index("diner_id")["categories"]
    rows = per_meal[["diner_id", "actual", "simulated"]].copy()
    rows["category"] = [
        list(categories.get(d, [])) or [NO_CATEGORY] for d in rows["diner_id"].tolist()
    ]
    exploded = rows.explode("category")
    grouped = exploded.groupby("category").agg(
        diners=("diner_id", "nunique"),
        meals=("diner_id", "size"),
        actual=("actual", "sum"),
        simulated=("simulated", "sum"),
    )
    return [
        {
            "category": str(category),
            "diners": int(r.diners),
            "meals": int(r.meals),
            **_change(int(r.actual), int(r.simulated)),
        }
        for category, r in grouped.sort_index().iterrows()
    ]


def _by_canteen(actual_days: pd.DataFrame, per_meal: pd.DataFrame) -> list[dict[str, Any]]:
    actual = actual_days.groupby("canteen_id")["subsidy_fen"].sum()
    grouped = per_meal.groupby("canteen_id").agg(
        meals=("diner_id", "size"), sim=("simulated", "sum")
    )
    canteens = sorted(set(actual.index) | set(grouped.index))
    return [
        {
            "canteen_id": int(c),
            "meals": int(grouped["meals"].get(c, 0)),
            **_change(int(actual.get(c, 0)), int(grouped["sim"].get(c, 0))),
        }
        for c in canteens
    ]
