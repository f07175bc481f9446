from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from canteen.canteens.schemas import MealType
from canteen.schemas import Day, Id, ListQuery, Name, RequestModel

OrderStatus = Literal["placed", "fulfilled", "cancelled", "missed"]
Dish = Name


class MenuItemIn(RequestModel):
    offering_id: Id
    dishes: list[Dish] = Field(default_factory=list, max_length=20)
    allergens: list[Dish] = Field(default_factory=list, max_length=20)


class MenuIn(RequestModel):
    """A day's menu, whole: meal types left out serve nothing that day."""

    meals: dict[MealType, list[MenuItemIn]]


class MenuItemOut(BaseModel):
    offering_id: int
    name: str
    price_fen: int
    tags: list[str]
    dishes: list[str]
    allergens: list[str]


class MenuOut(BaseModel):
    date: date
    meals: dict[str, list[MenuItemOut]]


class MenuQuery(BaseModel):
    # "from" is a Python keyword: the field is named for the query parameter by its alias.
    from_: Day = Field(alias="from")
    to: Day


class MenusOut(BaseModel):
    items: list[MenuOut]


class OrderIn(RequestModel):
    diner_id: Id
    canteen_id: Id
    date: Day
    meal_type: MealType
    offering_id: Id
    delivery: bool
    note: Name = Field("", max_length=200)


class Estimate(BaseModel):
    """What the hand-over is expected to cost, priced now as the counter would price it:
    ``pay_fen = price_fen + delivery_fee_fen - subsidy_fen``. The meal is priced again, and
    charged, when it is handed over."""

    price_fen: int
    subsidy_fen: int
    delivery_fee_fen: int
    pay_fen: int


class OrderOut(BaseModel):
    order_id: int
    status: OrderStatus
    diner_id: int
    canteen_id: int
    date: date
    meal_type: MealType
    offering_id: int
    delivery: bool
    note: str
    cutoff_at: datetime
    meal_id: int | None
    estimate: Estimate | None = None
    """Given when the order is placed."""


class OrderQuery(ListQuery):
    canteen_id: Id | None = None
    date: Day | None = None
    meal_type: MealType | None = None
    status: OrderStatus | None = None
    diner_id: Id | None = None


StopOutcome = Literal["delivered", "not_home", "refused"]


class RunIn(RequestModel):
    date: Day
    meal_type: MealType
    deliverer_user_id: Id
    """A volunteer, an office (staff) user, or a manager or cashier of this canteen."""


class StopOut(BaseModel):
    stop_id: int
    order_id: int
    position: int
    """Where the stop comes in the round, from 1."""
    diner_id: int
    diner_name: str
    address: str
    phone_masked: str
    """``138****5678``: enough to recognise the number the deliverer was given, not to read it."""
    dietary: list[str]
    pay_fen_estimate: int
    """What the diner was told the meal brought home costs them (the order's estimate)."""
    outcome: StopOutcome | None
    meal_id: int | None
    """The meal sold when it was delivered."""
    note: str
    recorded_at: datetime | None


class RunOut(BaseModel):
    run_id: int
    canteen_id: int
    date: date
    meal_type: MealType
    deliverer_user_id: int
    created_at: datetime
    stops: list[StopOut]


class RunsOut(BaseModel):
    items: list[RunOut]


class RunQuery(BaseModel):
    date: Day | None = None
    """The day of the runs; today in the server's time zone when left out."""


class RunOrderIn(RequestModel):
    stop_ids: list[Id] = Field(max_length=1000)
    """Every stop of the run, once each, in the order the deliverer should walk them."""


class OutcomeIn(RequestModel):
    outcome: StopOutcome
    payment: Literal["account", "cash"] = "account"
    note: Name = Field("", max_length=200)
