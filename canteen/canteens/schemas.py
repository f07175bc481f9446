from typing import Literal

from pydantic import BaseModel, Field

from canteen.schemas import Fen, Name, PatchModel, RequestModel

MealType = Literal["breakfast", "lunch", "dinner"]
Tag = str


class CanteenIn(RequestModel):
    name: Name = Field(min_length=1, max_length=100)
    address: str = Field("", max_length=200)
    district: Name = Field("", max_length=64)
    street: Name = Field("", max_length=64)
    timezone: str | None = Field(None, max_length=64)
    meal_windows: dict[str, list[str]] | None = None


class CanteenPatch(PatchModel):
    """What a canteen's admin or manager changes for orders ahead and home delivery."""

    order_cutoffs: dict[MealType, str] | None = Field(
        None, examples=[{"breakfast": "18:00 the day before", "lunch": "09:00"}]
    )
    """Per meal type, when orders close: ``"HH:MM"`` that day or ``"HH:MM the day before"``;
    the meal types not given keep theirs."""
    delivery_fee_fen: int | None = Field(None, ge=0, le=1000)
    meal_windows: dict[str, list[str]] | None = Field(
        None, examples=[{"breakfast": ["06:30", "09:00"], "lunch": ["10:30", "13:30"]}]
    )
    """Every meal the canteen serves, with its hours (local ``"HH:MM"``); a meal left out is
    no longer served. The counter picks a sale's meal by them."""


class CanteenOut(BaseModel):
    id: int
    name: str
    address: str
    district: str
    street: str
    timezone: str
    meal_windows: dict[str, list[str]]
    order_cutoffs: dict[str, str]
    delivery_fee_fen: int


class OfferingIn(RequestModel):
    name: Name = Field(min_length=1, max_length=100)
    meal_type: MealType
    price_fen: Fen
    tags: list[Tag] = Field(default_factory=list, max_length=20)


class OfferingPatch(PatchModel):
    name: Name | None = Field(None, min_length=1, max_length=100)
    price_fen: Fen | None = None
    tags: list[Tag] | None = Field(None, max_length=20)
    active: bool | None = None


class OfferingOut(BaseModel):
    id: int
    canteen_id: int
    name: str
    meal_type: MealType
    price_fen: int
    tags: list[str]
    active: bool
