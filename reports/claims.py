"""The monthly subsidy claim, from the daily roll-up: pure functions over frames.

What each funder owes for a month, by canteen, funder, rule and pays (API.md's
``/reports/subsidy-claims``), its totals, and the per-diner detail. Voided meals are not in the
frames at all (the roll-up and the detail loader count live meals only). Lines paid to the
operator on top of the price (``pays: operator``) are claimed like the others and marked so;
the operator's own discount (funder ``operator``) is listed for completeness: nobody owes it.

Every amount is summed as int64 fen and leaves as a Python ``int``: the totals equal the plain
SQL sum of the month's live subsidy lines, to the fen.
"""

from typing import Any

import pandas as pd

ROW_KEYS = ["canteen_id", "funder", "rule", "pays"]


def rows(days: pd.DataFrame) -> pd.DataFrame:
    """By canteen, funder, rule and pays: meals with a line of that rule, and the fen."""
    grouped = days.groupby(ROW_KEYS, observed=True, as_index=False)[["meals", "subsidy_fen"]].sum()
    grouped = grouped[grouped["meals"] > 0]
    order = grouped.astype({k: str for k in ("funder", "rule", "pays")}).sort_values(ROW_KEYS)
    return grouped.loc[order.index].reset_index(drop=True)


def _by(days: pd.DataFrame, key: str, column: str) -> dict[str, int]:
    sums = days.groupby(key, observed=True)[column].sum()
    return {str(k): int(v) for k, v in sorted(sums.items(), key=lambda kv: str(kv[0])) if v}


def totals(days: pd.DataFrame) -> dict[str, Any]:
    """Subsidised meals (each once, however many lines it has), fen, and fen per funder.

    Additions to API.md: ``by_funder_meals`` (each funder's meals, counted once per meal) and
    ``by_pays`` (fen lowering diners' prices vs paid to the canteen on top).
    """
    return {
        "meals": int(days["all_meals"].sum()),
        "subsidy_fen": int(days["subsidy_fen"].sum()),
        "by_funder": _by(days, "funder", "subsidy_fen"),
        "by_funder_meals": _by(days, "funder", "funder_meals"),
        "by_pays": _by(days, "pays", "subsidy_fen"),
    }


def report(
    month: str,
    days: pd.DataFrame,
    labels: dict[str, str] | None = None,
    canteen_id: int | None = None,
) -> dict[str, Any]:
    """The claim document of API.md, from the month's roll-up rows (``loaders.claim_days``)."""
    labels = labels or {}
    found = rows(days)
    return {
        "month": month,
        "canteen_id": canteen_id,
        "rows": [
            {
                "canteen_id": int(r.canteen_id),
                "funder": str(r.funder),
                "rule": str(r.rule),
                "label": labels.get(str(r.rule), str(r.rule)),
                "pays": str(r.pays),
                "meals": int(r.meals),
                "subsidy_fen": int(r.subsidy_fen),
            }
            for r in found.itertuples(index=False)
        ],
        "totals": totals(days),
    }


DETAIL_COLUMNS = [
    "diner_id",
    "name",
    "id_number_masked",
    "district",
    "street",
    "canteen_id",
    "funder",
    "rule",
    "pays",
    "meals",
    "subsidy_fen",
]


def diner_detail(detail: pd.DataFrame, diners: pd.DataFrame) -> pd.DataFrame:
    """The per-diner sheet: who ate where, under which rule, how many meals, how much.

    ``detail`` comes from ``loaders.diner_detail``, ``diners`` from ``loaders.diners``; the
    resident ID number appears only masked (the last four), and only where the loader
    decrypted it for the office.
    """
    people = diners[["diner_id", "name", "id_number_masked", "district", "street"]]
    merged = detail.merge(people, on="diner_id", how="left", validate="many_to_one")
    for column in ("name", "id_number_masked", "district", "street"):
        merged[column] = merged[column].fillna("").astype(str)
    order = merged.astype({k: str for k in ("funder", "rule", "pays")}).sort_values(
        ["diner_id", "canteen_id", "funder", "rule", "pays"]
    )
    out = merged.loc[order.index, DETAIL_COLUMNS].reset_index(drop=True)
    return out.astype({"meals": "int64", "subsidy_fen": "int64"})


def detail_records(detail: pd.DataFrame) -> list[dict[str, Any]]:
    """The per-diner rows as JSON-ready dicts (``&detail=diner``)."""
    return [
        {
            "diner_id": int(r.diner_id),
            "name": r.name,
            "id_number_masked": r.id_number_masked,
            "district": r.district,
            "street": r.street,
            "canteen_id": int(r.canteen_id),
            "funder": str(r.funder),
            "rule": str(r.rule),
            "pays": str(r.pays),
            "meals": int(r.meals),
            "subsidy_fen": int(r.subsidy_fen),
        }
        for r in detail.itertuples(index=False)
    ]
