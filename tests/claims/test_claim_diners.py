"""One claim's rows per diner: a CSV of its own and the XLSX's second sheet, adding up to the
claim to the fen, frozen with it once submitted (the October scenario, on both databases)."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from reports import claims, loaders
from tests.claims.test_claims_api import call, draft
from tests.reports.scenario import at

WANG, HUANG = "王秀英", "黄国强"


async def _diners_csv(api, claim_id: int, when, lang: str = "zh") -> list[dict[str, str]]:
    path = f"/claims/{claim_id}/export?format=csv&part=diners&lang={lang}"
    got = await call(api, "GET", path, when)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert got.content.startswith(b"\xef\xbb\xbf")  # Excel on a Chinese Windows reads UTF-8
    return list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))


def _fen(rows: list[dict[str, str]], section: str | None = None) -> int:
    return sum(int(r["subsidy_fen"]) for r in rows if section in (None, r["section"]))


def _people(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    keys = ("section", "name", "canteen_name", "rule", "pays_name", "meals", "subsidy_fen")
    return sorted(tuple(r[k] for k in keys) for r in rows)


async def test_a_claims_diners_add_up_to_it_and_stay_as_submitted_after_a_void(oct_2025):
    s = oct_2025
    claim = (await draft(s.admin, "2025-10")).json()
    path = f"/claims/{claim['id']}/export?format=csv&part=diners"
    named = await call(s.admin, "GET", path, at(11, 5, 10))
    assert 'filename="claim-2025-10-district-diners.csv"' in named.headers["content-disposition"]
    live = await _diners_csv(s.admin, claim["id"], at(11, 5, 10))
    assert _fen(live) == claim["claimed_fen"] == 1100
    assert _people(live) == [
        ("live", WANG, "北京街长者饭堂", "age80", "减免餐价", "1", "500"),
        ("live", WANG, "北京街长者饭堂", "service", "按餐补给食堂", "1", "300"),
        ("live", HUANG, "南华西街长者饭堂", "service", "按餐补给食堂", "1", "300"),
    ]
    assert {(r["rule"], r["label"]) for r in live if r["rule"] == "age80"} == {
        ("age80", "80 岁及以上")
    }
    assert {r["subsidy_yuan"] for r in live} == {"3.00", "5.00"}

    await call(s.admin, "POST", f"/claims/{claim['id']}/submit", at(11, 5, 12))
    await s.void("m1", at(11, 6))  # Wang's age80 500 and service 300, after the submission
    frozen = await _diners_csv(s.admin, claim["id"], at(11, 7))
    assert _fen(frozen) == _fen(frozen, "submitted") == 1100  # not today's 300
    assert [row[1:] for row in _people(frozen)] == [row[1:] for row in _people(live)]
    assert {r["section"] for r in frozen} == {"submitted"}


async def test_the_diners_of_a_claim_carrying_adjustments_add_up_to_what_it_claims(oct_2025):
    s = oct_2025
    october = (await draft(s.admin, "2025-10")).json()
    await call(s.admin, "POST", f"/claims/{october['id']}/submit", at(11, 5, 12))
    await s.void("m1", at(11, 6))  # pending: -500 and -300, for the next district claim
    november = (await draft(s.admin, "2025-11", when=at(12, 2))).json()
    submitted = await call(s.admin, "POST", f"/claims/{november['id']}/submit", at(12, 2, 10))
    assert (submitted.json()["subsidy_fen"], submitted.json()["claimed_fen"]) == (800, 0)
    rows = await _diners_csv(s.admin, november["id"], at(12, 3))
    assert _fen(rows, "submitted") == 800 and _fen(rows, "adjustment") == -800
    assert _fen(rows) == submitted.json()["claimed_fen"]
    assert [r for r in _people(rows) if r[0] == "adjustment"] == [
        ("adjustment", WANG, "北京街长者饭堂", "age80", "减免餐价", "-1", "-500"),
        ("adjustment", WANG, "北京街长者饭堂", "service", "按餐补给食堂", "-1", "-300"),
    ]


async def test_the_claims_xlsx_carries_its_diners_on_a_second_sheet_in_the_pages_language(
    oct_2025,
):
    s = oct_2025
    claim = (await draft(s.admin, "2025-10", funder="street")).json()
    await call(s.admin, "POST", f"/claims/{claim['id']}/submit", at(11, 5, 12))
    book = await call(s.admin, "GET", f"/claims/{claim['id']}/export?format=xlsx", at(11, 7))
    sheets = openpyxl.load_workbook(io.BytesIO(book.content))
    assert sheets.sheetnames == ["申报单", "个人明细"]
    cells = list(sheets["个人明细"].iter_rows(values_only=True))
    assert cells[0][0] == "街道助餐补贴申报单 · 2025-10 · 个人明细"
    assert cells[1] == (
        "序号",
        "类别",
        "姓名",
        "身份证号（隐去）",
        "户籍区",
        "户籍街道",
        "食堂",
        "补贴项目",
        "补贴方式",
        "餐次",
        "金额（元）",
    )
    people = sorted((row[2], row[3][-4:], row[1], row[9], row[10]) for row in cells[2:-1])
    assert [(p[0], p[3], p[4]) for p in people] == [(WANG, 1, 2), (HUANG, 1, 2)]
    assert {p[2] for p in people} == {"本月补贴"}
    assert all(re.fullmatch(r"\d{3}[\dX]", p[1]) for p in people)  # a check digit may be X
    assert cells[-1][0] == "合计" and cells[-1][10] == Decimal(claim["claimed_fen"]) / 100
    assert cells[-1][10] == Decimal("4.00")  # m2 and m3: age60 200 each

    english = await call(
        s.admin, "GET", f"/claims/{claim['id']}/export?format=xlsx&lang=en", at(11, 7)
    )
    sheet = openpyxl.load_workbook(io.BytesIO(english.content))["Per diner"]
    header, first = list(sheet.iter_rows(min_row=2, max_row=3, values_only=True))
    assert header[:3] == ("No.", "Part", "Name") and first[1] == "This month"
    assert first[8] == "Lowers the price"


async def test_a_manager_gets_their_canteens_diners_without_id_numbers(oct_2025, as_role):
    s = oct_2025
    claim = (await draft(s.admin, "2025-10", canteen_id=s.canteen_b)).json()
    manager = await as_role("manager", canteen_id=s.canteen_b)
    rows = await _diners_csv(manager, claim["id"], at(11, 6))
    assert [(r["name"], r["id_number_masked"], r["subsidy_fen"]) for r in rows] == [
        (HUANG, "", "300")
    ]
    office = await _diners_csv(s.admin, claim["id"], at(11, 6))
    assert office[0]["id_number_masked"].startswith("*") and _fen(office) == 300
    other = await as_role("manager", canteen_id=s.counter.canteen_id)
    hidden = await call(other, "GET", f"/claims/{claim['id']}/export?part=diners", at(11, 6))
    assert hidden.status_code == 404


async def test_the_diners_come_as_csv_only(oct_2025):
    s = oct_2025
    claim = (await draft(s.admin, "2025-10")).json()
    path = f"/claims/{claim['id']}/export?format=pdf&part=diners"
    refused = await call(s.admin, "GET", path, at(11, 6))
    assert refused.status_code == 422
    assert refused.json()["code"] == "validation_error"
    assert refused.json()["errors"][0]["field"] == "part"
    other = await call(s.admin, "GET", f"/claims/{claim['id']}/export?part=all", at(11, 6))
    assert other.status_code == 422


LINE = st.tuples(
    st.integers(1, 4),  # diner
    st.integers(1, 2),  # canteen
    st.sampled_from(["age80", "service"]),
    st.sampled_from(["diner", "operator"]),
    st.integers(0, 10**7),  # fen
)


@given(st.lists(LINE, max_size=12), st.lists(LINE, max_size=6))
def test_a_claims_diner_rows_sum_to_its_lines_and_its_adjustments(month, carried):
    def lines(found, sign):
        rows = [(d, c, "district", r, p, sign, sign * fen) for d, c, r, p, fen in found]
        return loaders.frame(rows, loaders.DINER_DETAIL)

    people = loaders.frame(
        [
            (d, f"长者{d}", "", "1940-01-01", "", "", "[]", None, "active", None)
            for d in range(1, 5)
        ],
        loaders.DINERS,
    )
    claimed = (
        lines(month, 1)
        .groupby(
            ["diner_id", "canteen_id", "funder", "rule", "pays"], observed=True, as_index=False
        )[["meals", "subsidy_fen"]]
        .sum()
    )
    out = claims.claim_diners(claimed, lines(carried, -1), people, "submitted")
    assert list(out.columns) == claims.CLAIM_DINER_COLUMNS
    by_section = out.groupby("section")["subsidy_fen"].sum().to_dict()
    assert by_section.get("submitted", 0) == sum(line[-1] for line in month)
    assert by_section.get("adjustment", 0) == -sum(line[-1] for line in carried)
    assert out.loc[out["section"] == "adjustment", "meals"].sum() == -len(carried)
    assert set(out["name"]) <= {f"长者{d}" for d in range(1, 5)}
