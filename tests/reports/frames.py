"""Small hand-made frames with the loaders' columns and dtypes, for the pure report tests."""

from datetime import date
from typing import Any

import pandas as pd

from reports import loaders


def frame(schema: dict[str, str], rows: list[dict[str, Any]]) -> pd.DataFrame:
    return loaders.frame([tuple(row[c] for c in schema) for row in rows], schema)


def claim_day(
    canteen: int,
    day: str,
    funder: str,
    rule: str,
    pays: str,
    meals: int,
    fen: int,
    funder_meals: int | None = None,
    all_meals: int | None = None,
) -> dict:
    return {
        "canteen_id": canteen,
        "local_date": day,
        "funder": funder,
        "rule": rule,
        "pays": pays,
        "meals": meals,
        "funder_meals": meals if funder_meals is None else funder_meals,
        "all_meals": meals if all_meals is None else all_meals,
        "subsidy_fen": fen,
    }


def claim_days(*rows: dict) -> pd.DataFrame:
    return frame(loaders.CLAIM_DAYS, list(rows))


def meal_days(*rows: tuple) -> pd.DataFrame:
    """(canteen, day, meals, diner_paid_fen)"""
    return frame(
        loaders.MEAL_DAYS,
        [
            {
                "canteen_id": c,
                "local_date": d,
                "meals": m,
                "price_fen": 0,
                "diner_paid_fen": p,
                "discount_fen": 0,
                "operator_subsidy_fen": 0,
                "manual_meals": 0,
            }
            for c, d, m, p in rows
        ],
    )


def finance(*rows: tuple) -> pd.DataFrame:
    """(canteen, day, kind, category, fen)"""
    return frame(
        loaders.FINANCE,
        [
            {"canteen_id": c, "local_date": d, "kind": k, "category": cat, "amount_fen": fen}
            for c, d, k, cat, fen in rows
        ],
    )


def meal(meal_id: int, diner: int, canteen: int, at: str, **over: Any) -> dict:
    row = {
        "meal_id": meal_id,
        "canteen_id": canteen,
        "diner_id": diner,
        "card_id": diner + 100,
        "offering_id": None,
        "meal_type": "lunch",
        "price_fen": 1200,
        "subsidy_fen": 600,
        "operator_subsidy_fen": 0,
        "pay_fen": 600,
        "local_date": at[:10],
        "at": at + ":00+08:00",
        "manual": False,
    }
    return row | over


def meals(*rows: dict) -> pd.DataFrame:
    return frame(loaders.MEALS, list(rows))


def diner(diner_id: int, birth: str, categories: list[str] | None = None, **over: Any) -> dict:
    row = {
        "diner_id": diner_id,
        "name": f"长者{diner_id}",
        "id_number_masked": "*" * 14 + f"{diner_id:04d}",
        "birth_date": birth,
        "district": "越秀区",
        "street": "北京街",
        "categories": categories or [],
        "disability_level": None,
        "status": "active",
        "home_canteen_id": 1,
    }
    return row | over


def diners(*rows: dict) -> pd.DataFrame:
    return frame(loaders.DINERS, list(rows))


def canteens(*rows: tuple) -> pd.DataFrame:
    """(id, district, street)"""
    return frame(
        loaders.CANTEENS,
        [{"canteen_id": c, "name": f"食堂{c}", "district": d, "street": s} for c, d, s in rows],
    )


OCT_1, OCT_31 = date(2025, 10, 1), date(2025, 10, 31)
