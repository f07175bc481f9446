import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from canteen.canteens.schemas import MealType
from canteen.kitchen.models import MAX_PORTIONS
from canteen.schemas import Day, Id, RequestModel


class KitchenQuery(BaseModel):
    date: Day | None = None
    """The canteen's local day; today there when left out."""
    meal_type: MealType
    lang: Literal["zh", "en"] | None = None
    """The language of ``basis`` (default: the pages' cookie, else Chinese)."""


class Ordered(BaseModel):
    eat_in: int
    delivery: int


class OfferingCountOut(BaseModel):
    """One offering of the day: what was ordered, the walk-ins expected, and what to cook;
    after the meal, what was cooked, sold and left over."""

    offering_id: int
    name: str
    ordered: Ordered
    forecast_walk_ins: int
    to_cook: int
    cooked: int | None
    """Portions cooked, as recorded after the meal; null until recorded."""
    sold: int
    """Meals of it sold (walk-ins and orders handed over), so far today."""
    left_over: int | None
    """``max(cooked - sold, 0)``; null until the cooked count is recorded."""


class ForecastWeek(BaseModel):
    date: dt.date
    walk_ins: int


class KitchenCountOut(BaseModel):
    """How many to cook: ``to_cook = ordered.eat_in + ordered.delivery + forecast_walk_ins``,
    in all and per offering (the offerings' walk-ins add up to the whole when any is listed)."""

    canteen_id: int
    date: dt.date
    meal_type: MealType
    ordered: Ordered
    by_offering: list[OfferingCountOut]
    forecast_walk_ins: int
    to_cook: int
    basis: str
    """How the forecast was made, in words, in ``lang``."""
    basis_weeks: list[ForecastWeek]
    """The same weekdays the forecast averaged, oldest first, with their walk-ins."""
    basis_trend_per_week: float
    """Walk-ins added per week by the recent trend (0 without three weeks of history)."""
    cooked: int | None
    """Portions cooked of the offerings recorded; null while none is."""
    sold: int
    left_over: int | None
    """Left over of the offerings recorded; null while none is."""


class CookedItem(RequestModel):
    offering_id: Id
    portions: int = Field(ge=0, le=MAX_PORTIONS)


class CookedIn(RequestModel):
    """What the kitchen cooked for a day's meal (today or before): an offering given replaces
    what was recorded for it; one left out keeps its record."""

    date: Day
    meal_type: MealType
    cooked: list[CookedItem] = Field(min_length=1, max_length=100)
