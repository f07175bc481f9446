"""Reports as files: CSV and XLSX (the JSON is the report dict itself).

XLSX: one sheet per view, a bold header, money as yuan with two decimals (``#,##0.00``) and a
bold totals row. Amounts reach the cell as exact decimals of yuan (``12.50`` from 1250 fen),
never through a float. The workbook is written here as SpreadsheetML, streamed row by row
into the zip file (:class:`Workbook`): a claim's per-diner sheet of 160,000 rows takes a few
seconds, where openpyxl took a minute (its cell objects and pure-Python XML writer cost some
35 µs a cell on the benchmark machine). CSV keeps integer fen for machines and adds a
``_yuan`` text column beside each amount for people.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

from canteen.money import format_yuan

YUAN_FORMAT = "#,##0.00"
PCT_FORMAT = "0.0"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


# --- A streaming XLSX writer ----------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{YUAN_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{PCT_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"'
    ' applyFont="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"'
    ' applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_STYLE = {("text", False): 0, ("text", True): 1, ("fen", False): 2, ("fen", True): 3}
_STYLE |= {("pct", False): 4, ("pct", True): 5, ("int", False): 0, ("int", True): 1}
ROWS_PER_WRITE = 2_000
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters XML 1.0 cannot carry at all; they are dropped from text cells."""


def _letter(index: int) -> str:
    """The column letters of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _yuan_text(fen: int) -> str:
    """1250 -> '12.50', exactly (the text of :func:`yuan`)."""
    units, cents = divmod(abs(int(fen)), 100)
    return f"{'-' if fen < 0 else ''}{units}.{cents:02d}"


def _number(value: Any) -> str:
    """A cell's value element for a number (numpy's become Python's; a bool is a bool)."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, bool):
        return f"<v>{int(value)}</v>"  # read back as a number: no report writes a bool
    if isinstance(value, Decimal):
        return f"<v>{value:f}</v>"
    return f"<v>{value!r}</v>"


class RowFormat:
    """How one kind of row is written: each column's letters, style and kind."""

    def __init__(self, kinds: Sequence[str], bold: bool | Sequence[bool] = False) -> None:
        bolds = [bold] * len(kinds) if isinstance(bold, bool) else list(bold)
        self.cells = []
        for i, (kind, strong) in enumerate(zip(kinds, bolds, strict=True)):
            style = _STYLE[kind, strong]
            self.cells.append((_letter(i), f' s="{style}"' if style else "", kind))


class Workbook:
    """An XLSX file written as it goes: sheets one after another, each streamed into the zip
    row by row, text cells through one shared-strings table, and six styles (plain, bold,
    yuan, bold yuan, percent, bold percent). :meth:`close` returns the file's bytes."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._titles: list[str] = []
        self._strings: dict[str, int] = {}

    def sheet(
        self, title: str, widths: Sequence[int], rows: Iterable[str], freeze_header: bool = True
    ) -> None:
        """A sheet of rows made by :meth:`row`, streamed into the file in batches, its header
        row kept in view (unless not ``freeze_header``)."""
        self._titles.append(title)
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        view = (
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            if freeze_header
            else ""
        )
        with self._zip.open(f"xl/worksheets/sheet{len(self._titles)}.xml", "w") as part:
            part.write(
                (
                    f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
                    f'<sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
                    f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
                ).encode()
            )
            batch: list[str] = []
            for text in rows:
                batch.append(text)
                if len(batch) == ROWS_PER_WRITE:
                    part.write("".join(batch).encode())
                    batch.clear()
            part.write(("".join(batch) + "</sheetData></worksheet>").encode())

    def row(self, number: int, values: Sequence[Any], form: "RowFormat") -> str:
        """Row ``number`` (from 1) of ``values``; an empty one (None or "") is no cell."""
        n = str(number)
        cells = []
        for (letter, style, kind), value in zip(form.cells, values, strict=True):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                cells.append(f'<c r="{letter}{n}"{style} t="s"><v>{self._string(value)}</v></c>')
            elif kind == "fen":
                cells.append(f'<c r="{letter}{n}"{style}><v>{_yuan_text(value)}</v></c>')
            else:
                cells.append(f'<c r="{letter}{n}"{style}>{_number(value)}</c>')
        return f'<row r="{n}">{"".join(cells)}</row>'

    def _string(self, text: str) -> int:
        index = self._strings.get(text)
        if index is None:
            index = self._strings[text] = len(self._strings)
        return index

    def close(self) -> bytes:
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(self._titles, start=1)
        )
        sheet_rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self._titles) + 1)
        )
        n = len(self._titles)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        parts = {
            "[Content_Types].xml": (
                f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml"'
                f' ContentType="{office}.sharedStrings+xml"/>{overrides}</Types>'
            ),
            "_rels/.rels": (
                f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1"'
                f' Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews>'
                '<workbookView activeTab="0"/></bookViews>'
                f"<sheets>{sheets}</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}">{sheet_rels}'
                f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings"'
                ' Target="sharedStrings.xml"/></Relationships>'
            ),
            "xl/styles.xml": _STYLES,
            "xl/sharedStrings.xml": self._shared_strings(),
        }
        for name, text in parts.items():
            self._zip.writestr(name, text)
        self._zip.close()
        return self._buffer.getvalue()

    def _shared_strings(self) -> str:
        items = []
        for text in self._strings:
            clean = escape(_ILLEGAL.sub("", text))
            space = ' xml:space="preserve"' if clean != clean.strip() else ""
            items.append(f"<si><t{space}>{clean}</t></si>")
        count = len(items)
        return (
            f'{_HEAD}<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">'
            f"{''.join(items)}</sst>"
        )


def add_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]] | pd.DataFrame,
    totals: dict[str, Any] | None = None,
) -> None:
    """One view: header, rows (dicts, or a frame with the columns' keys), and a totals row
    (its first column says 合计 Total)."""
    keys, kinds = [c.key for c in columns], [c.kind for c in columns]
    plain = RowFormat(kinds)

    def lines() -> Iterable[str]:
        yield wb.row(1, [c.title for c in columns], RowFormat(["text"] * len(columns), True))
        number = 2
        if isinstance(rows, pd.DataFrame):
            body: Iterable[Sequence[Any]] = zip(*(_values(rows[k]) for k in keys), strict=True)
        else:
            body = ([row.get(k) for k in keys] for row in rows)
        for values in body:
            yield wb.row(number, values, plain)
            number += 1
        if totals is not None:
            first = {keys[0]: "合计 Total", **totals}
            yield wb.row(number, [first.get(k) for k in keys], RowFormat(kinds, bold=True))

    wb.sheet(title, [c.width for c in columns], lines())


def _values(column: pd.Series) -> list[Any]:
    """A frame column as Python values (codes as their text)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype(str).tolist()
    return column.tolist()


def workbook() -> Workbook:
    return Workbook()


def xlsx_bytes(wb: Workbook) -> bytes:
    return wb.close()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to Excel and LibreOffice: a diner
named ``=HYPERLINK(...)`` would run in the office that opens the claim (OWASP's CSV injection)."""


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: a text that a spreadsheet would run gets a leading ``'``, which
    spreadsheets read as "this is text" and hide; numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """CSV of ``rows``; every ``*_fen`` column gets a ``*_yuan`` text column after it.

    Every CSV this service writes goes through here, so every text cell is made safe to open
    in a spreadsheet (:func:`csv_cell`)."""
    header: list[str] = []
    for column in columns:
        header.append(column)
        if column.endswith("_fen"):
            header.append(column[: -len("_fen")] + "_yuan")
    out = io.StringIO()
    # Rows end in CRLF (RFC 4180): the writer quotes a cell holding any character of the line
    # end, so a bare CR in a note no longer splits a row in two, as it did with "\n" alone.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        values: list[Any] = []
        for column in columns:
            value = row.get(column)
            values.append("" if value is None else csv_cell(value))
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
        detail,
        {"subsidy_fen": int(detail["subsidy_fen"].sum())},
    )
    return xlsx_bytes(wb)


# --- One claim, as submitted ------------------------------------------------------------------

ONE_CLAIM_CSV = [
    "section",
    "canteen_id",
    "rule",
    "pays",
    "meals",
    "subsidy_fen",
    "meal_id",
    "local_date",
    "carried_by_claim_id",
]
"""``section``: ``submitted`` (a draft: ``live``) rows by canteen, rule and pays, exactly as
frozen; ``adjustment``: late voids of earlier months this claim carries; ``later_void``: lines
counted in the submitted figures whose meals were voided since, each with its meal and amount:
the whole difference between the submitted figures and today's meals."""
ONE_CLAIM_ROWS = [
    Column("canteen_id", "食堂 Canteen", "int", 10),
    Column("canteen", "食堂名称 Name", "text", 22),
    Column("rule", "规则 Rule", "text", 14),
    Column("pays", "支付 Pays", "text", 10),
    Column("meals", "餐数 Meals", "int", 10),
    Column("subsidy_fen", "补贴(元) Subsidy", "fen", 16),
]
ONE_CLAIM_VOIDS = [
    Column("meal_id", "餐 Meal", "int", 10),
    Column("local_date", "日期 Date", "text", 12),
    Column("canteen_id", "食堂 Canteen", "int", 10),
    Column("rule", "规则 Rule", "text", 14),
    Column("pays", "支付 Pays", "text", 10),
    Column("subsidy_fen", "补贴(元) Subsidy", "fen", 16),
    Column("carried_by_claim_id", "由申报单抵扣 Carried by", "int", 14),
]
ONE_CLAIM_FIGURES = [
    ("meals", "餐数 Meals", "int"),
    ("subsidy_fen", "补贴 Subsidy", "fen"),
    ("adjustment_fen", "调整 Adjustments carried", "fen"),
    ("claimed_fen", "申报金额 Claimed", "fen"),
    ("later_void_fen", "提交后作废 Voided after submission", "fen"),
    ("paid_amount_fen", "实收 Paid", "fen"),
    ("paid_difference_fen", "实收差额 Paid less claimed", "fen"),
]


def _void_rows(adjustments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "meal_id": a["meal_id"],
            "local_date": str(a["local_date"]),
            "canteen_id": a["canteen_id"],
            "rule": a["rule"],
            "pays": a["pays"],
            "subsidy_fen": a["amount_fen"],
            "carried_by_claim_id": a["claim_id"],
        }
        for a in adjustments
    ]


def one_claim_csv(claim: dict[str, Any]) -> str:
    """One claim (``ClaimOut`` as a dict): the rows it claims, exactly as submitted, the
    adjustments it carries, and each meal voided since its submission with its amount."""
    section = "live" if claim["live"] else "submitted"
    rows = [{"section": section, **row} for row in claim["rows"]]
    rows += [{"section": "adjustment", **r} for r in _void_rows(claim["adjustments"])]
    rows += [{"section": "later_void", **r} for r in _void_rows(claim["late_voids"])]
    return csv_text(ONE_CLAIM_CSV, rows)


ONE_CLAIM_FACTS = [
    Column("item", "项目 Item", "text", 34),
    Column("value", "内容 Value", "text", 26),
    Column("amount_fen", "金额(元) Amount", "fen", 16),
]


def one_claim_xlsx(claim: dict[str, Any], canteen_names: dict[int, str]) -> bytes:
    """Four sheets: the claim's figures, its rows as submitted (their totals row is the
    submitted subsidy), the adjustments it carries, and the meals voided after submission."""
    wb = workbook()
    figures = {**claim, "later_void_fen": sum(a["amount_fen"] for a in claim["late_voids"])}
    scope = canteen_names.get(claim["canteen_id"], str(claim["canteen_id"]))
    facts = [
        ("申报单 Claim", str(claim["id"])),
        ("月份 Month", claim["month"]),
        ("资助方 Funder", claim["funder"]),
        ("食堂 Canteen", scope if claim["canteen_id"] else "全部 All"),
        ("状态 Status", claim["status"]),
        ("提交时间 Submitted at", str(claim["submitted_at"] or "")),
    ]
    lines = [{"item": item, "value": value} for item, value in facts]
    for key, title, kind in ONE_CLAIM_FIGURES:
        value = figures[key]
        if kind == "int" or value is None:
            lines.append({"item": title, "value": "" if value is None else str(value)})
        else:
            lines.append({"item": title, "amount_fen": value})
    add_sheet(wb, "申报单 Claim", ONE_CLAIM_FACTS, lines)
    rows = [{**r, "canteen": canteen_names.get(r["canteen_id"], "")} for r in claim["rows"]]
    title = "实时 Live" if claim["live"] else "提交数 As submitted"
    add_sheet(wb, title, ONE_CLAIM_ROWS, rows, {"subsidy_fen": claim["subsidy_fen"]})
    carried = _void_rows(claim["adjustments"])
    add_sheet(
        wb, "调整 Adjustments", ONE_CLAIM_VOIDS, carried, {"subsidy_fen": claim["adjustment_fen"]}
    )
    later = _void_rows(claim["late_voids"])
    add_sheet(
        wb,
        "提交后作废 Later voids",
        ONE_CLAIM_VOIDS,
        later,
        {"subsidy_fen": figures["later_void_fen"]},
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
    span = f"{report['from']} – {report['to']}"
    summary = [wb.row(1, ["期间 Period", span], RowFormat(["text", "text"], bold=[True, False]))]
    summary += [
        wb.row(n, [title, report.get(key)], RowFormat(["text", kind], bold=[True, False]))
        for n, (key, title, kind) in enumerate(SUMMARY_FIGURES, start=2)
    ]
    wb.sheet("汇总 Summary", [36, 16], summary, freeze_header=False)
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
