"""reports.xlsx: the hand-written writer's print set-up, read back by openpyxl."""

import io

import openpyxl

from canteen.web import i18n
from reports import export
from reports.xlsx import Column

ZH = i18n.translator("zh")


def _book(title: str = "个人明细") -> openpyxl.Workbook:
    wb = export.workbook()
    columns = [Column("name", "姓名"), Column("fen", "金额（元）", "fen")]
    rows = [{"name": f"长者{i}", "fen": i * 100} for i in range(1, 301)]
    export.add_sheet(wb, title, columns, rows, {"fen": 4_515_000}, t=ZH, heading="明细表")
    return openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(wb)))


def test_a_long_sheet_prints_landscape_one_page_wide_with_its_header_on_every_page():
    sheet = _book()["个人明细"]
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$2"  # the title and the header row
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert sheet.freeze_panes == "A3"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:B1"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "明细表" and rows[1] == ("姓名", "金额（元）")
    assert rows[-1] == ("合计", 45150)


def test_a_sheet_name_with_a_quote_still_names_its_print_titles():
    sheet = _book("Mr O'Neil")["Mr O'Neil"]
    assert sheet.print_title_rows == "$1:$2"
