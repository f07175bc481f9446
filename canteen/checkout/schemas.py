import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from canteen.schemas import Day, Fen, Id, ListQuery, RequestModel


class OrderIn(RequestModel):
    """Who (a scanned ``card``, or ``diner_id`` with a ``manual_reason``) eats what, where."""

    card: str | None = Field(None, max_length=300)
    card_serial: str | None = Field(None, max_length=40)
    """The serial printed on a card that will not scan, typed by hand: it names the card, and
    the sale is still one without the card (``manual_reason`` and ``answer`` are needed)."""
    diner_id: Id | None = None
    manual_reason: str | None = None
    """Why no card was scanned (card_forgotten, card_damaged, scanner_down, ...)."""
    answer: str | None = Field(None, max_length=20)
    """With ``diner_id``: the last 4 of the elder's ID number or phone, as the elder said them."""
    canteen_id: Id
    offering_id: Id | None = None
    meal_type: Literal["breakfast", "lunch", "dinner"] | None = None
    price_fen: Fen | None = None


class SaleIn(OrderIn):
    payment: Literal["account", "cash"] = "account"


class VoidIn(RequestModel):
    reason: str = Field(min_length=1, max_length=200)


class DinerAtCounter(BaseModel):
    id: int
    name: str
    age: int
    categories: list[str]
    dietary: list[str]
    status: str


class SubsidyOut(BaseModel):
    rule: str
    label: str
    funder: str
    amount_fen: int


class WarningOut(BaseModel):
    """One warning with its kind, so the counter shows it without parsing the code."""

    kind: Literal["diet", "account", "limit", "sale"]
    """``diet``: a diet flag or allergy; ``account``: the balance; ``limit``: a subsidy's limit
    is used up, so the meal is priced without it; ``sale``: a meal was sold to this diner
    moments ago."""
    code: str
    """The same text as in ``warnings`` (``allergy:花生``, ``low_balance``, ...)."""
    rule: str | None = None
    """``limit``: the rule whose limit is used up."""
    seconds: int | None = None
    """``sale``: seconds since that sale."""


class QuoteOut(BaseModel):
    diner: DinerAtCounter
    meal_type: str
    price_fen: int
    subsidies: list[SubsidyOut]
    subsidy_fen: int
    pay_fen: int
    balance_fen: int
    balance_after_fen: int
    warnings: list[str]
    """``subsidy_limit_reached``, ``low_balance``, ``recent_sale``, and the diner's diet flags."""
    warning_details: list[WarningOut] = []
    """The same warnings, each with its kind (and the rule or seconds where it has one)."""
    operator_subsidies: list[SubsidyOut]
    """Paid by funders to the canteen per meal served; they do not lower ``pay_fen``."""
    policy_id: int | None
    offering_id: int | None
    card_serial: str | None
    recent_sale_seconds: int | None = None
    """With the warning ``recent_sale``: how many seconds ago this diner was sold a meal."""


class SaleOut(QuoteOut):
    meal_id: int
    canteen_id: int
    payment: str
    at: dt.datetime
    local_date: dt.date
    manual_reason: str | None
    order_id: int | None = None
    """The order ahead this sale handed over (fulfilled by it); empty for a walk-in."""


class MealOut(BaseModel):
    """A meal as recorded, with its subsidy lines: what a claim or a family sees later."""

    meal_id: int
    canteen_id: int
    diner_id: int
    meal_type: str
    price_fen: int
    subsidies: list[SubsidyOut]
    subsidy_fen: int
    pay_fen: int
    operator_subsidies: list[SubsidyOut]
    payment: str
    at: dt.datetime
    local_date: dt.date
    policy_id: int | None
    offering_id: int | None
    manual_reason: str | None
    voided_at: dt.datetime | None
    void_reason: str | None
    diner_name: str
    sold_by: str
    """The username of who sold it (a manager watches the sales without a card)."""
    order_id: int | None = None
    """The order ahead it handed over; empty for a walk-in."""


class MealQuery(ListQuery):
    canteen_id: Id | None = None
    date: Day | None = None
    diner_id: Id | None = None
    manual: bool | None = None
    """``true``: only sales without a card; ``false``: only scanned ones."""


class MealCountQuery(BaseModel):
    canteen_id: Id
    date: Day | None = None
    """The canteen's local day; today there when left out."""


class MealCountOut(BaseModel):
    """One canteen's meals of one day: the counter's "today" figure, without the meals."""

    canteen_id: int
    date: dt.date
    meals: int
    """Sold and not voided."""
    voided: int
    """Sold, then voided (not in ``meals``)."""
    manual: int
    """Of ``meals``, those sold without the card."""


class LookupQuery(BaseModel):
    q: str = Field(min_length=2, max_length=64)
    """An exact full name, or a full phone number."""


class DinerFound(BaseModel):
    """The least a counter needs to pick the elder in front of it: no ID, phone or balance."""

    id: int
    name: str
    age: int
    status: str
    dietary: list[str]
