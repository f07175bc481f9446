"""reports.fonts: charts and PDFs draw Chinese with a CJK font, or English without one."""

import warnings

import pytest

from canteen.web import i18n
from reports import charts, claims, fonts, sustainability
from tests.conftest import IN_CI
from tests.reports.frames import OCT_1, OCT_31, claim_day, claim_days, finance, meal_days

ZH = i18n.translator("zh")


def test_every_chart_draws_its_chinese_with_no_glyph_missing():
    if fonts.cjk_family() is None:
        if IN_CI:
            pytest.fail("no CJK font: `make browser` installs fonts-noto-cjk")
        pytest.skip("no CJK font installed here (`make browser` installs fonts-noto-cjk)")
    day = claim_day(1, "2025-10-01", "city", "c", "diner", 1, 300)
    claim = claims.report("2025-10", claim_days(day))
    report = sustainability.report(
        OCT_1, OCT_31, meal_days((1, "2025-10-01", 10, 10_000)), claim_days(), finance()
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of each glyph its fonts lack
        assert charts.claim_by_funder(claim, ZH)[:4] == b"\x89PNG"
        for draw in (charts.revenue_and_cost, charts.per_meal, charts.meals_and_break_even):
            assert draw(report, ZH)[:4] == b"\x89PNG"


def test_without_a_cjk_font_pictures_are_drawn_in_english(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_family", lambda: None)
    assert fonts.language("zh") == "en" and fonts.language("en") == "en"
    assert fonts.families() == ["DejaVu Sans"]


def test_with_a_cjk_font_pictures_speak_the_language_asked(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_family", lambda: "Noto Sans CJK SC")
    assert fonts.language("zh") == "zh"
    assert fonts.families() == ["DejaVu Sans", "Noto Sans CJK SC"]
