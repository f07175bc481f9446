"""The found page's pure rules: how the elder is named to a stranger, the finder's phone, and
the signed form token."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canteen.errors import InvalidInput
from canteen.found import rules

KEY = b"found-form-test-key-32-bytes-ok!"


@pytest.mark.parametrize(
    ("name", "gender", "age", "said"),
    [
        ("王秀兰", "female", 84, "王奶奶"),
        ("李建国", "male", 60, "李爷爷"),
        ("张丽", "female", 59, "张阿姨"),
        ("陈志强", "male", 45, "陈叔叔"),
        ("欧阳德明", "male", 82, "欧阳爷爷"),
        ("司马秀英", "female", 77, "司马奶奶"),
        ("阿依古丽·买买提", "female", 70, "阿奶奶"),
        ("Mary Smith", "female", 70, "Smith奶奶"),
    ],
)
def test_a_stranger_reads_the_surname_and_an_honorific_only(name, gender, age, said):
    assert rules.honorific(name, gender, age) == said


@given(st.text(alphabet="王李张陈刘黄周吴秀英建国明华丽", min_size=2, max_size=4))
def test_no_given_name_is_ever_shown(name):
    shown = rules.honorific(name, "female", 80)
    assert shown == name[0] + "奶奶"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("13800138000", "13800138000"),
        (" 138-0013-8000 ", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("(020) 8888 6666", "02088886666"),
        ("0755-1234567", "07551234567"),
    ],
)
def test_a_finders_phone_is_kept_as_digits(typed, kept):
    assert rules.finder_phone(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        *("", "12345", "12800138000", "1380013800", "138001380001", "abc", "110"),
        *("１３８００１３８０００", "13٨00138000", "0２0-88886666"),  # not ASCII digits
    ],
)
def test_anything_else_is_refused_on_the_field(typed):
    with pytest.raises(InvalidInput) as refused:
        rules.finder_phone(typed)
    assert [e.field for e in refused.value.errors] == ["finder_phone"]


def test_where_is_plain_text_of_at_most_200_characters():
    assert rules.where("  人民公园\n 南门 ") == "人民公园 南门"
    for bad in ("x" * 201, "门口\x00", "bell\x07"):
        with pytest.raises(InvalidInput) as refused:
            rules.where(bad)
        assert [e.field for e in refused.value.errors] == ["where"]


def test_a_position_is_both_or_neither_and_on_earth():
    assert rules.position("", "") is None
    assert rules.position("23.129114", "113.264361") == (23.12911, 113.26436)
    for lat, lon in (("23.1", ""), ("91", "10"), ("10", "181"), ("nan", "1"), ("x", "y")):
        with pytest.raises(InvalidInput):
            rules.position(lat, lon)


def test_a_message_is_plain_text_of_1_to_500_characters():
    assert rules.message("  到了\r\n谢谢 ") == "到了\n谢谢"
    for bad in ("", "   ", "x" * 501, "a\x00b", "bell\x07"):
        with pytest.raises(InvalidInput):
            rules.message(bad)


@given(
    scope=st.text(max_size=40),
    nonce=st.text(min_size=1, max_size=30),
    now=st.integers(0, 10**12 - 1),  # unix seconds, to the year 33658
    age=st.integers(-60, rules.FORM_TOKEN_SECONDS),
)
def test_a_form_token_is_good_for_its_form_browser_and_three_hours(scope, nonce, now, age):
    token = rules.form_token(KEY, scope, nonce, now)
    assert rules.form_token_valid(KEY, scope, nonce, token, now + age)
    assert not rules.form_token_valid(KEY, scope + "x", nonce, token, now + age)
    assert not rules.form_token_valid(KEY, scope, nonce + "x", token, now + age)
    assert not rules.form_token_valid(KEY, scope, "", token, now + age)
    assert not rules.form_token_valid(b"another key", scope, nonce, token, now + age)
    assert not rules.form_token_valid(KEY, scope, nonce, token, now + rules.FORM_TOKEN_SECONDS + 1)
    assert not rules.form_token_valid(KEY, scope, nonce, token, now - 61)


@given(st.text(max_size=80))
def test_made_up_form_tokens_are_refused(text):
    assert not rules.form_token_valid(KEY, "q|C15.X", "nonce", text, 1_800_000_000)
