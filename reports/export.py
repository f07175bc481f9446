"""Reports as files a clerk opens, prints and files: CSV and XLSX in the reader's language.

The JSON is the report dict itself. The files here speak the language of the page they were
downloaded from: every heading, funder (市级 / 区级 / 街道), payer and cost category comes from
the caller's translator ``t`` (the pages' one table, ``canteen.web.i18n``).

XLSX (written by ``reports.xlsx``): a claim opens on a filing sheet (``reports.filing``: title
block, 序号, the total in figures and capitals, the lines to sign and stamp); every table has a
bold, boxed header and a bold totals row; every sheet prints landscape on A4, one page wide, its
title and header repeated atop each page, numbered in the footer. Amounts reach the cell as
exact decimals of yuan (``12.50`` from 1250 fen), never through a float.

CSV: UTF-8 with a byte-order mark, so Excel on a Chinese Windows reads the names right; integer
fen for machines with a ``_yuan`` text column beside each amount for people, and a ``_name``
column beside each code (``funder``, ``pays``, ``canteen_id``) in the reader's language.
"""

import csv
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

import pandas as pd

from canteen.money import format_yuan
from reports import filing
from reports.filing import Filing, Table, Words
from reports.xlsx import NOTE, TITLE, Column, PageSetup, RowFormat, Workbook, letter
from reports.xlsx import XLSX_TYPE as XLSX_TYPE

BOM = "\ufeff"
"""Starts every CSV: Excel then reads it as UTF-8 instead of the system's code page (GBK)."""
SEQ = "seq"


def page(t: Words, repeat: tuple[int, int] | None = None) -> PageSetup:
    """Landscape A4, one page wide, ``repeat`` rows atop each page, 第 N 页，共 M 页."""
    return PageSetup(landscape=True, repeat=repeat, footer=t("paper_page"))


def add_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]] | pd.DataFrame,
    totals: dict[str, Any] | None = None,
    *,
    t: Words,
    heading: str | None = None,
) -> None:
    """One table on a sheet: an optional ``heading`` (a title row), then the boxed header,
    the rows (dicts, or a frame with the columns' keys) and a totals row whose first cell says
    合计. Printed with the heading and header atop each page."""
    keys, kinds = [c.key for c in columns], [c.kind for c in columns]
    plain = RowFormat(kinds, boxed=True)
    top = 1 if heading else 0

    def lines() -> Iterable[str]:
        if heading:
            yield wb.row(1, [heading], TITLE, height=26)
        header = RowFormat(["text"] * len(columns), bold=True, boxed=True)
        yield wb.row(top + 1, [c.title for c in columns], header)
        number = top + 2
        if isinstance(rows, pd.DataFrame):
            body: Iterable[Sequence[Any]] = zip(*(_values(rows[k]) for k in keys), strict=True)
        else:
            body = ([row.get(k) for k in keys] for row in rows)
        for values in body:
            yield wb.row(number, values, plain)
            number += 1
        if totals is not None:
            first = {keys[0]: t("paper_total"), **totals}
            last = RowFormat(kinds, bold=True, boxed=True)
            yield wb.row(number, [first.get(k) for k in keys], last)

    merges = [f"A1:{letter(len(columns) - 1)}1"] if heading else []
    wb.sheet(
        title,
        [c.width for c in columns],
        lines(),
        freeze=top + 1,
        merges=merges,
        page=page(t, (1, top + 1)),
    )


def _values(column: pd.Series) -> list[Any]:
    """A frame column as Python values (codes as their text)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype(str).tolist()
    return column.tolist()


def workbook() -> Workbook:
    return Workbook()


def xlsx_bytes(wb: Workbook) -> bytes:
    return wb.close()


# --- A filing on a sheet ---------------------------------------------------------------------


def _display_width(text: str) -> int:
    """Characters a cell needs for ``text``: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def filing_sheet(wb: Workbook, title: str, paper: Filing, t: Words) -> None:
    """A :class:`~reports.filing.Filing` on one sheet, as it is printed and signed: the title
    across the page, the facts, each section's numbered table and notes, the closing lines."""
    tables = [s.table for s in paper.sections if s.table is not None]
    count = 1 + max((len(tb.columns) for tb in tables), default=3)
    widths = [6] + [
        max((tb.columns[i].width for tb in tables if i < len(tb.columns)), default=16)
        for i in range(count - 1)
    ]
    span = sum(widths)
    last = letter(count - 1)
    lines: list[str] = []
    merges: list[str] = []

    def text_row(text: str, form: RowFormat = NOTE) -> None:
        n = len(lines) + 1
        height = 15 * max(1, math.ceil(_display_width(text) * 1.1 / span))
        lines.append(wb.row(n, [text], form, height=height if form is NOTE else 26))
        merges.append(f"A{n}:{last}{n}")

    text_row(paper.title, TITLE)
    for label, value in paper.facts:
        text_row(t("paper_fact", label=label, value=value))
    for section in paper.sections:
        lines.append(wb.row(len(lines) + 1, [""], RowFormat(["text"])))
        lines.append(wb.row(len(lines) + 1, [section.heading], RowFormat(["text"], bold=True)))
        if section.table is not None:
            lines.extend(_table_rows(wb, section.table, len(lines) + 1, t))
        for note in section.notes:
            text_row(note)
    lines.append(wb.row(len(lines) + 1, [""], RowFormat(["text"])))
    for text in paper.closing:
        text_row(text)
    wb.sheet(title, widths, lines, freeze=0, merges=merges, page=page(t))


def _table_rows(wb: Workbook, table: Table, first: int, t: Words) -> list[str]:
    """A numbered table's rows from row ``first``: header, rows, totals (all boxed)."""
    kinds = ["int"] + [c.kind for c in table.columns]
    keys = [SEQ] + [c.key for c in table.columns]
    out = [
        wb.row(
            first,
            [t("paper_seq")] + [c.title for c in table.columns],
            RowFormat(["text"] * len(kinds), bold=True, boxed=True),
        )
    ]
    plain = RowFormat(kinds, boxed=True)
    for i, row in enumerate(table.rows, start=1):
        out.append(wb.row(first + i, [row.get(k) for k in keys], plain))
    if table.totals is not None:
        totals = {SEQ: t("paper_total"), **table.totals}
        kinds[0] = "text"
        bold = RowFormat(kinds, bold=True, boxed=True)
        out.append(wb.row(first + len(table.rows) + 1, [totals.get(k) for k in keys], bold))
    return out


# --- CSV --------------------------------------------------------------------------------------

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
    """CSV of ``rows``, after a byte-order mark; every ``*_fen`` column gets a ``*_yuan`` text
    column after it.

    Every CSV this service writes goes through here, so every text cell is made safe to open
    in a spreadsheet (:func:`csv_cell`)."""
    header: list[str] = []
    for column in columns:
        header.append(column)
        if column.endswith("_fen"):
            header.append(column[: -len("_fen")] + "_yuan")
    out = io.StringIO()
    out.write(BOM)
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


# --- The month's subsidy claim ----------------------------------------------------------------

CLAIM_CSV = [
    "month",
    "canteen_id",
    "canteen_name",
    "funder",
    "funder_name",
    "rule",
    "label",
    "pays",
    "pays_name",
    "meals",
    "subsidy_fen",
]
DETAIL_CSV = [
    "diner_id",
    "name",
    "id_number_masked",
    "district",
    "street",
    "canteen_id",
    "canteen_name",
    "funder",
    "funder_name",
    "rule",
    "label",
    "pays",
    "pays_name",
    "meals",
    "subsidy_fen",
]


def _named_detail(
    detail: pd.DataFrame, labels: dict[str, str], names: dict[int, str], t: Words
) -> pd.DataFrame:
    """The per-diner rows with 序号 and the names of their canteen, funder, rule and payer."""
    funders = {f: filing.funder_name(t, f) for f in detail["funder"].astype(str).unique()}
    payers = {p: filing.pays_name(t, p) for p in detail["pays"].astype(str).unique()}
    return detail.assign(
        seq=range(1, len(detail) + 1),
        canteen_name=detail["canteen_id"].map(names).fillna("").astype(str),
        funder_name=detail["funder"].astype(str).map(funders),
        label=detail["rule"].astype(str).map(lambda r: labels.get(r, r)),
        pays_name=detail["pays"].astype(str).map(payers),
    )


def claim_csv(
    report: dict[str, Any],
    names: dict[int, str],
    t: Words,
    detail: pd.DataFrame | None = None,
) -> str:
    """The claim's rows (or, given ``detail``, the per-diner rows) as CSV."""
    if detail is not None:
        labels = {row["rule"]: row["label"] for row in report["rows"]}
        named = _named_detail(detail, labels, names, t)
        return csv_text(DETAIL_CSV, cast(list[dict[str, Any]], named.to_dict("records")))
    rows = (
        {**row, "month": report["month"], "canteen_name": row["canteen"]}
        for row in filing.month_rows(report, names, t)
    )
    return csv_text(CLAIM_CSV, rows)


def detail_columns(t: Words) -> list[Column]:
    return [
        Column(SEQ, t("paper_seq"), "int", 7),
        Column("name", t("paper_name"), "text", 10),
        Column("id_number_masked", t("paper_id_masked"), "text", 21),
        Column("district", t("paper_district"), "text", 10),
        Column("street", t("paper_street"), "text", 12),
        Column("canteen_name", t("paper_canteen"), "text", 18),
        Column("funder_name", t("paper_funder"), "text", 8),
        Column("label", t("paper_rule"), "text", 20),
        Column("pays_name", t("paper_pays"), "text", 14),
        Column("meals", t("paper_meals"), "int", 7),
        Column("subsidy_fen", t("paper_amount"), "fen", 12),
    ]


def claim_xlsx(
    report: dict[str, Any],
    detail: pd.DataFrame,
    names: dict[int, str],
    t: Words,
    made_on: date,
) -> bytes:
    """Three sheets: the summary to sign (by funder, the total in figures and capitals), the
    rows by canteen and rule, and the rows per diner; each prints on its own pages."""
    wb = workbook()
    filing_sheet(wb, t("paper_sheet_summary"), filing.month_summary(report, names, t, made_on), t)
    title = t("paper_claims_title", month=report["month"])
    add_sheet(
        wb,
        t("staff_by_canteen_rule"),
        [Column(SEQ, t("paper_seq"), "int", 7), *filing.month_columns(t)],
        filing.month_rows(report, names, t),
        {"subsidy_fen": report["totals"]["subsidy_fen"]},  # meals per rule do not add up
        t=t,
        heading=f"{title} · {t('staff_by_canteen_rule')}",
    )
    labels = {row["rule"]: row["label"] for row in report["rows"]}
    add_sheet(
        wb,
        t("paper_sheet_diners"),
        detail_columns(t),
        _named_detail(detail, labels, names, t),
        {"subsidy_fen": int(detail["subsidy_fen"].sum())},
        t=t,
        heading=f"{title} · {t('paper_sheet_diners')}",
    )
    return xlsx_bytes(wb)


# --- One claim, as submitted ------------------------------------------------------------------

ONE_CLAIM_CSV = [
    "section",
    "canteen_id",
    "canteen_name",
    "rule",
    "label",
    "pays",
    "pays_name",
    "meals",
    "subsidy_fen",
    "meal_id",
    "local_date",
    "voided_at",
    "void_reason",
    "carried_by_claim_id",
]
"""``section``: ``submitted`` (a draft: ``live``) rows by canteen, rule and pays, exactly as
frozen; ``adjustment``: late voids of earlier months this claim carries; ``later_void``: lines
counted in the submitted figures whose meals were voided since, each with its meal, its void
and amount: the whole difference between the submitted figures and today's meals."""


def _void_csv_rows(
    section: str, adjustments: list[dict[str, Any]], names: dict[int, str], labels: dict[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "section": section,
            "canteen_id": a["canteen_id"],
            "canteen_name": names.get(a["canteen_id"], ""),
            "rule": a["rule"],
            "label": labels.get(a["rule"], a["rule"]),
            "pays": a["pays"],
            "subsidy_fen": a["amount_fen"],
            "meal_id": a["meal_id"],
            "local_date": str(a["local_date"]),
            "voided_at": str(a["at"]),
            "void_reason": a.get("void_reason") or "",
            "carried_by_claim_id": a["claim_id"],
        }
        for a in adjustments
    ]


def one_claim_csv(
    claim: dict[str, Any], names: dict[int, str], labels: dict[str, str], t: Words
) -> str:
    """One claim (``ClaimOut`` as a dict): the rows it claims, exactly as submitted, the
    adjustments it carries, and each meal voided since its submission with its void."""
    section = "live" if claim["live"] else "submitted"
    rows = [
        {
            "section": section,
            **row,
            "canteen_name": names.get(row["canteen_id"], ""),
            "label": labels.get(row["rule"], row["rule"]),
            "pays_name": filing.pays_name(t, row["pays"]),
        }
        for row in claim["rows"]
    ]
    rows += _void_csv_rows("adjustment", claim["adjustments"], names, labels)
    rows += _void_csv_rows("later_void", claim["late_voids"], names, labels)
    return csv_text(ONE_CLAIM_CSV, rows)


CLAIM_DINERS_CSV = [
    "section",
    "diner_id",
    "name",
    "id_number_masked",
    "district",
    "street",
    "canteen_id",
    "canteen_name",
    "rule",
    "label",
    "pays",
    "pays_name",
    "meals",
    "subsidy_fen",
]
"""``section``: ``submitted`` (a draft: ``live``) the month's meals per diner, as frozen;
``adjustment``: the earlier months' late voids this claim carries, per diner (meals and fen
negative). The fen add up to the claim's ``claimed_fen``."""


def one_claim_diners_csv(
    diners: pd.DataFrame, names: dict[int, str], labels: dict[str, str], t: Words
) -> str:
    """One claim's rows per diner (``canteen.claims.detail.diners``) as CSV."""
    named = _named_detail(diners, labels, names, t)
    return csv_text(CLAIM_DINERS_CSV, cast(list[dict[str, Any]], named.to_dict("records")))


def _claim_diner_columns(t: Words) -> list[Column]:
    return [
        Column(SEQ, t("paper_seq"), "int", 7),
        Column("section_name", t("paper_section"), "text", 10),
        *(c for c in detail_columns(t)[1:] if c.key != "funder_name"),
    ]


def one_claim_xlsx(
    claim: dict[str, Any],
    diners: pd.DataFrame,
    names: dict[int, str],
    labels: dict[str, str],
    t: Words,
    made_on: date,
) -> bytes:
    """The claim paper (``reports.filing.claim_paper``) on its sheet, to print, sign and
    stamp, then its rows per diner on a second (totals: the amount claimed)."""
    wb = workbook()
    paper = filing.claim_paper(claim, names, labels, t, made_on)
    filing_sheet(wb, t("paper_sheet_claim"), paper, t)
    sections = {s: t(f"paper_section_{s}") for s in ("submitted", "live", "adjustment")}
    rows = _named_detail(diners, labels, names, t)
    add_sheet(
        wb,
        t("paper_sheet_diners"),
        _claim_diner_columns(t),
        rows.assign(section_name=rows["section"].map(sections)),
        {"subsidy_fen": int(diners["subsidy_fen"].sum())},
        t=t,
        heading=f"{paper.title} · {claim['month']} · {t('paper_sheet_diners')}",
    )
    return xlsx_bytes(wb)


# --- Sustainability -------------------------------------------------------------------------


def _summary_figures(t: Words) -> list[tuple[str, str, str]]:
    return [
        ("meals", t("staff_meals_served"), "int"),
        ("diner_paid_fen", t("staff_diner_paid"), "fen"),
        ("subsidy_fen", t("staff_subsidies"), "fen"),
        ("grant_fen", t("staff_grants"), "fen"),
        ("revenue_fen", t("staff_revenue"), "fen"),
        ("cost_fen", t("staff_cost"), "fen"),
        ("margin_fen", t("staff_margin"), "fen"),
        ("margin_pct", t("paper_margin_pct"), "pct"),
        ("cost_per_meal_fen", t("staff_cost_per_meal"), "fen"),
        ("revenue_per_meal_fen", t("staff_revenue_per_meal"), "fen"),
        ("subsidy_dependency_pct", t("paper_dependency_pct"), "pct"),
        ("break_even_meals_per_day", t("staff_break_even"), "int"),
        ("operator_discount_fen", t("staff_operator_discount"), "fen"),
        ("offline_refused_sales", t("staff_offline_refused_sales"), "int"),
        ("offline_refused_fen", t("staff_offline_refused"), "fen"),
    ]


def _days(t: Words) -> list[Column]:
    return [
        Column("date", t("paper_date"), "text", 12),
        Column("meals", t("paper_meals"), "int", 10),
        Column("diner_paid_fen", t("staff_diner_paid"), "fen", 14),
        Column("subsidy_fen", t("staff_subsidies"), "fen", 14),
        Column("grant_fen", t("paper_grants"), "fen", 14),
        Column("revenue_fen", t("staff_revenue"), "fen", 14),
        Column("cost_fen", t("staff_cost"), "fen", 14),
        Column("margin_fen", t("staff_margin"), "fen", 14),
        Column("offline_refused_fen", t("staff_offline_refused"), "fen", 16),
    ]


def _periods(t: Words) -> list[Column]:
    return [
        Column("meals", t("paper_meals"), "int", 10),
        Column("revenue_fen", t("staff_revenue"), "fen", 14),
        Column("cost_fen", t("staff_cost"), "fen", 14),
        Column("margin_fen", t("staff_margin"), "fen", 14),
        Column("margin_pct", t("paper_margin_pct"), "pct", 12),
        Column("cost_per_meal_fen", t("staff_cost_per_meal"), "fen", 14),
        Column("revenue_per_meal_fen", t("staff_revenue_per_meal"), "fen", 16),
        Column("break_even_meals_per_day", t("staff_break_even"), "int", 16),
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
    "offline_refused_fen",
]


def sustainability_csv(report: dict[str, Any]) -> str:
    """The daily series (the summary is in the JSON and the XLSX)."""
    return csv_text(DAY_CSV, report["days"])


def sustainability_xlsx(report: dict[str, Any], names: dict[int, str], t: Words) -> bytes:
    """Summary, days, months, costs by category, and (over every canteen) each canteen."""
    wb = workbook()
    days = len(report["days"])
    title = t("paper_sustainability_title", start=report["from"], end=report["to"], days=days)
    scope = names.get(report["canteen_id"], "") if report.get("canteen_id") else ""
    heading = f"{title}{' · ' + scope if scope else ''}"
    summary = [wb.row(1, [heading], TITLE, height=26)]
    pair = [RowFormat(["text", kind], bold=[True, False], boxed=True) for kind in ("int", "fen")]
    forms = {"int": pair[0], "fen": pair[1], "pct": RowFormat(["text", "pct"], [True, False], True)}
    summary += [
        wb.row(n, [label, report.get(key)], forms[kind])
        for n, (key, label, kind) in enumerate(_summary_figures(t), start=2)
    ]
    wb.sheet(t("paper_sheet_summary"), [36, 18], summary, freeze=0, merges=["A1:B1"], page=page(t))
    day_columns = _days(t)
    add_sheet(
        wb,
        t("paper_sheet_days"),
        day_columns,
        report["days"],
        _sums(report["days"], day_columns),
        t=t,
        heading=heading,
    )
    months = [Column("month", t("paper_month"), "text", 10), *_periods(t)]
    add_sheet(
        wb,
        t("paper_sheet_months"),
        months,
        report["months"],
        _sums(report["months"], months[:5]),
        t=t,
        heading=heading,
    )
    costs = [
        {"category": t(f"staff_cat_cost_{k}"), "amount_fen": v}
        for k, v in report["cost_by_category"].items()
    ]
    add_sheet(
        wb,
        t("paper_sheet_costs"),
        [
            Column("category", t("paper_category"), "text", 16),
            Column("amount_fen", t("paper_amount"), "fen", 16),
        ],
        costs,
        {"amount_fen": report["cost_fen"]},
        t=t,
        heading=heading,
    )
    if report.get("canteens"):
        canteens = [{**c, "name": names.get(c["canteen_id"], "")} for c in report["canteens"]]
        columns = [Column("name", t("paper_canteen"), "text", 22), *_periods(t)]
        add_sheet(
            wb,
            t("paper_sheet_canteens"),
            columns,
            canteens,
            _sums(canteens, columns[1:5]),
            t=t,
            heading=heading,
        )
    return xlsx_bytes(wb)


def _sums(rows: list[dict[str, Any]], columns: Sequence[Column]) -> dict[str, int]:
    """Totals of the additive columns (counts and fen; never ratios)."""
    return {
        c.key: sum(int(r.get(c.key) or 0) for r in rows)
        for c in columns
        if c.kind in ("int", "fen") and not c.key.endswith("_id")
    }
