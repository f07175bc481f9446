from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from canteen.schemas import Day, Id, ListQuery, Name, PatchModel, RequestModel


class DinerIn(RequestModel):
    name: Name = Field(min_length=1, max_length=64)
    id_number: str = Field(max_length=32)
    phone: str = Field("", max_length=32)
    address: str = Field("", max_length=200)
    district: Name = Field("", max_length=64)
    street: Name = Field("", max_length=64)
    categories: list[str] = Field(default_factory=list, max_length=20)
    disability_level: int | None = None
    dietary: list[str] = Field(default_factory=list, max_length=20)
    home_canteen_id: Id | None = None


class DinerPatch(PatchModel):
    """Every field but the ID number (enrol again to correct it) may change."""

    clearable = frozenset({"home_canteen_id", "disability_level"})
    """``null`` takes the diner off a home canteen, or clears a disability level."""

    name: Name | None = Field(None, min_length=1, max_length=64)
    phone: str | None = Field(None, max_length=32)
    address: str | None = Field(None, max_length=200)
    district: Name | None = Field(None, max_length=64)
    street: Name | None = Field(None, max_length=64)
    categories: list[str] | None = Field(None, max_length=20)
    disability_level: int | None = None
    dietary: list[str] | None = Field(None, max_length=20)
    home_canteen_id: Id | None = None
    status: str | None = None
    reason: str | None = Field(None, min_length=1, max_length=200)
    """Why (a status change above all: 去世, 迁出); kept in the audit trail, not on the diner."""


class DinerOut(BaseModel):
    """A diner as one role sees them: the fields its role does not need are ``null``
    (``canteen.diners.views``, the table in docs/security.md)."""

    id: int
    name: str
    id_number_masked: str | None
    """``**************123X``: the last 4 only, for admin and staff alone."""
    birth_date: date | None
    """For admin, staff and the linked family; the counter gets ``age``."""
    gender: str
    age: int
    """Whole years on ``age_on`` (today in the service's time zone unless ``?on=`` is given)."""
    age_on: date
    phone: str | None
    address: str | None
    district: str | None
    street: str | None
    categories: list[str] | None
    disability_level: int | None
    """Health data: admin and staff only."""
    dietary: list[str]
    status: str
    home_canteen_id: int | None
    balance_fen: int


class DinerQuery(BaseModel):
    on: Day | None = None


class DinerSearch(ListQuery):
    q: str | None = Field(None, max_length=64)
    """Part of the name, part of the phone number, or the last 4 of the ID number."""
    status: Literal["active", "suspended", "deceased"] | None = None


class FamilyLinkIn(RequestModel):
    username: str = Field(min_length=1, max_length=64)
    relation: str = Field(min_length=1, max_length=32)


class FamilyLinkOut(BaseModel):
    diner_id: int
    username: str
    relation: str
