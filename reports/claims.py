"""The monthly subsidy claim, from the daily roll-up: pure functions over frames.

What each funder owes for a month, by canteen, funder, rule and pays (API.md's
``/reports/subsidy-claims``), its totals, one funder's claim, and the per-diner detail.

This module is the one computation of a claim's figures. The report (JSON, CSV, XLSX, chart)
calls :func:`report`; the claims service (``canteen.claims.service``) reads the same roll-up
frame (``loaders.claim_days``) for a draft's live figures and for the figures a submission
freezes, and calls :func:`funder_claim`, built on the same :func:`rows` and :func:`totals`.
Why here and not in the service: the computation is a pure function of the roll-up rows, so it
is tested on hand-made frames without a database, and the month's report and a funder's claim
cannot drift apart (they once were a pandas ``groupby`` here and a SQL ``GROUP BY`` there).

Voided meals are not in the frames at all (the roll-up and the detail loader count live meals
only). Lines paid to the operator on top of the price (``pays: operator``) are claimed like the
others and marked so; the operator's own discount (funder ``operator``) is listed for
completeness: nobody owes it.

Every amount is summed as int64 fen and leaves as a Python ``int``: the totals equal the plain
SQL sum of the month's live subsidy lines, to the fen.
"""

from dataclasses import dataclass
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


@dataclass(frozen=True)
class FunderClaim:
    """One funder's share of the roll-up rows given: what its claim asks for."""

    meals: int
    """The funder's meals, each counted once however many of its lines a meal has."""
    subsidy_fen: int
    rows: list[dict[str, Any]]
    """By canteen, rule and pays: ``{"canteen_id", "rule", "pays", "meals", "subsidy_fen"}``."""


def funder_claim(days: pd.DataFrame, funder: str) -> FunderClaim:
    """The figures of ``funder``'s claim over ``days`` (the roll-up rows of its month, already
    restricted to the canteen claimed for, if one): the report's numbers for that funder.

    >>> from reports.loaders import CLAIM_DAYS, frame
    >>> days = frame([(1, "2025-10-01", "city", "c", "diner", 2, 2, 2, 600)], CLAIM_DAYS)
    >>> funder_claim(days, "city").subsidy_fen, funder_claim(days, "street").meals
    (600, 0)
    """
    mine = days[days["funder"].astype(str) == funder]
    sums = totals(mine)
    return FunderClaim(
        meals=sums["by_funder_meals"].get(funder, 0),
        subsidy_fen=sums["by_funder"].get(funder, 0),
        rows=[
            {k: v for k, v in row.items() if k not in ("funder", "label")}
            for row in _row_records(mine, {})
        ],
    )


def _row_records(days: pd.DataFrame, labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "canteen_id": int(r["canteen_id"]),
            "funder": str(r["funder"]),
            "rule": str(r["rule"]),
            "label": labels.get(str(r["rule"]), str(r["rule"])),
            "pays": str(r["pays"]),
            "meals": int(r["meals"]),
            "subsidy_fen": int(r["subsidy_fen"]),
        }
        for r in rows(days).to_dict("records")
    ]


def report(
    month: str,
    days: pd.DataFrame,
    labels: dict[str, str] | None = None,
    canteen_id: int | None = None,
) -> dict[str, Any]:
    """The claim document of API.md, from the month's roll-up rows (``loaders.claim_days``)."""
    return {
        "month": month,
        "canteen_id": canteen_id,
        "rows": _row_records(days, labels or {}),
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
            "diner_id": int(r["diner_id"]),
            "name": r["name"],
            "id_number_masked": r["id_number_masked"],
            "district": r["district"],
            "street": r["street"],
            "canteen_id": int(r["canteen_id"]),
            "funder": str(r["funder"]),
            "rule": str(r["rule"]),
            "pays": str(r["pays"]),
            "meals": int(r["meals"]),
            "subsidy_fen": int(r["subsidy_fen"]),
        }
        for r in detail.to_dict("records")
    ]


CLAIM_DINER_COLUMNS = ["section", *DETAIL_COLUMNS]
_LINE_KEYS = ["diner_id", "canteen_id", "funder", "rule", "pays"]


def claim_diners(
    claimed: pd.DataFrame, carried: pd.DataFrame, diners: pd.DataFrame, section: str
) -> pd.DataFrame:
    """One claim's rows per diner, whose fen add up to what the claim asks for.

    ``claimed`` (``loaders.claim_diner_detail``): the month's lines the claim counts, under
    ``section`` (``submitted``, or ``live`` for a draft); ``carried`` (same columns): one row
    per line of the earlier months' late voids it carries, ``meals`` -1 and the fen negative,
    summed here per diner, canteen, rule and pays under ``adjustment``. Each row has the
    diner's name and masked ID (:func:`diner_detail`).
    """
    withdrawn = carried.groupby(_LINE_KEYS, observed=True, as_index=False)[
        ["meals", "subsidy_fen"]
    ].sum()
    parts = [
        diner_detail(claimed, diners).assign(section=section),
        diner_detail(withdrawn, diners).assign(section="adjustment"),
    ]
    found = [part for part in parts if len(part)] or parts[:1]
    joined = pd.concat(found, ignore_index=True) if len(found) > 1 else found[0]
    return joined[CLAIM_DINER_COLUMNS]
