"""Diet flags: a fixed vocabulary, and allergies written in Chinese or English."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canteen.diners import diet
from canteen.errors import InvalidInput
from tests.diners.test_diners_api import enrolment
from tests.factories import id_number


@pytest.mark.parametrize("flag", [*diet.FLAGS, "allergy:花生", "allergy:shellfish", "allergy:芝麻"])
def test_the_vocabulary_and_written_allergies_are_accepted_as_given(flag):
    assert diet.check(flag) == flag


@pytest.mark.parametrize(
    "flag",
    [
        "vegan",  # not in the vocabulary
        "Diabetic",
        "allergy:",
        "allergy:   ",
        "allergy:" + "花" * (diet.MAX_ALLERGY_CHARS + 1),
        "allergy:花\n生",
        "allergy:花\u202e生",  # a right-to-left override
        "allergy:花\u200b生",  # a zero-width space
        "allergy:\x07",
        "过敏:花生",  # the prefix is the code, not the label
    ],
)
def test_anything_else_is_refused_naming_the_dietary_field(flag):
    with pytest.raises(InvalidInput) as refused:
        diet.check(flag)
    assert refused.value.errors[0].field == "dietary"


def test_an_allergy_is_trimmed_and_normalised_so_one_written_twice_is_kept_once():
    decomposed = "allergy:" + unicodedata.normalize("NFD", "café")
    assert diet.check_all(["allergy: 花生 ", "allergy:花生", decomposed, "low_salt"]) == [
        "low_salt",
        "allergy:café",
        "allergy:花生",
    ]


@given(st.text(max_size=30))
def test_whatever_is_accepted_is_short_printable_text_and_checks_to_itself(text):
    try:
        flag = diet.check(diet.ALLERGY + text)
    except InvalidInput:
        return
    written = diet.allergen(flag)
    assert written is not None and 1 <= len(written) <= diet.MAX_ALLERGY_CHARS
    assert written == written.strip()
    assert all(unicodedata.category(c) not in ("Zl", "Zp") for c in written)
    assert all(unicodedata.category(c)[0] != "C" for c in written)
    assert diet.check(flag) == flag


@given(st.from_regex(r"[a-z_]{1,32}", fullmatch=True))
def test_a_code_outside_the_vocabulary_is_refused(code):
    if code in diet.FLAGS:
        assert diet.check(code) == code
    else:
        with pytest.raises(InvalidInput):
            diet.check(code)


async def test_an_allergy_in_chinese_is_enrolled_and_read_back_as_written(admin):
    body = enrolment(id_number=id_number("19470203"), dietary=["allergy:花生", "diabetic"])
    r = await admin.post("/diners", body)
    assert r.status_code == 201, r.text
    assert r.json()["dietary"] == ["diabetic", "allergy:花生"]
    diner = r.json()["id"]
    r = await admin.patch(f"/diners/{diner}", {"dietary": ["allergy:海鲜", "allergy:peanut"]})
    assert r.status_code == 200, r.text
    assert (await admin.get(f"/diners/{diner}")).json()["dietary"] == [
        "allergy:peanut",
        "allergy:海鲜",
    ]


@pytest.mark.parametrize("flag", ["allergy:花\u202e生", "vegan", "allergy:" + "x" * 21])
async def test_a_refused_flag_is_422_naming_dietary(admin, flag):
    r = await admin.post("/diners", enrolment(dietary=[flag]))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
    assert r.json()["errors"][0]["field"] == "dietary"
