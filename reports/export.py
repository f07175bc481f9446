"""Reports as files: CSV and XLSX (the JSON is the report dict itself).

XLSX (openpyxl, write-only, so a claim with a hundred thousand detail rows streams): one sheet
per view, a bold header, money as yuan with two decimals (``#,##0.00``) and a bold totals row.
Amounts reach the cell as exact decimals (``Decimal(fen) / 100``), never through a float. CSV
keeps integer fen for machines and adds a ``_yuan`` text column beside each amount for people.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from canteen.money import format_yuan

YUAN_FORMAT = "#,##0.00"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def yuan(fen: int) -> Decimal:
    """Fen as an exact decimal of yuan, for a spreadsheet cell: 1250 -> Decimal('12.50')."""
    return Decimal(int(fen)).scaleb(-2)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"
    """``text``, ``int``, ``fen`` (shown as yuan), ``pct`` (a float of percent)."""
    width: int = 12


def _cell(ws: WriteOnlyWorksheet, value: Any, kind: str, bold: bool = False) -> Any:
    if value is None:
        value = ""
    elif kind == "fen":
        value = yuan(value)
    cell = WriteOnlyCell(ws, value=value)
    if kind == "fen":
        cell.number_format = YUAN_FORMAT
    elif kind == "pct" and value != "":
        cell.number_format = "0.0"
    if bold:
        cell.font = BOLD
    return cell


def _plain(value: Any) -> Any:
    """A cell value openpyxl writes as is: numpy numbers become Python ones."""
    if value is None:
        return ""
    if hasattr(value, "item"):
        return value.item()
    return value


def add_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    totals: dict[str, Any] | None = None,
) -> None:
    """One view: header, rows, and a totals row (its first column says 合计 Total)."""
    ws = wb.create_sheet(title)
    for i, column in enumerate(columns):
        ws.column_dimensions[_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, c.title, "text", bold=True) for c in columns])
    styled = [c.kind in ("fen", "pct") for c in columns]
    for row in rows:
        ws.append(
            [
                _cell(ws, row.get(c.key), c.kind) if style else _plain(row.get(c.key))
                for c, style in zip(columns, styled, strict=True)
            ]
        )
    if totals is not None:
        first = {columns[0].key: "合计 Total", **totals}
        ws.append([_cell(ws, first.get(c.key), c.kind, bold=True) for c in columns])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def workbook() -> Workbook:
    return Workbook(write_only=True)


def xlsx_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """CSV of ``rows``; every ``*_fen`` column gets a ``*_yuan`` text column after it."""
    header: list[str] = []
    for column in columns:
        header.append(column)
        if column.endswith("_fen"):
            header.append(column[: -len("_fen")] + "_yuan")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        values: list[Any] = []
        for column in columns:
            value = row.get(column)
            values.append("" if value is None else value)
            if column.endswith("_fen"):
                values.append("" if value is None else format_yuan(int(value)))
        writer.writerow(values)
    return out.getvalue()


# --- The subsidy claim ----------------------------------------------------------------------

CLAIM_ROWS = [
    Column("canteen_id", "食堂 Canteen", "int", 10),
    Column("canteen", "食堂名称 Name", "text", 22),
    Column("funder", "资助方 Funder", "text", 12),
    Column("rule", "规则 Rule", "text", 14),
    Column("label", "说明 Label", "text", 26),
    Column("pays", "支付 Pays", "text", 10),
    Column("meals", "餐数 Meals", "int", 10),
    Column("subsidy_fen", "补贴(元) Subsidy", "fen", 16),
]
CLAIM_FUNDERS = [
    Column("funder", "资助方 Funder", "text", 14),
    Column("meals", "餐数 Meals", "int", 10),
    Column("subsidy_fen", "补贴(元) Subsidy", "fen", 16),
]
CLAIM_DETAIL = [
    Column("diner_id", "长者 Diner", "int", 10),
    Column("name", "姓名 Name", "text", 12),
    Column("id_number_masked", "身份证 ID (masked)", "text", 22),
    Column("district", "户籍区 District", "text", 12),
    Column("street", "户籍街道 Street", "text", 12),
    Column("canteen_id", "食堂 Canteen", "int", 10),
    Column("funder", "资助方 Funder", "text", 12),
    Column("rule", "规则 Rule", "text", 14),
    Column("pays", "支付 Pays", "text", 10),
    Column("meals", "餐数 Meals", "int", 10),
    Column("subsidy_fen", "补贴(元) Subsidy", "fen", 16),
]


def claim_csv(report: dict[str, Any], detail: pd.DataFrame | None = None) -> str:
    """The claim's rows (or, given ``detail``, the per-diner rows) as CSV."""
    if detail is not None:
        return csv_text([c.key for c in CLAIM_DETAIL], detail.to_dict("records"))
    columns = ["month", "canteen_id", "funder", "rule", "label", "pays", "meals", "subsidy_fen"]
    rows = ({"month": report["month"], **row} for row in report["rows"])
    return csv_text(columns, rows)


def claim_xlsx(
    report: dict[str, Any], detail: pd.DataFrame, canteen_names: dict[int, str]
) -> bytes:
    """Three sheets: by canteen and rule, by funder, and per diner; each with its totals."""
    wb = workbook()
    totals = report["totals"]
    rows = [{**r, "canteen": canteen_names.get(r["canteen_id"], "")} for r in report["rows"]]
    add_sheet(
        wb,
        f"汇总 {report['month']}",
        CLAIM_ROWS,
        rows,
        {"subsidy_fen": totals["subsidy_fen"]},  # meals per rule do not add up to meals
    )
    funders = [
        {"funder": f, "meals": totals["by_funder_meals"].get(f, 0), "subsidy_fen": fen}
        for f, fen in totals["by_funder"].items()
    ]
    add_sheet(
        wb,
        "按资助方 By funder",
        CLAIM_FUNDERS,
        funders,
        {"meals": totals["meals"], "subsidy_fen": totals["subsidy_fen"]},
    )
    add_sheet(
        wb,
        "明细 Per diner",
        CLAIM_DETAIL,
        detail.to_dict("records"),
        {"subsidy_fen": int(detail["subsidy_fen"].sum())},
    )
    return xlsx_bytes(wb)


# --- Sustainability -------------------------------------------------------------------------

SUMMARY_FIGURES = [
    ("meals", "餐数 Meals", "int"),
    ("diner_paid_fen", "长者支付 Paid by diners", "fen"),
    ("subsidy_fen", "补贴 Subsidies", "fen"),
    ("grant_fen", "资助 Grants", "fen"),
    ("revenue_fen", "收入 Revenue", "fen"),
    ("cost_fen", "成本 Cost", "fen"),
    ("margin_fen", "结余 Margin", "fen"),
    ("margin_pct", "结余率 Margin %", "pct"),
    ("cost_per_meal_fen", "每餐成本 Cost per meal", "fen"),
    ("revenue_per_meal_fen", "每餐收入 Revenue per meal", "fen"),
    ("subsidy_dependency_pct", "补贴依赖 Subsidy dependency %", "pct"),
    ("break_even_meals_per_day", "保本餐数/日 Break-even meals a day", "int"),
    ("operator_discount_fen", "运营方让利 Operator's own discount", "fen"),
]
DAYS = [
    Column("date", "日期 Date", "text", 12),
    Column("meals", "餐数 Meals", "int", 10),
    Column("diner_paid_fen", "长者支付 Paid", "fen", 14),
    Column("subsidy_fen", "补贴 Subsidy", "fen", 14),
    Column("grant_fen", "资助 Grant", "fen", 14),
    Column("revenue_fen", "收入 Revenue", "fen", 14),
    Column("cost_fen", "成本 Cost", "fen", 14),
    Column("margin_fen", "结余 Margin", "fen", 14),
]
PERIODS = [
    Column("meals", "餐数 Meals", "int", 10),
    Column("revenue_fen", "收入 Revenue", "fen", 14),
    Column("cost_fen", "成本 Cost", "fen", 14),
    Column("margin_fen", "结余 Margin", "fen", 14),
    Column("margin_pct", "结余率 Margin %", "pct", 12),
    Column("cost_per_meal_fen", "每餐成本 Cost/meal", "fen", 14),
    Column("revenue_per_meal_fen", "每餐收入 Revenue/meal", "fen", 16),
    Column("break_even_meals_per_day", "保本餐数/日 Break-even", "int", 16),
]
DAY_CSV = [
    "date",
    "meals",
    "diner_paid_fen",
    "subsidy_fen",
    "grant_fen",
    "revenue_fen",
    "cost_fen",
    "margin_fen",
]


def sustainability_csv(report: dict[str, Any]) -> str:
    """The daily series (the summary is in the JSON and the XLSX)."""
    return csv_text(DAY_CSV, report["days"])


def sustainability_xlsx(report: dict[str, Any], canteen_names: dict[int, str]) -> bytes:
    """Summary, days, months, costs by category, and (over every canteen) each canteen."""
    wb = workbook()
    ws = wb.create_sheet("汇总 Summary")
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 16
    span = f"{report['from']} – {report['to']}"
    ws.append([_cell(ws, "期间 Period", "text", True), span])
    for key, title, kind in SUMMARY_FIGURES:
        ws.append([_cell(ws, title, "text", True), _cell(ws, report.get(key), kind)])
    add_sheet(wb, "每日 Days", DAYS, report["days"], _sums(report["days"], DAYS))
    months = [Column("month", "月份 Month", "text", 10), *PERIODS]
    add_sheet(wb, "每月 Months", months, report["months"], _sums(report["months"], months[:5]))
    costs = [{"category": k, "amount_fen": v} for k, v in report["cost_by_category"].items()]
    add_sheet(
        wb,
        "成本 Costs",
        [
            Column("category", "类别 Category", "text", 16),
            Column("amount_fen", "金额 Amount", "fen", 16),
        ],
        costs,
        {"amount_fen": report["cost_fen"]},
    )
    if report.get("canteens"):
        canteens = [
            {**c, "name": canteen_names.get(c["canteen_id"], "")} for c in report["canteens"]
        ]
        columns = [
            Column("canteen_id", "食堂 Canteen", "int", 10),
            Column("name", "食堂名称 Name", "text", 22),
            *PERIODS,
        ]
        add_sheet(wb, "食堂 Canteens", columns, canteens, _sums(canteens, columns[2:6]))
    return xlsx_bytes(wb)


def _sums(rows: list[dict[str, Any]], columns: Sequence[Column]) -> dict[str, int]:
    """Totals of the additive columns (counts and fen; never ratios)."""
    return {
        c.key: sum(int(r.get(c.key) or 0) for r in rows)
        for c in columns
        if c.kind in ("int", "fen") and not c.key.endswith("_id")
    }
