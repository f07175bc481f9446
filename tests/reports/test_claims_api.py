"""GET /reports/subsidy-claims: what each funder owes for a month, exact to the fen."""

import csv
import io

import openpyxl
from tortoise import Tortoise

from canteen.claims.models import ClaimDay
from tests.reports.scenario import at

A_ROWS = [
    ("district", "age80", "diner", 1, 500),
    ("district", "service", "operator", 1, 300),
    ("operator", "op_discount", "diner", 2, 200),
    ("street", "age60", "diner", 1, 200),
]
B_ROWS = [
    ("district", "service", "operator", 1, 300),
    ("operator", "op_discount", "diner", 1, 100),
    ("street", "age60", "diner", 1, 200),
]


def rows_of(report: dict, canteen_id: int) -> list[tuple]:
    return [
        (r["funder"], r["rule"], r["pays"], r["meals"], r["subsidy_fen"])
        for r in report["rows"]
        if r["canteen_id"] == canteen_id
    ]


async def test_the_month_by_canteen_funder_and_rule_without_the_voided_meal(oct_2025):
    s = oct_2025
    r = await s.admin.get("/reports/subsidy-claims", params={"month": "2025-10"})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["month"] == "2025-10"
    assert rows_of(report, s.counter.canteen_id) == A_ROWS
    assert rows_of(report, s.canteen_b) == B_ROWS
    assert report["totals"] == {
        "meals": 3,
        "subsidy_fen": 1800,
        "by_funder": {"district": 1100, "operator": 300, "street": 400},
        "by_funder_meals": {"district": 2, "operator": 3, "street": 2},
        "by_pays": {"diner": 1200, "operator": 600},
    }
    labels = {r["rule"]: r["label"] for r in report["rows"]}
    assert labels["age80"] == "80 岁及以上" and labels["service"] == "运营补贴"
    assert report.get("diners") is None


async def test_totals_equal_a_plain_sql_sum_of_the_live_lines_also_after_more_voids(
    oct_2025, database_url
):
    s = oct_2025
    await s.void("m2", at(11, 3))  # a late void changes the live sum: the report follows it
    conn = Tortoise.get_connection("sqlite" if database_url.startswith("sqlite") else "postgres")
    found = await conn.execute_query_dict(
        'SELECT COUNT(DISTINCT m."id") AS meals, SUM(l."amount_fen") AS fen'
        ' FROM "subsidy_line" l JOIN "meal" m ON m."id" = l."meal_id"'
        ' WHERE m."voided_at" IS NULL AND m."local_date" >= \'2025-10-01\''
        " AND m.\"local_date\" <= '2025-10-31'"
    )
    report = (await s.admin.get("/reports/subsidy-claims", params={"month": "2025-10"})).json()
    assert report["totals"]["subsidy_fen"] == int(found[0]["fen"]) == 1800 - 300
    assert report["totals"]["meals"] == int(found[0]["meals"]) == 2


async def test_one_canteen_and_the_per_diner_detail(oct_2025):
    s = oct_2025
    params = {"month": "2025-10", "canteen_id": s.canteen_b, "detail": "diner"}
    report = (await s.admin.get("/reports/subsidy-claims", params=params)).json()
    assert rows_of(report, s.canteen_b) == B_ROWS and report["canteen_id"] == s.canteen_b
    assert report["totals"]["subsidy_fen"] == 600
    assert [(d["name"], d["rule"], d["meals"], d["subsidy_fen"]) for d in report["diners"]] == [
        ("黄国强", "service", 1, 300),
        ("黄国强", "op_discount", 1, 100),
        ("黄国强", "age60", 1, 200),
    ]
    masked = report["diners"][0]["id_number_masked"]
    assert len(masked) == 18 and masked[:14] == "*" * 14


async def test_the_per_diner_mask_is_the_offices_alone(oct_2025, as_role):
    s = oct_2025
    params = {"month": "2025-10", "canteen_id": s.canteen_b, "detail": "diner"}
    office = (await s.admin.get("/reports/subsidy-claims", params=params)).json()["diners"]
    manager = await as_role("manager", canteen_id=s.canteen_b)
    own = (await manager.get("/reports/subsidy-claims", params=params)).json()["diners"]
    assert {d["id_number_masked"][:14] for d in office} == {"*" * 14}
    assert [d["id_number_masked"] for d in own] == [""] * len(office)
    assert [d["subsidy_fen"] for d in own] == [d["subsidy_fen"] for d in office]


async def test_a_manager_sees_only_their_own_canteen(oct_2025, as_role):
    s = oct_2025
    manager = await as_role("manager", canteen_id=s.canteen_b)
    own = (await manager.get("/reports/subsidy-claims", params={"month": "2025-10"})).json()
    assert own["canteen_id"] == s.canteen_b and own["totals"]["subsidy_fen"] == 600
    other = await manager.get(
        "/reports/subsidy-claims", params={"month": "2025-10", "canteen_id": s.counter.canteen_id}
    )
    assert other.status_code == 403 and other.json()["code"] == "forbidden"
    cashier = await s.counter.cashier.get("/reports/subsidy-claims", params={"month": "2025-10"})
    assert cashier.status_code == 403


async def test_a_bad_month_or_unknown_canteen_is_refused(oct_2025):
    s = oct_2025
    bad = await s.admin.get("/reports/subsidy-claims", params={"month": "2025-13"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "month"
    missing = await s.admin.get(
        "/reports/subsidy-claims", params={"month": "2025-10", "canteen_id": 999}
    )
    assert missing.status_code == 404


async def test_csv_keeps_fen_adds_yuan_and_names_and_opens_in_excel(oct_2025):
    s = oct_2025
    r = await s.admin.get("/reports/subsidy-claims", params={"month": "2025-10", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="subsidy-claims-2025-10.csv"' in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 7
    age80 = next(row for row in rows if row["rule"] == "age80")
    assert (age80["subsidy_fen"], age80["subsidy_yuan"], age80["pays"]) == ("500", "5.00", "diner")
    assert (age80["funder_name"], age80["pays_name"], age80["label"]) == (
        "区级",
        "减免餐价",
        "80 岁及以上",
    )
    params = {"month": "2025-10", "format": "csv", "detail": "diner"}
    diners = await s.admin.get("/reports/subsidy-claims", params=params)
    assert 'filename="subsidy-claims-2025-10-diners.csv"' in diners.headers["content-disposition"]
    people = list(csv.DictReader(io.StringIO(diners.content.decode("utf-8-sig"))))
    assert {p["name"] for p in people} == {"王秀英", "黄国强"}
    english = await s.admin.get("/reports/subsidy-claims", params=params | {"lang": "en"})
    assert "District" in english.text and "区级" not in english.text


async def test_xlsx_is_a_summary_to_sign_and_its_rows_in_chinese(oct_2025):
    s = oct_2025
    r = await s.admin.get("/reports/subsidy-claims", params={"month": "2025-10", "format": "xlsx"})
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["汇总", "按食堂和补贴项目", "个人明细"]
    summary = [row for row in book["汇总"].iter_rows(values_only=True)]
    texts = [row[0] for row in summary if isinstance(row[0], str)]
    assert texts[0] == "2025-10 助餐补贴申报汇总表"
    assert "所属期：2025-10" in texts and any(x.startswith("申报单位：") for x in texts)
    assert "合计金额（小写）：¥18.00" in texts and "合计金额（大写）：人民币壹拾捌元整" in texts
    assert any("经办人" in x and "审核人" in x and "负责人" in x for x in texts)
    funders = {row[1]: row[2:4] for row in summary if isinstance(row[0], int)}
    assert funders == {"区级": (2, 11), "运营方": (3, 3), "街道": (2, 4)}
    assert next(row for row in summary if row[0] == "合计")[2:4] == (3, 18)
    rows = list(book["按食堂和补贴项目"].iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "食堂", "出资方", "补贴项目")
    assert rows[-1][0] == "合计" and float(rows[-1][-1]) == 18.00
    assert book["按食堂和补贴项目"]["G3"].number_format == "#,##0.00"
    detail = list(book["个人明细"].iter_rows(values_only=True))
    assert len(detail) == 2 + 7 + 1  # title, header, a row per diner/canteen/rule, totals
    assert {row[1] for row in detail[2:-1]} == {"王秀英", "黄国强"}
    assert detail[-1][0] == "合计" and detail[-1][-1] == 18
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert "&P" in sheet.oddFooter.center.text
    assert book["个人明细"].print_title_rows == "$1:$2"


async def test_png_chart_of_what_each_funder_owes(oct_2025):
    s = oct_2025
    r = await s.admin.get("/reports/subsidy-claims", params={"month": "2025-10", "format": "png"})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.content.startswith(b"\x89PNG")


async def test_the_roll_up_equals_the_live_lines_row_for_row(oct_2025, database_url):
    await oct_2025.void("m1", at(11, 4))
    conn = Tortoise.get_connection("sqlite" if database_url.startswith("sqlite") else "postgres")
    lines = await conn.execute_query_dict(
        'SELECT m."canteen_id", m."local_date", l."funder", l."rule", l."pays",'
        ' COUNT(*) AS meals, SUM(l."amount_fen") AS fen'
        ' FROM "subsidy_line" l JOIN "meal" m ON m."id" = l."meal_id"'
        ' WHERE m."voided_at" IS NULL'
        ' GROUP BY m."canteen_id", m."local_date", l."funder", l."rule", l."pays"'
    )
    expected = {
        (r["canteen_id"], str(r["local_date"]), r["funder"], r["rule"], r["pays"]): (
            int(r["meals"]),
            int(r["fen"]),
        )
        for r in lines
    }
    rolled = {
        (d.canteen_id, str(d.local_date), d.funder, d.rule, d.pays): (d.meals, d.subsidy_fen)
        for d in await ClaimDay.filter(meals__gt=0)
    }
    assert rolled == expected and len(expected) == 8
    # m4's three rows and m1's age80 and service rows were emptied by the voids (m1's
    # op_discount row still holds m2's line).
    assert await ClaimDay.filter(meals=0).count() == 5
