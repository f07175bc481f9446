"""GET /reports/sustainability: revenue, costs, margin and break-even over a span."""

import csv
import io

import openpyxl
import pytest

from tests.reports.scenario import October

OCTOBER = {"from": "2025-10-01", "to": "2025-10-31"}


@pytest.fixture
async def books(oct_2025: October) -> October:
    s = oct_2025
    a, b = s.counter.canteen_id, s.canteen_b
    for cid, day, kind, category, fen in (
        (a, "2025-10-01", "cost", "rent", 3000),
        (a, "2025-10-14", "cost", "ingredients", 1000),
        (a, "2025-10-14", "cost", "labor", 2000),
        (a, "2025-10-10", "grant", "operating_grant", 2500),
        (b, "2025-10-15", "cost", "ingredients", 500),
        (a, "2025-11-01", "cost", "rent", 3000),  # outside the span
    ):
        body = {"date": day, "kind": kind, "category": category, "amount_fen": fen}
        assert (await s.admin.post(f"/canteens/{cid}/finance", body)).status_code == 201
    return s


async def test_one_canteens_month_every_figure(books):
    s = books
    r = await s.admin.get(
        "/reports/sustainability", params={**OCTOBER, "canteen_id": s.counter.canteen_id}
    )
    assert r.status_code == 200, r.text
    report = r.json()
    figures = {k: v for k, v in report.items() if k not in ("days", "months", "waste")}
    assert figures == {
        "from": "2025-10-01",
        "to": "2025-10-31",
        "canteen_id": s.counter.canteen_id,
        "meals": 2,
        "diner_paid_fen": 2100,
        "subsidy_fen": 1000,  # age80 500 + service 300 + age60 200; not the operator's own 200
        "grant_fen": 2500,
        "revenue_fen": 5600,
        "cost_fen": 6000,
        "cost_by_category": {
            "ingredients": 1000,
            "labor": 2000,
            "rent": 3000,
            "utilities": 0,
            "equipment": 0,
            "other": 0,
        },
        "margin_fen": -400,
        "margin_pct": -7.1,
        "cost_per_meal_fen": 3000,
        "revenue_per_meal_fen": 2800,
        "subsidy_dependency_pct": 62.5,
        "break_even_meals_per_day": 1,
        "operator_discount_fen": 200,
        "offline_refused_sales": 0,
        "offline_refused_fen": 0,
        "canteens": None,
    }
    days = {d["date"]: d for d in report["days"]}
    assert len(days) == 31
    assert days["2025-10-14"] == {
        "date": "2025-10-14",
        "meals": 2,
        "revenue_fen": 3100,
        "cost_fen": 3000,
        "diner_paid_fen": 2100,
        "subsidy_fen": 1000,
        "grant_fen": 0,
        "margin_fen": 100,
        "offline_refused_fen": 0,
    }
    assert days["2025-10-20"]["meals"] == 0  # m4 was voided
    assert [m["month"] for m in report["months"]] == ["2025-10"]
    assert report["months"][0]["margin_fen"] == -400


async def test_every_canteen_together_and_each_apart(books):
    s = books
    report = (await s.admin.get("/reports/sustainability", params=OCTOBER)).json()
    assert (report["meals"], report["revenue_fen"], report["cost_fen"]) == (3, 7300, 6500)
    assert (report["margin_fen"], report["margin_pct"]) == (800, 11.0)
    assert (report["cost_per_meal_fen"], report["revenue_per_meal_fen"]) == (2166, 2433)
    assert report["subsidy_dependency_pct"] == 54.8
    assert [(c["canteen_id"], c["margin_fen"]) for c in report["canteens"]] == [
        (s.counter.canteen_id, -400),
        (s.canteen_b, 1200),
    ]


async def test_a_manager_sees_their_own_canteen_only(books, as_role):
    s = books
    manager = await as_role("manager", canteen_id=s.canteen_b)
    own = (await manager.get("/reports/sustainability", params=OCTOBER)).json()
    assert own["canteen_id"] == s.canteen_b and own["cost_fen"] == 500
    other = await manager.get(
        "/reports/sustainability", params={**OCTOBER, "canteen_id": s.counter.canteen_id}
    )
    assert other.status_code == 403


async def test_a_backwards_or_endless_span_is_422(books):
    s = books
    backwards = await s.admin.get(
        "/reports/sustainability", params={"from": "2025-11-01", "to": "2025-10-01"}
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "from"
    endless = await s.admin.get(
        "/reports/sustainability", params={"from": "2015-01-01", "to": "2025-10-01"}
    )
    assert endless.status_code == 422


async def test_csv_xlsx_and_charts(books):
    s = books
    got = await s.admin.get("/reports/sustainability", params={**OCTOBER, "format": "csv"})
    assert got.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert len(rows) == 31
    assert rows[13]["date"] == "2025-10-14" and rows[13]["revenue_yuan"] == "31.00"
    xlsx = await s.admin.get("/reports/sustainability", params={**OCTOBER, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["汇总", "每日", "每月", "成本", "各食堂"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True)}
    assert float(summary["结余"]) == 8.0 and summary["供餐份数"] == 3
    costs = list(book["成本"].iter_rows(values_only=True))
    assert costs[-1][0] == "合计" and float(costs[-1][1]) == 65.0
    assert {row[0] for row in costs[2:-1]} >= {"食材", "人工", "房租"}
    english = await s.admin.get(
        "/reports/sustainability", params={**OCTOBER, "format": "xlsx", "lang": "en"}
    )
    assert openpyxl.load_workbook(io.BytesIO(english.content)).sheetnames[0] == "Summary"
    for chart in ("revenue_cost", "per_meal", "break_even"):
        png = await s.admin.get(
            "/reports/sustainability", params={**OCTOBER, "format": "png", "chart": chart}
        )
        assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
