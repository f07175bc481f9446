"""reports.filing and reports.pdf: the claim paper a clerk files, in either language."""

import re
from datetime import date
from typing import Any

from canteen.web import i18n
from reports import filing, pdf

ZH, EN = i18n.translator("zh"), i18n.translator("en")
NAMES = {1: "北京街长者饭堂", 2: "南华西街长者饭堂"}
LABELS = {"age80": "80 岁及以上", "service": "运营补贴"}


def void(meal: int, rule: str, fen: int, carried_by: int | None) -> dict[str, Any]:
    return {
        "meal_id": meal,
        "local_date": "2025-10-14",
        "canteen_id": 1,
        "rule": rule,
        "pays": "diner",
        "amount_fen": fen,
        "at": "2025-11-06T09:00:00+08:00",
        "void_reason": "重复刷卡",
        "claim_id": carried_by,
    }


def claim(**changes: Any) -> dict[str, Any]:
    found = {
        "id": 7,
        "month": "2025-10",
        "funder": "district",
        "canteen_id": None,
        "status": "submitted",
        "live": False,
        "meals": 2,
        "subsidy_fen": 10_000_005,
        "adjustment_fen": -500,
        "claimed_fen": 9_999_505,
        "rows": [
            {"canteen_id": 1, "rule": "age80", "pays": "diner", "meals": 2, "subsidy_fen": 500},
            {
                "canteen_id": 2,
                "rule": "service",
                "pays": "operator",
                "meals": 1,
                "subsidy_fen": 9_999_505,
            },
        ],
        "adjustments": [void(3, "age80", -500, 7)],
        "late_voids": [void(1, "age80", -500, None)],
        "submitted_at": "2025-11-05T12:00:00+08:00",
        "paid_amount_fen": None,
        "paid_on": None,
    }
    return found | changes


def text_of(paper: filing.Filing) -> str:
    parts = [paper.title, *(f"{k}：{v}" for k, v in paper.facts), *paper.closing]  # as zh
    for section in paper.sections:
        parts += [section.heading, *section.notes]
    return "\n".join(parts)


def test_the_claim_paper_has_its_title_block_number_status_and_the_total_in_capitals():
    paper = filing.claim_paper(claim(), NAMES, LABELS, ZH, date(2025, 11, 30))
    text = text_of(paper)
    assert paper.title == "区级助餐补贴申报单"
    for fact in ("申报单编号：7", "状态：已提交", "所属期：2025-10", "制表日期：2025-11-30"):
        assert fact in text
    assert "申报单位：北京街长者饭堂、南华西街长者饭堂" in text
    assert "本次申报金额（小写）：¥99,995.05" in text
    assert "本次申报金额（大写）：人民币玖万玖仟玖佰玖拾伍元零伍分" in text
    assert re.search("经办人.*审核人.*负责人", text) and "盖章" in text
    rows = paper.sections[0].table.rows  # type: ignore[union-attr]
    assert [(r["seq"], r["canteen"], r["label"], r["pays_name"]) for r in rows] == [
        (1, "北京街长者饭堂", "80 岁及以上", "减免餐价"),
        (2, "南华西街长者饭堂", "运营补贴", "按餐补给食堂"),
    ]
    # Meals per funder explained: 2 meals, though the rules' meals add up to 3.
    assert "区级出资的餐数为 2 餐" in text and "（3）可大于 2" in text


def test_a_void_after_submission_is_listed_apart_with_its_meal_and_void():
    paper = filing.claim_paper(claim(), NAMES, LABELS, ZH, date(2025, 11, 30))
    later = paper.sections[-1]
    assert later.heading == "提交后作废" and later.table is not None
    [row] = later.table.rows
    assert (row["meal_id"], row["voided_at"], row["void_reason"]) == (
        1,
        "2025-11-06 09:00",
        "重复刷卡",
    )
    assert row["carried_by"] == "待冲减" and later.table.totals == {"amount_fen": -500}
    assert "提交时冻结" in text_of(paper)  # and says why the figures differ from today's


def test_a_draft_says_it_is_live_and_the_english_paper_speaks_english():
    draft = claim(status="draft", live=True, submitted_at=None, late_voids=[])
    paper = filing.claim_paper(draft, NAMES, LABELS, EN, date(2025, 11, 30))
    text = text_of(paper)
    assert paper.title == "Meal subsidy claim to the District funder"
    assert ("Status", "Draft") in paper.facts and "live until the claim is submitted" in text
    assert "Amount claimed in words: 人民币玖万玖仟玖佰玖拾伍元零伍分" in text
    assert [s.heading for s in paper.sections] == [
        "Subsidies",
        "Adjustments carried (earlier voids)",
    ]


def pages(content: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", content))


def test_the_pdf_is_one_page_for_a_small_claim_and_runs_on_for_a_long_one():
    small = filing.claim_paper(claim(), NAMES, LABELS, ZH, date(2025, 11, 30))
    content = pdf.filing_pdf(small, ZH)
    assert content.startswith(b"%PDF-") and pages(content) == 1
    rows = [
        {"canteen_id": 1, "rule": f"r{i}", "pays": "diner", "meals": 1, "subsidy_fen": 100}
        for i in range(90)
    ]
    long = filing.claim_paper(claim(rows=rows), NAMES, LABELS, ZH, date(2025, 11, 30))
    assert pages(pdf.filing_pdf(long, ZH)) >= 3  # some 34 rows a page
