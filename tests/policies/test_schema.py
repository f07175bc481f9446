"""An ill-formed policy is refused, every problem named by field (and by rule, where it is one)."""

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canteen.errors import InvalidInput
from canteen.policies import files
from canteen.policies.schema import MEAL_TYPES, meal_type

GOOD: dict[str, Any] = {
    "name": "2026 district elder-meal policy",
    "effective_from": "2026-12-01",
    "stacking": "highest",
    "min_pay_fen": 100,
    "rules": [
        {
            "code": "age80",
            "label": "80 岁及以上",
            "when": {"min_age": 80},
            "amount_fen": 500,
            "funder": "district",
            "meal_types": ["lunch", "dinner"],
            "daily_limit": 1,
        },
        {
            "code": "low_income",
            "label": "低保",
            "when": {"categories_any": ["low_income"]},
            "percent": 50,
            "max_fen": 800,
            "funder": "district",
            "daily_limit": 2,
        },
        {
            "code": "disabled",
            "label": "重度残疾",
            "when": {"disability_levels": [1, 2]},
            "percent": 30,
            "funder": "city",
            "monthly_limit": 40,
        },
        {
            "code": "operating",
            "label": "运营补贴",
            "when": {"min_age": 60},
            "amount_fen": 300,
            "funder": "city",
            "pays": "operator",
            "daily_limit": 1,
        },
    ],
    "examples": [{"name": "left out by the loader, whatever it holds"}],
}


def changed(index: int, **fields: Any) -> dict[str, Any]:
    """GOOD with rule ``index`` changed; a value of None removes the field."""
    data = copy.deepcopy(GOOD)
    for key, value in fields.items():
        if value is None:
            data["rules"][index].pop(key, None)
        else:
            data["rules"][index][key] = value
    return data


def refused(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        files.parse(data)
    assert caught.value.errors, "an InvalidInput must list its problems"
    return {error.field: error.message for error in caught.value.errors}


def test_the_good_policy_parses() -> None:
    policy = files.parse(copy.deepcopy(GOOD))
    assert [rule.code for rule in policy.rules] == ["age80", "low_income", "disabled", "operating"]
    assert policy.rules[0].meal_types == ["lunch", "dinner"] and policy.rules[2].meal_types is None


# Problems only the cross-field check sees: the field path, and the rule's code in the message.
@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (changed(2, amount_fen=100), "rules.2.amount_fen", "disabled"),
        (changed(2, percent=None), "rules.2.amount_fen", "disabled"),
        (changed(0, max_fen=300), "rules.0.max_fen", "age80"),
        (changed(3, funder="town"), "rules.3.funder", "operating"),
        (changed(0, when={"min_age": 80, "max_age": 79}), "rules.0.when.max_age", "age80"),
        (
            changed(1, when={"categories_any": ["low_income", "rich"]}),
            "rules.1.when.categories_any",
            "low_income",
        ),
        (
            changed(1, when={"categories_all": ["poor"]}),
            "rules.1.when.categories_all",
            "low_income",
        ),
        (
            changed(2, when={"disability_levels": [0, 1]}),
            "rules.2.when.disability_levels",
            "disabled",
        ),
        (changed(2, when={"disability_levels": [5]}), "rules.2.when.disability_levels", "disabled"),
        (changed(2, code="age80"), "rules.2.code", "age80"),
        (changed(3, stack_always=True), "rules.3.stack_always", "operating"),
    ],
    ids=[
        "both amount and percent",
        "neither amount nor percent",
        "max_fen without percent",
        "unknown funder",
        "min_age above max_age",
        "unknown category (any)",
        "unknown category (all)",
        "disability level 0",
        "disability level 5",
        "duplicate code",
        "operator payment stacking",
    ],
)
def test_a_cross_field_problem_names_the_rule_and_field(
    data: dict[str, Any], field: str, code: str
) -> None:
    errors = refused(data)
    assert field in errors, errors
    assert f"rule {code!r}" in errors[field]


def test_min_age_equal_to_max_age_is_fine() -> None:
    files.parse(changed(0, when={"min_age": 80, "max_age": 80}))


# Problems of shape and range: pydantic's, named by the field path (which holds the rule's index).
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (changed(1, colour="red"), "rules.1.colour"),
        (changed(1, when={"min_age": 60, "colour": "red"}), "rules.1.when.colour"),
        ({**GOOD, "colour": "red"}, "colour"),
        (changed(0, meal_types=["lunch", "supper"]), "rules.0.meal_types.1"),
        (changed(1, percent=0), "rules.1.percent"),
        (changed(1, percent=101), "rules.1.percent"),
        (changed(0, amount_fen=0), "rules.0.amount_fen"),
        (changed(0, daily_limit=0), "rules.0.daily_limit"),
        (changed(0, code="Age 80"), "rules.0.code"),
        (changed(0, when={"registered_in": "city"}), "rules.0.when.registered_in"),
        (changed(3, pays="charity"), "rules.3.pays"),
        ({**GOOD, "stacking": "max"}, "stacking"),
        ({**GOOD, "min_pay_fen": -1}, "min_pay_fen"),
        ({**GOOD, "rules": []}, "rules"),
        ({key: value for key, value in GOOD.items() if key != "name"}, "name"),
    ],
    ids=[
        "unknown rule key",
        "unknown when key",
        "unknown policy key",
        "bad meal type",
        "percent 0",
        "percent 101",
        "amount 0",
        "daily limit 0",
        "bad code",
        "bad registered_in",
        "bad pays",
        "bad stacking",
        "negative min_pay_fen",
        "no rules",
        "no name",
    ],
)
def test_an_ill_shaped_policy_names_the_field(data: dict[str, Any], field: str) -> None:
    errors = refused(data)
    assert field in errors, errors


def test_every_problem_is_listed_at_once() -> None:
    data = changed(3, funder="town")
    data["rules"][0]["max_fen"] = 300
    data["rules"][1]["code"] = "age80"
    assert {"rules.3.funder", "rules.0.max_fen", "rules.1.code"} <= set(refused(data))


def test_the_file_reader_names_a_broken_file(tmp_path: Any) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "unterminated\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        files.read(broken)
    assert [error.field for error in caught.value.errors] == ["file"]
    assert "broken.toml" in caught.value.errors[0].message


@pytest.mark.parametrize("name", MEAL_TYPES)
def test_a_stored_meal_type_reads_as_itself(name: str) -> None:
    assert meal_type(name) == name


@given(st.text(max_size=12).filter(lambda text: text not in MEAL_TYPES))
def test_anything_else_is_not_a_meal_type(text: str) -> None:
    with pytest.raises(ValueError, match="not a meal type"):
        meal_type(text)
