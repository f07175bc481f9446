"""reports.misuse's reasons as a code and numbers: the English ``detail`` the API has always
carried is that code's sentence with those numbers, and the translation table says the same in
Chinese (no English left in it) and in English, whatever meals the report is given."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from canteen.web import i18n
from canteen.web.staff import signal_words
from reports import loaders, misuse
from tests.reports.frames import canteens, frame, meal, meals

PLACES = canteens((1, "越秀区", "北京街"), (2, "越秀区", "六榕街"), (3, "海珠区", "南华西街"))
ZH, EN = i18n.translator("zh"), i18n.translator("en")

a_meal = st.tuples(
    st.integers(0, 5),  # diner
    st.integers(1, 3),  # canteen
    st.integers(1, 4),  # day
    st.integers(7 * 60, 19 * 60),  # minute of the day
    st.booleans(),  # manual
    st.sampled_from([0, 600]),  # subsidy
)


def as_meals(rows: list[tuple[int, int, int, int, bool, int]]):
    return meals(
        *(
            meal(
                n,
                diner,
                canteen,
                f"2025-10-{day:02d}T{minute // 60:02d}:{minute % 60:02d}",
                manual=manual,
                card_id=None if manual else diner + 100,
                subsidy_fen=subsidy,
            )
            for n, (diner, canteen, day, minute, manual, subsidy) in enumerate(rows)
        )
    )


CHANGES = frame(
    loaders.STATUS_CHANGES,
    [
        {"diner_id": 1, "at": "2025-10-02T00:00:00+08:00", "status": "suspended"},
        {"diner_id": 2, "at": "2025-10-03T00:00:00+08:00", "status": "deceased"},
    ],
)


@settings(max_examples=150, deadline=None)
@given(st.lists(a_meal, max_size=60), st.integers(1, 120))
def test_every_reason_is_its_codes_sentence_in_either_language(rows, window):
    found = misuse.signals(as_meals(rows), PLACES, CHANGES, window_minutes=window)
    for signal in found["signals"]:
        numbers = signal["numbers"]
        names = ", ".join(signal.get("districts") or [])
        assert signal["detail"] == misuse.DETAILS[signal["code"]].format(**numbers, names=names)
        zh, en = signal_words(ZH, signal), signal_words(EN, signal)
        assert not re.search(r"[A-Za-z]", zh), zh
        for value in numbers.values():
            if isinstance(value, int):
                assert str(value) in zh and str(value) in en
        for value in signal.get("districts") or []:
            assert value in zh and value in en


def test_every_code_has_its_sentence_in_both_languages():
    for code in misuse.DETAILS:
        zh, en = i18n.STRINGS[f"misuse_{code}"]
        assert zh != en and not re.search(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", zh))


def test_the_planted_kinds_read_in_chinese():
    signal = {
        "code": "manual_rate_diner",
        "numbers": {"manual": 4, "meals": 26, "usual_pct": 1.1},
    }
    assert signal_words(ZH, signal) == "26 次就餐中 4 次未刷卡（通常为 1.1%）"
    assert signal_words(EN, signal) == "4 of 26 meals without a card (usual: 1.1%)"
    two = {"code": "subsidised_in_two_districts", "numbers": {"districts": 2}}
    two["districts"] = ["海珠区", "越秀区"]
    assert signal_words(ZH, two) == "同一天在 2 个区享受补贴：海珠区、越秀区"
