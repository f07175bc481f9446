"""One claim computation: the claims service, the month's JSON, CSV and XLSX agree to the fen.

The claims service (a draft's live figures, a submission's frozen ones) and the month's report
both compute from the daily roll-up through ``reports.claims``; these tests read each of them
the way its user does, on the October scenario, on both databases.
"""

import csv
import io
from collections import defaultdict
from decimal import Decimal

import openpyxl

from tests.claims.test_claims_api import call, draft
from tests.reports.scenario import at

CLAIMED = ("district", "street")
KEYS = ("canteen_id", "rule", "pays", "meals", "subsidy_fen")


async def _downloads(s) -> tuple[dict, list[dict], openpyxl.Workbook]:
    month = {"month": "2025-10"}
    report = (await call(s.admin, "GET", "/reports/subsidy-claims?month=2025-10", at(11, 7))).json()
    got = await s.admin.get("/reports/subsidy-claims", params=month | {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    book = await s.admin.get("/reports/subsidy-claims", params=month | {"format": "xlsx"})
    return report, rows, openpyxl.load_workbook(io.BytesIO(book.content))


def _xlsx_by_funder(book: openpyxl.Workbook) -> dict[str, Decimal]:
    """The summary sheet's funder table: funder name -> amount in yuan."""
    return {
        row[1]: row[3]
        for row in book["汇总"].iter_rows(values_only=True)
        if isinstance(row[0], int)
    }


async def test_the_claims_and_the_months_json_csv_and_xlsx_agree_to_the_fen(oct_2025):
    s = oct_2025
    claims = {f: (await draft(s.admin, "2025-10", funder=f)).json() for f in CLAIMED}
    report, csv_rows, book = await _downloads(s)
    csv_fen: dict[str, int] = defaultdict(int)
    for row in csv_rows:
        csv_fen[row["funder"]] += int(row["subsidy_fen"])
    xlsx_yuan = _xlsx_by_funder(book)
    names = {"district": "区级", "street": "街道"}
    for funder, claim in claims.items():
        fen = claim["subsidy_fen"]
        assert fen == report["totals"]["by_funder"][funder] == csv_fen[funder]
        assert xlsx_yuan[names[funder]] == Decimal(fen) / 100
        assert claim["meals"] == report["totals"]["by_funder_meals"][funder]
        assert claim["rows"] == [
            {k: row[k] for k in KEYS} for row in report["rows"] if row["funder"] == funder
        ]
    assert (claims["district"]["subsidy_fen"], claims["street"]["subsidy_fen"]) == (1100, 400)


async def test_a_submitted_claim_stays_as_frozen_while_the_month_follows_the_voids(oct_2025):
    s = oct_2025
    claim = (await draft(s.admin, "2025-10")).json()
    frozen = (await call(s.admin, "POST", f"/claims/{claim['id']}/submit", at(11, 5, 12))).json()
    await s.void("m3", at(11, 6))  # canteen B's district service line, 300 fen
    report, csv_rows, book = await _downloads(s)
    assert report["totals"]["by_funder"]["district"] == 1100 - 300
    assert sum(int(r["subsidy_fen"]) for r in csv_rows if r["funder"] == "district") == 800
    assert _xlsx_by_funder(book)["区级"] == Decimal("8.00")
    again = (await call(s.admin, "GET", f"/claims/{claim['id']}", at(11, 7))).json()
    assert (again["subsidy_fen"], again["rows"]) == (frozen["subsidy_fen"], frozen["rows"])
    assert frozen["subsidy_fen"] + sum(a["amount_fen"] for a in again["late_voids"]) == 800
    export = await call(s.admin, "GET", f"/claims/{claim['id']}/export", at(11, 7))
    lines = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert sum(int(r["subsidy_fen"]) for r in lines if r["section"] == "submitted") == 1100
