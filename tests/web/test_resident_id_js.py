"""The enrolment page's resident-ID check (``static/resident_id.js``) says what the server says.

The page checks a number as it is typed with a JavaScript copy of ``canteen.diners.resident_id``;
a copy that drifted would tell a clerk a good number is bad, or the reverse. Here both run on the
same numbers, in a real Chromium: hand-picked edge cases, then batches that hypothesis makes
(valid numbers, numbers with one character changed, odd spacing and case, and any text).
"""

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page, Route, sync_playwright

from canteen.diners import resident_id
from canteen.errors import InvalidIdNumber
from tests.diners.test_resident_id import make, valid_numbers
from tests.web.conftest import CHROMIUM

pytestmark = pytest.mark.browser
MODULE = Path(__file__).resolve().parents[2] / "canteen" / "web" / "static" / "resident_id.js"
ORIGIN = "http://resident-id.test"
REASONS = {
    resident_id.WRONG_SHAPE: "shape",
    resident_id.NOT_A_DATE: "date",
    resident_id.DATE_OUT_OF_RANGE: "range",
    resident_id.WRONG_CHECK_DIGIT: "check",
}
EVALUATE = """async ([cases, today]) => {
  const m = await import("/resident_id.js");
  return cases.map((text) => m.parse(text, today));
}"""


def serve(route: Route) -> None:
    if route.request.url.endswith(".js"):
        route.fulfill(body=MODULE.read_text(), content_type="text/javascript")
    else:
        route.fulfill(body="<p>", content_type="text/html")


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    """A blank page of a made-up origin that serves the module, so ``import()`` loads it."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip("chromium is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.route(f"{ORIGIN}/**", serve)
        page.goto(ORIGIN + "/")
        yield page
        browser.close()


def python_says(text: str, today: date) -> dict:
    try:
        rid = resident_id.parse(text, today=today)
    except InvalidIdNumber as refused:
        return {"ok": False, "reason": REASONS[refused.errors[0].message]}
    return {
        "ok": True,
        "number": rid.number,
        "birthDate": rid.birth_date.isoformat(),
        "gender": rid.gender,
        "age": resident_id.age_on(rid.birth_date, today),
    }


def assert_same(page: Page, cases: list[str], today: date) -> None:
    javascript = page.evaluate(EVALUATE, [cases, today.isoformat()])
    for text, said in zip(cases, javascript, strict=True):
        assert said == python_says(text, today), repr(text)


TODAY = date(2026, 6, 1)
EDGES = [
    "11010519491231002X",  # the standard's example
    "11010519491231002x",  # a lower-case x
    " 110105 19491231 002X\u3000",  # spaces, an ideographic one too
    "110105194912310021",  # the check digit mistyped
    "11010519490229002X",  # 1949 was no leap year
    make("440104", date(2000, 2, 29), 12),  # 2000 was
    make("440104", date(1900, 2, 28), 12),
    "440104190002290125",  # 1900 was not
    make("440104", date(1890, 1, 1), 1),  # the earliest birth accepted
    make("440104", date(1889, 12, 31), 1),
    make("440104", TODAY, 1),  # born today: age 0
    make("440104", date(2026, 6, 2), 1),  # tomorrow
    make("440104", date(1946, 6, 1), 7),  # 80 today
    make("440104", date(1946, 6, 2), 7),  # 80 tomorrow
    "440104000001010013",  # year 0
    "4401041949123100２X",  # a full-width digit
    "1101051949123100",
    "11010519491231002XX",
    "\x1c11010519491231002X\x85",  # what Python drops as space and JavaScript's \\s does not
    "\ufeff11010519491231002X",  # and the reverse
    "ǆ",
    "",
]


def test_the_edge_cases_get_the_same_answer_in_both(page):
    assert_same(page, EDGES, TODAY)


@st.composite
def typed_numbers(draw: st.DrawFn) -> str:
    """What a clerk might type: a real number, maybe with one character changed, maybe spaced
    or in lower case, or any text at all."""
    number, _, _ = draw(valid_numbers())
    kind = draw(st.sampled_from(["valid", "changed", "spaced", "lower", "any"]))
    if kind == "changed":
        at = draw(st.integers(0, 17))
        number = number[:at] + draw(st.sampled_from("0123456789X")) + number[at + 1 :]
    elif kind == "spaced":
        at = draw(st.integers(0, 18))
        space = draw(st.sampled_from([" ", "\t", "\u3000", "\xa0", "\u2009"]))
        number = number[:at] + space + number[at:]
    elif kind == "lower":
        number = number.lower()
    elif kind == "any":
        number = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
    return number


@settings(max_examples=60)
@given(
    st.lists(typed_numbers(), min_size=1, max_size=60),
    st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 12, 31)),
)
def test_generated_numbers_get_the_same_answer_in_both(page, cases, today):
    assert_same(page, cases, today)
