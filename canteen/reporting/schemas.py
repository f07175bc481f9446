import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from canteen.schemas import Day, Id, Month, RequestModel

Format = Literal["json", "csv", "xlsx", "png"]
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class ClaimsQuery(BaseModel):
    month: Month
    canteen_id: Id | None = None
    format: Format = "json"
    """``png``: the chart of what each funder owes."""
    detail: Literal["diner"] | None = None
    """``diner``: the JSON (or CSV) holds the per-diner rows too (the XLSX always does)."""
    lang: Literal["zh", "en"] | None = None
    """The language of the files and charts (default: the pages' cookie, else Chinese)."""


class SpanQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: Day = Field(alias="from")
    to: Day
    canteen_id: Id | None = None


class SustainabilityQuery(SpanQuery):
    format: Format = "json"
    chart: Literal["revenue_cost", "per_meal", "break_even"] = "revenue_cost"
    """Which chart ``format=png`` draws."""
    lang: Literal["zh", "en"] | None = None
    """The language of the files and charts (default: the pages' cookie, else Chinese)."""


class MisuseQuery(SpanQuery):
    window_minutes: int = Field(60, ge=1, le=24 * 60)
    """How close two uses of one card at two canteens count as a signal."""


class SimulateIn(RequestModel):
    model_config = ConfigDict(populate_by_name=True)

    policy: dict[str, Any]
    """A draft policy document, as ``POST /policies`` takes it; it is not stored."""
    from_: Day = Field(alias="from")
    to: Day
    canteen_id: Id | None = None


# --- Subsidy claims ---------------------------------------------------------------------------


class ClaimRowOut(BaseModel):
    canteen_id: int
    funder: str
    rule: str
    label: str
    pays: Literal["diner", "operator"]
    """``operator``: paid to the canteen per meal on top of the price; funders owe it too."""
    meals: int
    subsidy_fen: int


class ClaimTotalsOut(BaseModel):
    meals: int
    """Subsidised meals, each counted once however many lines it has."""
    subsidy_fen: int
    by_funder: dict[str, int]
    """Fen per funder."""
    by_funder_meals: dict[str, int]
    by_pays: dict[str, int]


class DinerRowOut(BaseModel):
    diner_id: int
    name: str
    id_number_masked: str
    district: str
    street: str
    canteen_id: int
    funder: str
    rule: str
    pays: str
    meals: int
    subsidy_fen: int


class SubsidyClaimsOut(BaseModel):
    month: str
    canteen_id: int | None
    rows: list[ClaimRowOut]
    totals: ClaimTotalsOut
    diners: list[DinerRowOut] | None = None
    """With ``detail=diner``: per diner, canteen, funder and rule."""


# --- Sustainability ---------------------------------------------------------------------------


class Figures(BaseModel):
    meals: int
    diner_paid_fen: int
    subsidy_fen: int
    grant_fen: int
    revenue_fen: int
    cost_fen: int
    cost_by_category: dict[str, int]
    margin_fen: int
    margin_pct: float | None
    cost_per_meal_fen: int | None
    revenue_per_meal_fen: int | None
    subsidy_dependency_pct: float | None
    break_even_meals_per_day: int | None
    operator_discount_fen: int
    offline_refused_sales: int
    """Offline sales the server refused (no meal recorded; docs/offline.md)."""
    offline_refused_fen: int
    """What the operator bears for them: not revenue, never claimed (docs/reports.md)."""


class DayOut(BaseModel):
    date: dt.date
    meals: int
    revenue_fen: int
    cost_fen: int
    diner_paid_fen: int
    subsidy_fen: int
    grant_fen: int
    margin_fen: int
    offline_refused_fen: int


class MonthOut(Figures):
    month: str


class CanteenFiguresOut(Figures):
    canteen_id: int


class WasteFigures(BaseModel):
    """What was cooked and not sold, from the kitchens' cooked counts (``reports.sustainability``'s
    docstring says how a portion's food cost is known)."""

    days_recorded: int
    portions_cooked: int
    portions_sold: int
    portions_left_over: int
    waste_rate_pct: float | None
    """``left_over / cooked`` in percent; None when nothing was recorded."""
    food_cost_per_portion_fen: int | None
    """The month's ingredients over every portion cooked (meals sold plus left over)."""
    waste_cost_fen: int


class WasteRowOut(WasteFigures):
    canteen_id: int
    month: str


class WasteOut(WasteFigures):
    rows: list[WasteRowOut]
    """Per canteen and month with anything recorded."""


class SustainabilityOut(Figures):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: dt.date = Field(alias="from")
    to: dt.date
    canteen_id: int | None
    days: list[DayOut]
    months: list[MonthOut]
    """The month-on-month trend (a partial month counts its own days)."""
    canteens: list[CanteenFiguresOut] | None = None
    """Over every canteen: each canteen's own figures."""
    waste: WasteOut
    """Portions cooked and left over, their food cost and the waste rate."""


# --- Simulation -------------------------------------------------------------------------------


class Change(BaseModel):
    actual_fen: int
    simulated_fen: int
    change_fen: int


class FunderChange(Change):
    funder: str


class CategoryChange(Change):
    category: str
    """A diner category, or ``none`` for diners without one."""
    diners: int
    meals: int


class CanteenChange(Change):
    canteen_id: int
    meals: int


class SimulationOut(Change):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: dt.date = Field(alias="from")
    to: dt.date
    canteen_id: int | None
    policy_name: str
    meals: int
    diners_pay: Change
    """What the diners paid, and would have paid."""
    by_funder: list[FunderChange]
    by_category: list[CategoryChange]
    by_canteen: list[CanteenChange]


# --- Misuse -----------------------------------------------------------------------------------


class SignalOut(BaseModel):
    kind: str
    diner_id: int | None = None
    card_id: int | None = None
    local_date: dt.date | None = None
    status: str | None = None
    since: dt.datetime | None = None
    canteen_ids: list[int]
    districts: list[str] | None = None
    """Subsidised in two districts: the districts, by name."""
    code: str
    """Why, as a code: the signal's kind, or ``meal_after_deceased``/``meal_after_suspended``."""
    numbers: dict[str, int | float]
    """The code's numbers (percentages in ``*_pct``, unrounded): the sentence in any language."""
    detail: str
    """The code and its numbers in an English sentence."""
    meal_ids: list[int]


class MisuseOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: dt.date = Field(alias="from")
    to: dt.date
    canteen_id: int | None
    meals: int
    window_minutes: int
    counts: dict[str, int]
    signals: list[SignalOut]
