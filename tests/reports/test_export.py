"""reports.export and reports.charts: files people open, with exact yuan and totals."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from canteen.web import i18n
from reports import charts, claims, export, loaders, sustainability, xlsx
from reports.loaders import Span
from tests.reports.frames import OCT_1, OCT_31, claim_day, claim_days, finance, meal_days

ZH, EN = i18n.translator("zh"), i18n.translator("en")
TODAY = date(2025, 11, 5)

CLAIM = claims.report(
    "2025-10",
    claim_days(
        claim_day(1, "2025-10-01", "city", "city", "diner", 3, 900),
        claim_day(2, "2025-10-01", "district", "service", "operator", 1, 1),
    ),
)


def test_yuan_is_exact_never_a_float():
    assert xlsx.yuan(1) == Decimal("0.01") and xlsx.yuan(123456789) == Decimal("1234567.89")
    assert xlsx.yuan(-305) == Decimal("-3.05")


def test_csv_has_a_bom_fen_and_yuan_side_by_side_and_names_beside_codes():
    text = export.claim_csv(CLAIM, {1: "北京街"}, ZH)
    assert text.startswith("\ufeff")  # Excel on a Chinese Windows reads it as UTF-8
    assert text[1:].splitlines() == [
        "month,canteen_id,canteen_name,funder,funder_name,rule,label,pays,pays_name,meals,"
        "subsidy_fen,subsidy_yuan",
        "2025-10,1,北京街,city,市级,city,city,diner,减免餐价,3,900,9.00",
        "2025-10,2,2,district,区级,service,service,operator,按餐补给食堂,1,1,0.01",
    ]
    assert "District,service,service,operator,Paid to the canteen per meal" in export.claim_csv(
        CLAIM, {}, EN
    )


def test_claim_xlsx_sheets_formats_and_totals():
    detail = claims.diner_detail(
        loaders.frame([], loaders.DINER_DETAIL), loaders.frame([], loaders.DINERS)
    )
    content = export.claim_xlsx(CLAIM, detail, {1: "北京街"}, ZH, TODAY)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["汇总", "按食堂和补贴项目", "个人明细"]
    rows = list(book["按食堂和补贴项目"].iter_rows(values_only=True))
    assert rows[0][0] == "2025-10 助餐补贴申报汇总表 · 按食堂和补贴项目"
    assert rows[1][:3] == ("序号", "食堂", "出资方") and rows[2][:3] == (1, "北京街", "市级")
    assert rows[-1][0] == "合计" and rows[-1][-1] == pytest.approx(9.01)
    sheet = book["按食堂和补贴项目"]
    assert sheet["G3"].number_format == "#,##0.00" and sheet["A2"].font.bold
    assert sheet["G5"].font.bold and sheet["G3"].border.left.style == "thin"
    assert list(book["个人明细"].iter_rows(values_only=True))[-1][0] == "合计"
    summary = [r[0] for r in book["汇总"].iter_rows(values_only=True) if r[0]]
    assert "合计金额（大写）：人民币玖元零壹分" in summary


def test_sustainability_xlsx_and_csv():
    report = sustainability.report(
        OCT_1,
        OCT_31,
        meal_days((1, "2025-10-01", 10, 10_000)),
        claim_days(claim_day(1, "2025-10-01", "city", "city", "diner", 10, 3_000)),
        finance((1, "2025-10-01", "cost", "ingredients", 5_000)),
    )
    content = export.sustainability_xlsx(report, {1: "北京街"}, ZH)
    book = openpyxl.load_workbook(io.BytesIO(content))
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True)}
    assert "2025-10-01 至 2025-10-31 收支与保本（31 天）" in summary
    assert summary["收入"] == pytest.approx(130.0) and summary["结余率 %"] == 61.5
    assert book["汇总"]["B6"].number_format == "#,##0.00"
    days = list(book["每日"].iter_rows(values_only=True))
    assert len(days) == 1 + 1 + 31 + 1 and days[-1][:2] == ("合计", 10)
    costs = {r[0]: r[1] for r in book["成本"].iter_rows(values_only=True)}
    assert costs["食材"] == pytest.approx(50.0) and costs["房租"] == 0
    canteens = list(book["各食堂"].iter_rows(values_only=True))
    assert canteens[2][0] == "北京街"
    english = openpyxl.load_workbook(
        io.BytesIO(export.sustainability_xlsx(report, {1: "北京街"}, EN))
    )
    assert english.sheetnames[:2] == ["Summary", "Days"]
    csv_lines = export.sustainability_csv(report).removeprefix("\ufeff").splitlines()
    assert (
        csv_lines[1]
        == "2025-10-01,10,10000,100.00,3000,30.00,0,0.00,13000,130.00,5000,50.00,8000,80.00,0,0.00"
    )


@pytest.mark.parametrize(
    "draw",
    [charts.revenue_and_cost, charts.per_meal, charts.meals_and_break_even],
)
def test_sustainability_charts_are_pngs_with_or_without_data(draw):
    empty = sustainability.report(OCT_1, OCT_31, meal_days(), claim_days(), finance())
    full = sustainability.report(
        OCT_1, OCT_31, meal_days((1, "2025-10-01", 10, 10_000)), claim_days(), finance()
    )
    for report in (empty, full):
        assert draw(report, EN)[:8] == b"\x89PNG\r\n\x1a\n"


def test_claim_chart():
    assert charts.claim_by_funder(CLAIM, EN)[:4] == b"\x89PNG"
    assert charts.claim_by_funder(claims.report("2025-02", claim_days()), EN)[:4] == b"\x89PNG"


def test_spans_are_cut_into_chunks_of_days():
    pieces = Span(date(2025, 10, 1), date(2025, 10, 20), 3).chunks(8)
    assert [(p.start.day, p.end.day, p.canteen_id) for p in pieces] == [
        (1, 8, 3),
        (9, 16, 3),
        (17, 20, 3),
    ]
    assert Span(date(2025, 10, 1), date(2025, 10, 1)).chunks() == [
        Span(date(2025, 10, 1), date(2025, 10, 1))
    ]


def test_frames_keep_their_dtypes_empty_or_not():
    for rows in ([], [(1, "2025-10-01", "city", "city", "diner", 1, 1, 1, 300)]):
        found = loaders.frame(rows, loaders.CLAIM_DAYS)
        assert found.dtypes.astype(str).to_dict() == {
            "canteen_id": "int64",
            "local_date": "datetime64[s]",
            "funder": "category",
            "rule": "category",
            "pays": "category",
            "meals": "int64",
            "funder_meals": "int64",
            "all_meals": "int64",
            "subsidy_fen": "int64",
        }


def test_xlsx_text_is_escaped_empty_cells_stay_empty_and_yuan_keeps_its_sign():
    wb = export.workbook()
    columns = [
        export.Column("name", "名 <Name> & co", "text"),
        export.Column("fen", "元", "fen"),
        export.Column("pct", "%", "pct"),
    ]
    rows = [{"name": " 陈 & <b>\x01", "fen": -305, "pct": 61.5}, {"name": None, "fen": 0}]
    export.add_sheet(wb, "A & B", columns, rows, {"fen": -305}, t=EN)
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(wb)))
    sheet = book["A & B"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["名 <Name> & co", "元", "%"],
        [" 陈 & <b>", -3.05, 61.5],  # a control character XML cannot hold is dropped
        [None, 0, None],
        ["Total", -3.05, None],
    ]
    assert sheet["B2"].number_format == "#,##0.00" and sheet["C2"].number_format == "0.0"
    assert sheet["B4"].font.bold and not sheet["B2"].font.bold and sheet.freeze_panes == "A2"
