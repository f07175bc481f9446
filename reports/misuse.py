"""Signals of possible misuse, for civil-affairs staff to look into: each with its meals.

Pure functions over ``loaders.meals`` (live meals), ``loaders.canteens`` and
``loaders.status_changes``. A signal is a reason to look, not a finding; the thresholds are
parameters with conservative defaults:

- ``card_at_two_canteens``: one card used at two different canteens within
  ``window_minutes`` (default 60) of each other: a card lent out, copied or shared.
- ``meal_after_status``: a meal sold while the diner was marked ``deceased`` or ``suspended``
  (from the audit log's status changes: from the change until the diner was made active again).
  The counter refuses such sales, so any found means a sale raced the change, or data was
  changed outside the service.
- ``manual_rate_canteen``: a canteen selling without a scanned card (manual fallback) at more
  than twice the rate of the other canteens plus two points, with at least 5 such sales.
- ``manual_rate_diner``: a diner with at least 3 manual sales, making up more than twice the
  usual rate plus ten points of their meals.
- ``fed_far_more``: a diner eating far more meals per eating day than the others: more than
  ``Q3 + 3 × IQR`` over all diners (Tukey's far-out fence), and at least one meal a day more
  than ``Q3`` (when nearly everyone eats once a day the IQR is 0), over at least 3 days.
- ``subsidised_in_two_districts``: one diner's subsidised meals on one day at canteens in two
  or more districts (each district's subsidy is meant for its own residents' meals).

Each signal says why in a ``code`` and its ``numbers`` (and, in two districts, their
``districts``), so a page or a file says it in its reader's language (the translation table's
``misuse_<code>``); ``detail`` is the same sentence in English, for the tools that read it.
"""

from datetime import timedelta
from typing import Any

import pandas as pd

KINDS = (
    "card_at_two_canteens",
    "meal_after_status",
    "manual_rate_canteen",
    "manual_rate_diner",
    "fed_far_more",
    "subsidised_in_two_districts",
)
INACTIVE = ("deceased", "suspended")
DETAILS = {
    "card_at_two_canteens": "card used at {canteens} canteens within {window_minutes} minutes",
    "meal_after_deceased": "{meals} meal(s) after the diner was marked deceased",
    "meal_after_suspended": "{meals} meal(s) after the diner was marked suspended",
    "manual_rate_canteen": "{manual} of {meals} sales without a card "
    "({rate_pct:.1f}% against {usual_pct:.1f}% elsewhere)",
    "manual_rate_diner": "{manual} of {meals} meals without a card (usual: {usual_pct:.1f}%)",
    "fed_far_more": "{meals} meals on {days} days "
    "({per_day:.2f} a day; others: at most {fence:.2f})",
    "subsidised_in_two_districts": "subsidised in {names}",
}
"""Each code's sentence in English, as ``detail`` has always said it."""


def _ids(values: Any) -> list[int]:
    return sorted(int(v) for v in values)


def _why(code: str, numbers: dict[str, int | float], **words: str) -> dict[str, Any]:
    """A signal's reason: its code, its numbers and the English sentence they make."""
    return {"code": code, "numbers": numbers, "detail": DETAILS[code].format(**numbers, **words)}


def card_at_two_canteens(meals: pd.DataFrame, window_minutes: int = 60) -> list[dict[str, Any]]:
    """Consecutive uses of one card at different canteens, closer than the window; one signal
    per card and day, with every meal involved."""
    carded = meals[meals["card_id"].notna()].sort_values(["card_id", "at", "meal_id"])
    carded = carded.reset_index(drop=True)
    previous = carded.shift(1)
    close = (
        (carded["card_id"] == previous["card_id"]).fillna(False).astype(bool)
        & (carded["canteen_id"] != previous["canteen_id"])
        & (carded["at"] - previous["at"] <= timedelta(minutes=window_minutes))
    )
    groups: dict[tuple[int, Any], tuple[set[int], set[int], int]] = {}
    for i in close[close].index:
        here, before = carded.iloc[i], carded.iloc[i - 1]
        key = (int(here["card_id"]), here["local_date"])
        ids, places, _ = groups.setdefault(key, (set(), set(), int(here["diner_id"])))
        ids.update({int(here["meal_id"]), int(before["meal_id"])})
        places.update({int(here["canteen_id"]), int(before["canteen_id"])})
    return [
        {
            "kind": "card_at_two_canteens",
            "diner_id": diner_id,
            "card_id": card,
            "local_date": day.date().isoformat(),
            "canteen_ids": sorted(places),
            **_why(
                "card_at_two_canteens",
                {"canteens": len(places), "window_minutes": window_minutes},
            ),
            "meal_ids": _ids(ids),
        }
        for (card, day), (ids, places, diner_id) in sorted(groups.items())
    ]


def meal_after_status(meals: pd.DataFrame, changes: pd.DataFrame) -> list[dict[str, Any]]:
    """Meals sold while their diner stood marked deceased or suspended."""
    found = []
    for diner_id, history in changes.sort_values("at").groupby("diner_id"):
        rows = history.to_dict("records")
        for i, change in enumerate(rows):
            if str(change["status"]) not in INACTIVE:
                continue
            until = next((r["at"] for r in rows[i + 1 :] if str(r["status"]) == "active"), None)
            eaten = meals[(meals["diner_id"] == diner_id) & (meals["at"] >= change["at"])]
            if until is not None:
                eaten = eaten[eaten["at"] < until]
            if len(eaten):
                found.append(
                    {
                        "kind": "meal_after_status",
                        "diner_id": int(change["diner_id"]),
                        "status": str(change["status"]),
                        "since": change["at"].isoformat(),
                        "canteen_ids": _ids(eaten["canteen_id"].unique()),
                        **_why(f"meal_after_{change['status']}", {"meals": len(eaten)}),
                        "meal_ids": _ids(eaten["meal_id"]),
                    }
                )
    return found


def manual_rate(
    meals: pd.DataFrame,
    *,
    canteen_min: int = 5,
    diner_min: int = 3,
) -> list[dict[str, Any]]:
    """Canteens and diners with far more sales without a scanned card than usual."""
    found: list[dict[str, Any]] = []
    per_canteen = meals.groupby("canteen_id")["manual"].agg(["sum", "size"])
    all_manual, all_meals = int(per_canteen["sum"].sum()), int(per_canteen["size"].sum())
    for canteen_id, manual, total in per_canteen.itertuples(name=None):
        others = all_meals - total
        usual = (all_manual - manual) / others if others else None
        if usual is None or manual < canteen_min or manual / total <= 2 * usual + 0.02:
            continue
        ids = meals[(meals["canteen_id"] == canteen_id) & meals["manual"]]["meal_id"]
        found.append(
            {
                "kind": "manual_rate_canteen",
                "canteen_ids": [int(canteen_id)],
                **_why(
                    "manual_rate_canteen",
                    {
                        "manual": int(manual),
                        "meals": int(total),
                        "rate_pct": manual * 100 / total,
                        "usual_pct": usual * 100,
                    },
                ),
                "meal_ids": _ids(ids),
            }
        )
    usual_rate = all_manual / all_meals if all_meals else 0.0
    per_diner = meals.groupby("diner_id")["manual"].agg(["sum", "size"])
    for diner_id, manual, total in per_diner.itertuples(name=None):
        if manual < diner_min or manual / total <= 2 * usual_rate + 0.10:
            continue
        eaten = meals[(meals["diner_id"] == diner_id) & meals["manual"]]
        found.append(
            {
                "kind": "manual_rate_diner",
                "diner_id": int(diner_id),
                "canteen_ids": _ids(eaten["canteen_id"].unique()),
                **_why(
                    "manual_rate_diner",
                    {"manual": int(manual), "meals": int(total), "usual_pct": usual_rate * 100},
                ),
                "meal_ids": _ids(eaten["meal_id"]),
            }
        )
    return found


def fed_far_more(meals: pd.DataFrame, min_days: int = 3) -> list[dict[str, Any]]:
    """Diners eating far more meals per eating day than the rest (Tukey's far-out fence)."""
    per_diner = meals.groupby("diner_id").agg(
        meals=("meal_id", "size"), days=("local_date", "nunique")
    )
    if per_diner.empty:
        return []
    rate = per_diner["meals"] / per_diner["days"]
    q1, q3 = rate.quantile(0.25), rate.quantile(0.75)
    fence = max(q3 + 3 * (q3 - q1), q3 + 1)
    flagged = per_diner[(rate > fence) & (per_diner["days"] >= min_days)]
    found = []
    for diner_id, meals_eaten, days in flagged.itertuples(name=None):
        eaten = meals[meals["diner_id"] == diner_id]
        found.append(
            {
                "kind": "fed_far_more",
                "diner_id": int(diner_id),
                "canteen_ids": _ids(eaten["canteen_id"].unique()),
                **_why(
                    "fed_far_more",
                    {
                        "meals": int(meals_eaten),
                        "days": int(days),
                        "per_day": float(rate[diner_id]),
                        "fence": float(fence),
                    },
                ),
                "meal_ids": _ids(eaten["meal_id"]),
            }
        )
    return found


def subsidised_in_two_districts(meals: pd.DataFrame, canteens: pd.DataFrame) -> list[dict]:
    """One diner's subsidised meals in two or more districts on the same day."""
    district = canteens.set_index("canteen_id")["district"]
    subsidised = meals[(meals["subsidy_fen"] + meals["operator_subsidy_fen"]) > 0].assign(
        district=lambda m: m["canteen_id"].map(district)
    )
    spread = subsidised.groupby(["diner_id", "local_date"])["district"].nunique()
    found = []
    for diner_id, day in spread[spread >= 2].index:
        eaten = subsidised[(subsidised["diner_id"] == diner_id) & (subsidised["local_date"] == day)]
        districts = sorted(set(eaten["district"]))
        found.append(
            {
                "kind": "subsidised_in_two_districts",
                "diner_id": int(diner_id),
                "local_date": day.date().isoformat(),
                "canteen_ids": _ids(eaten["canteen_id"].unique()),
                "districts": districts,
                **_why(
                    "subsidised_in_two_districts",
                    {"districts": len(districts)},
                    names=", ".join(districts),
                ),
                "meal_ids": _ids(eaten["meal_id"]),
            }
        )
    return found


def signals(
    meals: pd.DataFrame,
    canteens: pd.DataFrame,
    changes: pd.DataFrame,
    *,
    window_minutes: int = 60,
) -> dict[str, Any]:
    """Every signal of the span's meals, and how many of each kind."""
    found = [
        *card_at_two_canteens(meals, window_minutes),
        *meal_after_status(meals, changes),
        *manual_rate(meals),
        *fed_far_more(meals),
        *subsidised_in_two_districts(meals, canteens),
    ]
    return {
        "signals": found,
        "counts": {kind: sum(1 for s in found if s["kind"] == kind) for kind in KINDS},
        "meals": len(meals),
        "window_minutes": window_minutes,
    }
