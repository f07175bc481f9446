"""The pricing engine: a test per sentence of its docstring, then properties of random policies."""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canteen.policies import engine
from canteen.policies.engine import LIMIT_REACHED, Diner, Meal, Usage
from canteen.policies.schema import (
    CATEGORY_CODES,
    FUNDERS,
    MEAL_TYPES,
    PolicyDocument,
    Rule,
    problems,
)

DINER = Diner(age=70, district="越秀区", street="北京街")
MEAL = Meal(
    canteen_id=1,
    canteen_district="越秀区",
    canteen_street="北京街",
    meal_type="lunch",
    price_fen=1000,
)


def rule(code: str = "r", **fields: Any) -> Rule:
    fields = {"code": code, "label": code, "funder": "district", **fields}
    if "amount_fen" not in fields and "percent" not in fields:
        fields["amount_fen"] = 100
    return Rule.model_validate(fields)


def policy(
    *rules: Rule, stacking: str = "sum", min_pay_fen: int = 0, on: date = date(2026, 1, 1)
) -> PolicyDocument:
    document = PolicyDocument(
        name="test",
        effective_from=on,
        stacking=stacking,
        min_pay_fen=min_pay_fen,
        rules=list(rules),
    )
    assert problems(document) == []
    return document


def meal(**over: Any) -> Meal:
    return replace(MEAL, **over)


def diner(**over: Any) -> Diner:
    return replace(DINER, **over)


def lines(pricing: engine.Pricing) -> list[tuple[str, int]]:
    return [(line.rule, line.amount_fen) for line in pricing.lines]


def operator_lines(pricing: engine.Pricing) -> list[tuple[str, int]]:
    return [(line.rule, line.amount_fen) for line in pricing.operator_lines]


# --- 1. A rule matches when every `when` condition holds and the meal type is among its own ---

MATCHING = [
    ({"min_age": 60}, diner(age=60), MEAL, True),
    ({"min_age": 60}, diner(age=59), MEAL, False),
    ({"max_age": 79}, diner(age=79), MEAL, True),
    ({"max_age": 79}, diner(age=80), MEAL, False),
    (
        {"categories_any": ["low_income", "veteran"]},
        diner(categories=frozenset({"veteran"})),
        MEAL,
        True,
    ),
    (
        {"categories_any": ["low_income", "veteran"]},
        diner(categories=frozenset({"disabled"})),
        MEAL,
        False,
    ),
    ({"categories_any": ["low_income"]}, DINER, MEAL, False),
    (
        {"categories_all": ["low_income", "dependent"]},
        diner(categories=frozenset({"low_income", "dependent", "veteran"})),
        MEAL,
        True,
    ),
    (
        {"categories_all": ["low_income", "dependent"]},
        diner(categories=frozenset({"low_income"})),
        MEAL,
        False,
    ),
    ({"disability_levels": [1, 2]}, diner(disability_level=2), MEAL, True),
    ({"disability_levels": [1, 2]}, diner(disability_level=3), MEAL, False),
    ({"disability_levels": [1, 2]}, diner(disability_level=None), MEAL, False),
    ({"canteen_ids": [1, 3]}, DINER, meal(canteen_id=3), True),
    ({"canteen_ids": [1, 3]}, DINER, meal(canteen_id=2), False),
    ({"offering_tags_any": ["diabetic"]}, DINER, meal(tags=frozenset({"diabetic", "soft"})), True),
    ({"offering_tags_any": ["diabetic"]}, DINER, meal(tags=frozenset({"soft"})), False),
    ({"offering_tags_any": ["diabetic"]}, DINER, MEAL, False),
    ({"registered_in": "district"}, diner(street="人民街"), MEAL, True),
    ({"registered_in": "district"}, diner(district="天河区"), MEAL, False),
    ({"registered_in": "district"}, diner(district=""), meal(canteen_district=""), False),
    ({"registered_in": "street"}, DINER, MEAL, True),
    ({"registered_in": "street"}, diner(street="人民街"), MEAL, False),
    # The same street name in another district is another street.
    ({"registered_in": "street"}, diner(district="海珠区"), MEAL, False),
    # An unknown street ("", the default on both sides) is nobody's own.
    ({"registered_in": "street"}, diner(street=""), meal(canteen_street=""), False),
    ({"min_age": 60, "categories_any": ["low_income"]}, DINER, MEAL, False),
    (
        {"min_age": 60, "categories_any": ["low_income"]},
        diner(categories=frozenset({"low_income"})),
        MEAL,
        True,
    ),
    ({}, diner(age=0), MEAL, True),
    # 消费满 15 元: the meal's full price, not what is left after other lines.
    ({"min_price_fen": 1500}, DINER, meal(price_fen=1500), True),
    ({"min_price_fen": 1500}, DINER, meal(price_fen=1499), False),
]


@pytest.mark.parametrize(("when", "who", "what", "expected"), MATCHING)
def test_a_rule_matches_when_every_condition_holds(
    when: dict, who: Diner, what: Meal, expected: bool
) -> None:
    the_rule = rule(when=when, amount_fen=300)
    assert engine.matches(the_rule, who, what) is expected
    priced = engine.price(policy(the_rule), who, what)
    assert lines(priced) == ([("r", 300)] if expected else [])


@pytest.mark.parametrize("meal_type", MEAL_TYPES)
def test_meal_types_default_to_all(meal_type: str) -> None:
    assert engine.matches(rule(), DINER, meal(meal_type=meal_type))


def test_a_rule_applies_to_its_own_meal_types_only() -> None:
    lunch_only = rule(meal_types=["lunch", "breakfast"])
    assert engine.matches(lunch_only, DINER, meal(meal_type="lunch"))
    assert engine.matches(lunch_only, DINER, meal(meal_type="breakfast"))
    assert not engine.matches(lunch_only, DINER, meal(meal_type="dinner"))
    priced = engine.price(policy(lunch_only), DINER, meal(meal_type="dinner"))
    assert priced.lines == () and priced.warnings == ()


# --- 2. A rule whose limit is used up is skipped, the next takes its place, and the quote warns ---


@pytest.mark.parametrize(
    ("limits", "used", "applies"),
    [
        ({"daily_limit": 2}, Usage(today=1, this_month=30), True),
        ({"daily_limit": 2}, Usage(today=2), False),
        ({"daily_limit": 2}, Usage(today=3), False),
        ({"monthly_limit": 20}, Usage(today=5, this_month=19), True),
        ({"monthly_limit": 20}, Usage(this_month=20), False),
        ({"daily_limit": 1, "monthly_limit": 20}, Usage(today=0, this_month=20), False),
        ({"daily_limit": 1, "monthly_limit": 20}, Usage(today=1, this_month=0), False),
        ({"daily_limit": 1, "monthly_limit": 20}, Usage(today=0, this_month=19), True),
        ({}, Usage(today=9, this_month=300), True),
    ],
)
def test_daily_and_monthly_limits(limits: dict, used: Usage, applies: bool) -> None:
    priced = engine.price(policy(rule(amount_fen=300, **limits)), DINER, MEAL, {"r": used})
    assert lines(priced) == ([("r", 300)] if applies else [])
    assert priced.warnings == (() if applies else (LIMIT_REACHED,))
    assert engine.within_limits(rule(**limits), used) is applies


def test_usage_counts_per_rule_code() -> None:
    document = policy(rule("a", daily_limit=1), rule("b", daily_limit=1))
    priced = engine.price(document, DINER, MEAL, {"a": Usage(today=1)})
    assert lines(priced) == [("b", 100)]
    assert priced.warnings == (LIMIT_REACHED,)


def test_under_highest_the_next_matching_rule_takes_a_used_up_rules_place() -> None:
    document = policy(
        rule("big", amount_fen=500, daily_limit=1),
        rule("middle", amount_fen=300, monthly_limit=10),
        rule("small", amount_fen=100),
        stacking="highest",
    )
    assert lines(engine.price(document, DINER, MEAL)) == [("big", 500)]
    assert lines(engine.price(document, DINER, MEAL, {"big": Usage(today=1)})) == [("middle", 300)]
    both = engine.price(
        document, DINER, MEAL, {"big": Usage(today=1), "middle": Usage(this_month=10)}
    )
    assert lines(both) == [("small", 100)]
    assert both.warnings == (LIMIT_REACHED,)


def test_under_sum_a_used_up_rule_drops_out_and_the_rest_stay() -> None:
    document = policy(rule("a", amount_fen=200, daily_limit=1), rule("b", amount_fen=300))
    priced = engine.price(document, DINER, MEAL, {"a": Usage(today=1)})
    assert lines(priced) == [("b", 300)]
    assert priced.warnings == (LIMIT_REACHED,)


def test_a_used_up_rule_that_does_not_match_does_not_warn() -> None:
    document = policy(rule("a", daily_limit=1, when={"min_age": 80}), rule("b"))
    priced = engine.price(document, DINER, MEAL, {"a": Usage(today=1)})
    assert lines(priced) == [("b", 100)]
    assert priced.warnings == ()


# --- 3. sum takes every remaining rule; highest the largest (first on a tie) plus stack_always ---


def test_sum_takes_every_matching_rule_in_policy_order() -> None:
    document = policy(
        rule("c", amount_fen=300), rule("a", amount_fen=100), rule("b", amount_fen=200)
    )
    assert lines(engine.price(document, DINER, MEAL)) == [("c", 300), ("a", 100), ("b", 200)]


def test_sum_ignores_stack_always() -> None:
    document = policy(rule("a", amount_fen=300, stack_always=True), rule("b", amount_fen=200))
    assert lines(engine.price(document, DINER, MEAL)) == [("a", 300), ("b", 200)]


def test_highest_takes_the_single_largest_rule() -> None:
    document = policy(
        rule("a", amount_fen=300),
        rule("b", amount_fen=500),
        rule("c", amount_fen=200),
        stacking="highest",
    )
    assert lines(engine.price(document, DINER, MEAL)) == [("b", 500)]


def test_highest_takes_the_first_listed_on_a_tie() -> None:
    document = policy(
        rule("a", amount_fen=100),
        rule("b", amount_fen=300),
        rule("c", amount_fen=300),
        stacking="highest",
    )
    assert lines(engine.price(document, DINER, MEAL)) == [("b", 300)]


def test_highest_adds_every_stack_always_rule_in_policy_order() -> None:
    document = policy(
        rule("op", amount_fen=100, stack_always=True, funder="operator"),
        rule("small", amount_fen=300),
        rule("big", amount_fen=500),
        rule("city", amount_fen=50, stack_always=True, funder="city"),
        stacking="highest",
    )
    assert lines(engine.price(document, DINER, MEAL)) == [("op", 100), ("big", 500), ("city", 50)]


def test_highest_with_only_stack_always_rules_takes_them_all() -> None:
    document = policy(
        rule("a", stack_always=True), rule("b", stack_always=True), stacking="highest"
    )
    assert lines(engine.price(document, DINER, MEAL)) == [("a", 100), ("b", 100)]


def test_highest_compares_percent_rules_on_this_meals_price() -> None:
    document = policy(rule("fixed", amount_fen=300), rule("half", percent=50), stacking="highest")
    assert lines(engine.price(document, DINER, meal(price_fen=1000))) == [("half", 500)]
    assert lines(engine.price(document, DINER, meal(price_fen=400))) == [("fixed", 300)]


def test_highest_compares_a_percent_rule_after_its_cap() -> None:
    document = policy(
        rule("fixed", amount_fen=300), rule("half", percent=50, max_fen=200), stacking="highest"
    )
    assert lines(engine.price(document, DINER, meal(price_fen=1000))) == [("fixed", 300)]


# --- 4. A fixed amount is itself; a percent is rounded down, then capped by max_fen ---


@pytest.mark.parametrize(
    ("fields", "price_fen", "expected"),
    [
        ({"amount_fen": 300}, 1000, 300),
        ({"amount_fen": 300}, 0, 300),
        ({"percent": 25}, 1299, 324),
        ({"percent": 25}, 1000, 250),
        ({"percent": 33}, 1, 0),
        ({"percent": 100}, 777, 777),
        ({"percent": 25, "max_fen": 300}, 1299, 300),
        ({"percent": 25, "max_fen": 300}, 1203, 300),
        ({"percent": 25, "max_fen": 300}, 1199, 299),
        ({"percent": 25, "max_fen": 300}, 0, 0),
    ],
)
def test_amounts(fields: dict, price_fen: int, expected: int) -> None:
    assert engine.amount(rule(**fields), price_fen) == expected


def test_a_percent_line_is_rounded_down() -> None:
    priced = engine.price(policy(rule(percent=25)), DINER, meal(price_fen=1299))
    assert lines(priced) == [("r", 324)]
    assert priced.pay_fen == 975


# --- 5. Never more than the price less min_pay_fen: cut from the last-listed rule backwards ---


@pytest.mark.parametrize(
    ("price_fen", "expected", "pay_fen"),
    [
        (1000, [("r", 500)], 500),
        (600, [("r", 500)], 100),
        (550, [("r", 450)], 100),
        (100, [], 100),
        (50, [], 50),
        (0, [], 0),
    ],
)
def test_min_pay_fen_shrinks_the_subsidy(price_fen: int, expected: list, pay_fen: int) -> None:
    priced = engine.price(
        policy(rule(amount_fen=500), min_pay_fen=100), DINER, meal(price_fen=price_fen)
    )
    assert lines(priced) == expected
    assert priced.pay_fen == pay_fen


@pytest.mark.parametrize(
    ("price_fen", "expected"),
    [
        (1200, [("a", 300), ("b", 400), ("c", 500)]),
        (1000, [("a", 300), ("b", 400), ("c", 300)]),
        (700, [("a", 300), ("b", 400)]),
        (500, [("a", 300), ("b", 200)]),
        (300, [("a", 300)]),
        (120, [("a", 120)]),
        (0, []),
    ],
)
def test_lines_are_cut_from_the_last_listed_rule_backwards(price_fen: int, expected: list) -> None:
    document = policy(
        rule("a", amount_fen=300), rule("b", amount_fen=400), rule("c", amount_fen=500)
    )
    priced = engine.price(document, DINER, meal(price_fen=price_fen))
    assert lines(priced) == expected
    assert priced.subsidy_fen == min(price_fen, 1200)
    assert priced.pay_fen == price_fen - priced.subsidy_fen


def test_a_stack_always_rule_listed_last_is_cut_first() -> None:
    document = policy(
        rule("best", amount_fen=500),
        rule("extra", amount_fen=300, stack_always=True),
        stacking="highest",
    )
    assert lines(engine.price(document, DINER, meal(price_fen=600))) == [
        ("best", 500),
        ("extra", 100),
    ]


def test_cuts_and_min_pay_fen_work_together() -> None:
    document = policy(rule("a", amount_fen=300), rule("b", amount_fen=400), min_pay_fen=200)
    assert lines(engine.price(document, DINER, meal(price_fen=800))) == [("a", 300), ("b", 300)]


def test_a_line_of_nothing_is_dropped() -> None:
    document = policy(rule("pct", percent=10), rule("fixed", amount_fen=100))
    priced = engine.price(document, DINER, meal(price_fen=9))
    assert lines(priced) == [("fixed", 9)]  # 10% of 9 fen is 0: no line; the fixed one is cut to 9
    assert all(line.amount_fen > 0 for line in priced.lines)


# --- Operator payments: matched and limited the same way, never lower the price, listed apart ---


def test_an_operator_payment_is_listed_apart_and_does_not_lower_the_price() -> None:
    document = policy(
        rule("diner", amount_fen=500),
        rule("operating", amount_fen=300, funder="city", pays="operator"),
        stacking="highest",
    )
    priced = engine.price(document, DINER, MEAL)
    assert lines(priced) == [("diner", 500)]
    assert operator_lines(priced) == [("operating", 300)]
    assert priced.operator_lines[0].funder == "city"
    assert priced.subsidy_fen == 500 and priced.pay_fen == 500


def test_an_operator_payment_does_not_compete_under_highest_nor_get_cut() -> None:
    document = policy(
        rule("diner", amount_fen=100),
        rule("operating", amount_fen=900, pays="operator"),
        stacking="highest",
        min_pay_fen=100,
    )
    priced = engine.price(document, DINER, meal(price_fen=150))
    assert lines(priced) == [("diner", 50)]
    assert operator_lines(priced) == [("operating", 900)]
    assert priced.pay_fen == 100


def test_an_operator_payment_alone_leaves_the_price_whole() -> None:
    priced = engine.price(policy(rule(pays="operator", amount_fen=300)), DINER, meal(price_fen=100))
    assert priced.lines == () and operator_lines(priced) == [("r", 300)]
    assert priced.pay_fen == 100


def test_an_operator_payment_matches_and_uses_limits_like_any_rule() -> None:
    document = policy(
        rule("op", pays="operator", daily_limit=1, when={"min_age": 60}, amount_fen=300)
    )
    assert operator_lines(engine.price(document, diner(age=59), MEAL)) == []
    assert operator_lines(engine.price(document, DINER, MEAL)) == [("op", 300)]
    used = engine.price(document, DINER, MEAL, {"op": Usage(today=1)})
    assert used.operator_lines == ()
    # The warning tells the diner why they pay more; a used-up operator payment does not.
    assert used.warnings == ()


def test_an_operator_percent_of_nothing_is_dropped() -> None:
    priced = engine.price(policy(rule(pays="operator", percent=10)), DINER, meal(price_fen=0))
    assert priced.operator_lines == ()


def test_pricing_sums() -> None:
    priced = engine.price(policy(rule("a", amount_fen=300), rule("b", amount_fen=200)), DINER, MEAL)
    assert priced.price_fen == 1000 and priced.subsidy_fen == 500 and priced.pay_fen == 500
    assert [line.label for line in priced.lines] == ["a", "b"]
    assert [line.funder for line in priced.lines] == ["district", "district"]


# --- in_force: the latest effective_from on or before the date, None before any ---


def test_in_force() -> None:
    first, second, third = (policy(rule(), on=date(2026, month, 1)) for month in (1, 3, 6))
    policies = [third, first, second]
    assert engine.in_force([], date(2026, 5, 1)) is None
    assert engine.in_force(policies, date(2025, 12, 31)) is None
    assert engine.in_force(policies, date(2026, 1, 1)) is first
    assert engine.in_force(policies, date(2026, 2, 28)) is first
    assert engine.in_force(policies, date(2026, 3, 1)) is second
    assert engine.in_force(policies, date(2026, 5, 31)) is second
    assert engine.in_force(policies, date(2030, 1, 1)) is third


# --- Properties over generated policies, diners, meals and usage ---------------------------------

DISTRICTS = ("越秀区", "天河区", "")
STREETS = ("北京街", "人民街", "")
TAGS = ("diabetic", "hypertension", "soft")


def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


CONDITIONS: dict[str, st.SearchStrategy] = {
    "categories_any": st.lists(st.sampled_from(CATEGORY_CODES), min_size=1, max_size=3),
    "categories_all": st.lists(st.sampled_from(CATEGORY_CODES), min_size=1, max_size=2),
    "disability_levels": st.lists(st.integers(1, 4), min_size=1, max_size=3),
    "canteen_ids": st.lists(st.integers(1, 3), min_size=1, max_size=2),
    "offering_tags_any": st.lists(st.sampled_from(TAGS), min_size=1, max_size=2),
    "registered_in": st.sampled_from(["street", "district"]),
    "min_age": st.sampled_from([60, 70, 80]) | st.integers(0, 120),
    "max_age": st.sampled_from([69, 79]) | st.integers(0, 120),
    "min_price_fen": st.sampled_from([800, 1500]) | st.integers(1, 3000),
}


CHOSEN = st.lists(st.sampled_from(sorted(CONDITIONS)), max_size=2, unique=True)


@st.composite
def whens(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(CHOSEN)
    when = {key: draw(CONDITIONS[key]) for key in chosen}
    if "min_age" in when and "max_age" in when and when["min_age"] > when["max_age"]:
        when["min_age"], when["max_age"] = when["max_age"], when["min_age"]
    return when


FUNDER = st.sampled_from(FUNDERS)
PAYS = st.sampled_from(["diner", "diner", "diner", "operator"])
AMOUNT = st.integers(1, 5000)
PERCENT = st.integers(1, 100)
MEAL_TYPE_LISTS = _maybe(st.lists(st.sampled_from(MEAL_TYPES), min_size=1, max_size=3, unique=True))
LIMITS = {"daily_limit": _maybe(st.integers(1, 3)), "monthly_limit": _maybe(st.integers(1, 5))}
WHENS = whens()


@st.composite
def rules(draw: st.DrawFn, code: str) -> Rule:
    fields: dict[str, Any] = {
        "code": code,
        "label": code,
        "funder": draw(FUNDER),
        "when": draw(WHENS),
        "pays": draw(PAYS),
    }
    if draw(st.booleans()):
        fields["amount_fen"] = draw(AMOUNT)
    else:
        fields["percent"] = draw(PERCENT)
        if draw(st.booleans()):
            fields["max_fen"] = draw(AMOUNT)
    if fields["pays"] == "diner":
        fields["stack_always"] = draw(st.booleans())
    for key, strategy in {"meal_types": MEAL_TYPE_LISTS, **LIMITS}.items():
        value = draw(strategy)
        if value is not None:
            fields[key] = value
    return Rule.model_validate(fields)


RULES = [rules(f"r{i}") for i in range(6)]
STACKING = st.sampled_from(["highest", "sum"])
MIN_PAY = st.sampled_from([0, 100]) | st.integers(0, 500)
RULE_COUNT = st.sampled_from(range(1, len(RULES) + 1))


@st.composite
def policies(draw: st.DrawFn) -> PolicyDocument:
    count = draw(RULE_COUNT)
    return PolicyDocument(
        name="generated",
        effective_from=date(2026, 1, 1),
        stacking=draw(STACKING),
        min_pay_fen=draw(MIN_PAY),
        rules=[draw(strategy) for strategy in RULES[:count]],
    )


diners = st.builds(
    Diner,
    age=st.integers(55, 95) | st.integers(0, 120),
    categories=st.frozensets(st.sampled_from(CATEGORY_CODES), max_size=5),
    disability_level=_maybe(st.integers(1, 4)),
    district=st.sampled_from(DISTRICTS),
    street=st.sampled_from(STREETS),
)
meals = st.builds(
    Meal,
    canteen_id=st.integers(1, 3),
    canteen_district=st.sampled_from(DISTRICTS),
    canteen_street=st.sampled_from(STREETS),
    meal_type=st.sampled_from(MEAL_TYPES),
    price_fen=st.integers(800, 2000) | st.integers(0, 5000),  # mostly a real meal's price
    tags=st.frozensets(st.sampled_from(TAGS), max_size=2),
)
usages = st.dictionaries(
    st.sampled_from([f"r{i}" for i in range(6)]),
    st.builds(Usage, today=st.integers(0, 4), this_month=st.integers(0, 6)),
    max_size=6,
)
PROPERTIES = settings(max_examples=250, deadline=None)
# Generating a policy costs hypothesis far more than pricing it, so one test checks every
# property on each generated case; each property is its own function, named in a failure.


def _within_the_price(document: PolicyDocument, what: Meal, priced: engine.Pricing) -> None:
    assert priced.subsidy_fen >= 0
    assert priced.subsidy_fen <= max(0, what.price_fen - document.min_pay_fen)
    assert priced.pay_fen == what.price_fen - priced.subsidy_fen >= 0
    if document.min_pay_fen >= what.price_fen:
        assert priced.lines == ()
    assert priced.subsidy_fen == sum(line.amount_fen for line in priced.lines)
    assert all(line.amount_fen > 0 for line in priced.lines + priced.operator_lines)


def _lines_come_from_matching_rules_within_limits_in_order(
    document: PolicyDocument, who: Diner, what: Meal, used: dict, priced: engine.Pricing
) -> None:
    by_code = {rule.code: rule for rule in document.rules}
    order = [rule.code for rule in document.rules]
    for group, pays in ((priced.lines, "diner"), (priced.operator_lines, "operator")):
        codes = [line.rule for line in group]
        assert codes == sorted(codes, key=order.index)
        assert len(set(codes)) == len(codes)
        for line in group:
            the_rule = by_code[line.rule]
            assert the_rule.pays == pays
            assert engine.matches(the_rule, who, what)
            counts = used.get(line.rule, Usage())
            assert the_rule.daily_limit is None or counts.today < the_rule.daily_limit
            assert the_rule.monthly_limit is None or counts.this_month < the_rule.monthly_limit
            assert 0 < line.amount_fen <= _uncut(the_rule, what.price_fen)
            assert (line.label, line.funder) == (the_rule.label, the_rule.funder)
    if document.stacking == "highest":
        assert sum(not by_code[line.rule].stack_always for line in priced.lines) <= 1


def _uncut(rule: Rule, price_fen: int) -> int:
    """A rule's amount before any cut, worked out here rather than by the engine."""
    if rule.amount_fen is not None:
        return rule.amount_fen
    assert rule.percent is not None
    return min(price_fen * rule.percent // 100, rule.max_fen or price_fen)


def _nothing_uncut_is_left_out(
    document: PolicyDocument, who: Diner, what: Meal, used: dict, priced: engine.Pricing
) -> None:
    if priced.subsidy_fen >= max(0, what.price_fen - document.min_pay_fen):
        return  # the subsidy was (or may have been) cut
    eligible = [
        rule
        for rule in document.rules
        if rule.pays == "diner"
        and engine.matches(rule, who, what)
        and engine.within_limits(rule, used.get(rule.code, Usage()))
        and _uncut(rule, what.price_fen) > 0
    ]
    paid = {line.rule: line.amount_fen for line in priced.lines}
    for rule in eligible:
        if document.stacking == "sum" or rule.stack_always:
            assert paid.get(rule.code) == _uncut(rule, what.price_fen)
    competing = [rule for rule in eligible if not rule.stack_always]
    if document.stacking == "highest" and competing:
        best = max(_uncut(rule, what.price_fen) for rule in competing)
        assert [paid[r.code] for r in competing if r.code in paid] == [best]


def _a_used_up_matching_rule_warns(
    document: PolicyDocument, who: Diner, what: Meal, used: dict, priced: engine.Pricing
) -> None:
    used_up = [
        rule
        for rule in document.rules
        if rule.pays == "diner"
        and engine.matches(rule, who, what)
        and not engine.within_limits(rule, used.get(rule.code, Usage()))
    ]
    assert priced.warnings == ((LIMIT_REACHED,) if used_up else ())


def _operator_payments_never_change_the_diners_price(
    document: PolicyDocument, who: Diner, what: Meal, used: dict, priced: engine.Pricing
) -> None:
    discounts = [rule for rule in document.rules if rule.pays == "diner"]
    if discounts:
        alone = engine.price(document.model_copy(update={"rules": discounts}), who, what, used)
        assert alone.lines == priced.lines
    else:
        assert priced.lines == ()


def _highest_never_gives_more_than_sum(
    document: PolicyDocument, who: Diner, what: Meal, used: dict
) -> None:
    highest = engine.price(document.model_copy(update={"stacking": "highest"}), who, what, used)
    summed = engine.price(document.model_copy(update={"stacking": "sum"}), who, what, used)
    assert highest.subsidy_fen <= summed.subsidy_fen
    assert highest.operator_lines == summed.operator_lines
    assert highest.warnings == summed.warnings


def _a_rule_at_its_limit_never_pays(document: PolicyDocument, who: Diner, what: Meal) -> None:
    at_limit = {
        rule.code: Usage(today=rule.daily_limit)
        if rule.daily_limit
        else Usage(this_month=rule.monthly_limit or 0)
        for rule in document.rules
        if rule.daily_limit or rule.monthly_limit
    }
    priced = engine.price(document, who, what, at_limit)
    assert {line.rule for line in priced.lines + priced.operator_lines}.isdisjoint(at_limit)


@PROPERTIES
@given(document=policies(), who=diners, what=meals, used=usages)
def test_pricing_properties(document: PolicyDocument, who: Diner, what: Meal, used: dict) -> None:
    assert problems(document) == []
    priced = engine.price(document, who, what, used)
    assert engine.price(document, who, what, dict(used)) == priced, (
        "the same inputs, the same pricing"
    )
    _within_the_price(document, what, priced)
    _lines_come_from_matching_rules_within_limits_in_order(document, who, what, used, priced)
    _nothing_uncut_is_left_out(document, who, what, used, priced)
    _a_used_up_matching_rule_warns(document, who, what, used, priced)
    _operator_payments_never_change_the_diners_price(document, who, what, used, priced)
    _highest_never_gives_more_than_sum(document, who, what, used)
    _a_rule_at_its_limit_never_pays(document, who, what)
