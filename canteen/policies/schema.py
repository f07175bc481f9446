"""What a subsidy policy is: its rules, their conditions, amounts, funders and limits.

Pydantic checks the shapes (types, ranges); :func:`problems` checks what only makes sense
across fields and rules, naming the rule and the field, so a 422 says exactly what to fix.
The same models are the engine's input: a policy is data, and the engine reads nothing else.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from canteen.errors import FieldError
from canteen.schemas import Day, Id, Name

MealType = Literal["breakfast", "lunch", "dinner"]
MEAL_TYPES: tuple[MealType, ...] = ("breakfast", "lunch", "dinner")


def meal_type(text: str) -> MealType:
    """``text`` as a meal type, or ``ValueError``: a dish's stored type, a canteen's window
    name, each checked when written, are plain strings until they reach the engine."""
    for known in MEAL_TYPES:
        if text == known:
            return known
    raise ValueError(f"not a meal type: {text!r}")


FUNDERS = ("province", "city", "district", "street", "operator", "charity")
"""Who pays a rule's amount; the monthly claim is drawn up per funder."""
CATEGORY_CODES = (
    "low_income",
    "extreme_poverty",
    "disabled",
    "dependent",
    "bereaved_parent",
    "living_alone",
    "veteran",
)
Slug = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Strict):
    """Conditions on the diner, the canteen and the meal; every one given must hold."""

    min_age: int | None = Field(None, ge=0, le=150)
    max_age: int | None = Field(None, ge=0, le=150)
    categories_any: list[str] | None = Field(None, min_length=1)
    categories_all: list[str] | None = Field(None, min_length=1)
    """All of these (e.g. low-income *and* dependent); an addition to API.md's vocabulary."""
    disability_levels: list[int] | None = Field(None, min_length=1)
    canteen_ids: list[Id] | None = Field(None, min_length=1)
    offering_tags_any: list[str] | None = Field(None, min_length=1)
    registered_in: Literal["street", "district"] | None = None
    """The diner's registered (户籍) street or district is the canteen's own."""
    min_price_fen: int | None = Field(None, ge=1, le=100_000)
    """The meal's full price is at least this (消费满 15 元); an addition to API.md."""


class Rule(_Strict):
    code: Slug = Field(pattern=r"^[a-z0-9_]{1,40}$")
    label: Name = Field(min_length=1, max_length=100)
    when: When = When()
    amount_fen: int | None = Field(None, ge=1, le=100_000)
    percent: int | None = Field(None, ge=1, le=100)
    max_fen: int | None = Field(None, ge=1, le=100_000)
    """Caps a ``percent`` rule's amount."""
    funder: str
    meal_types: list[MealType] | None = Field(None, min_length=1)
    """Defaults to every meal type."""
    daily_limit: int | None = Field(None, ge=1, le=10)
    monthly_limit: int | None = Field(None, ge=1, le=310)
    stack_always: bool = False
    """With ``highest`` stacking, applies on top of the single largest rule."""
    pays: Literal["diner", "operator"] = "diner"
    """``operator``: the funder pays the canteen per meal served (运营补贴); the diner's price
    is not lowered, but the claim and the sustainability report count it."""


class PolicyDocument(_Strict):
    name: Name = Field(min_length=1, max_length=200)
    effective_from: Day
    stacking: Literal["highest", "sum"]
    min_pay_fen: int = Field(0, ge=0, le=100_000)
    """The diner always pays at least this; subsidies shrink to leave it."""
    rules: list[Rule] = Field(min_length=1, max_length=100)


def _rule_problems(index: int, rule: Rule) -> list[FieldError]:
    def problem(field: str, message: str) -> FieldError:
        return FieldError(f"rules.{index}.{field}", f"rule {rule.code!r}: {message}")

    found = []
    if (rule.amount_fen is None) == (rule.percent is None):
        found.append(problem("amount_fen", "give exactly one of amount_fen and percent"))
    if rule.max_fen is not None and rule.percent is None:
        found.append(problem("max_fen", "caps a percent rule only"))
    if rule.funder not in FUNDERS:
        found.append(problem("funder", f"one of {', '.join(FUNDERS)}"))
    when = rule.when
    if when.min_age is not None and when.max_age is not None and when.min_age > when.max_age:
        found.append(problem("when.max_age", "is below min_age"))
    for name in ("categories_any", "categories_all"):
        unknown = sorted(set(getattr(when, name) or ()) - set(CATEGORY_CODES))
        if unknown:
            found.append(problem(f"when.{name}", f"unknown categories {unknown}"))
    if when.disability_levels and not set(when.disability_levels) <= {1, 2, 3, 4}:
        found.append(problem("when.disability_levels", "levels are 1 to 4"))
    if rule.pays == "operator" and rule.stack_always:
        found.append(problem("stack_always", "an operator payment does not stack with discounts"))
    return found


def problems(policy: PolicyDocument) -> list[FieldError]:
    """Everything wrong with a well-typed policy; empty when it can be put in force."""
    found = [p for i, rule in enumerate(policy.rules) for p in _rule_problems(i, rule)]
    seen: set[str] = set()
    for i, rule in enumerate(policy.rules):
        if rule.code in seen:
            found.append(
                FieldError(f"rules.{i}.code", f"rule {rule.code!r}: the code is used twice")
            )
        seen.add(rule.code)
    return found
