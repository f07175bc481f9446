"""Shapes shared by every domain's HTTP schemas: strict request models, list pages, and the
types that keep bad input at the edge (names, ids, days, months, fen, partial updates).

Each type here refuses what once reached the database and failed there with a 500: an id past
PostgreSQL's integer, a year whose next day Python cannot count, a null where a column has no
null. A refusal is a 422 naming the field, from the one validation every request goes through.
"""

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from canteen.pagination import DEFAULT_LIMIT, MAX_LIMIT

T = TypeVar("T")

MAX_ID = 2**31 - 1
"""The largest id a table hands out: PostgreSQL's ``integer``; a larger one names nothing."""

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
"""The days this service speaks of: an elder's birth to a policy far ahead. Outside them a
report's span or a month's end overflows Python's calendar (year 9999 has no next day)."""

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f"  # the Arabic letter mark, the left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, overrides and their pop
    "\u2066\u2067\u2068\u2069"  # isolates and their pop
)
"""Characters that reorder the text around them: ``王\u202egpj.exe`` shows as ``王exe.jpg``."""

_NOT_IN_NAMES = {"Cc", "Cs", "Zl", "Zp"}
"""Control characters (NUL, tab, newline, escape, C1), lone surrogates, line separators."""


class RequestModel(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PatchModel(RequestModel):
    """A partial update: a field left out keeps its value; ``null`` is refused.

    A field is ``X | None = None`` so that leaving it out is possible, but a column without a
    null must not be sent one (it failed in the database with a 500). Only the fields named in
    ``clearable`` take ``null``, meaning "clear it" (a diner's home canteen); the OpenAPI
    document says so field by field.
    """

    clearable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_clearable(cls, value: Any, info: Any) -> Any:
        if value is None and info.field_name not in cls.clearable:
            raise PydanticCustomError(
                "null_not_allowed", "may not be null; leave the field out to keep its value"
            )
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        properties = handler.resolve_ref_schema(schema).get("properties", {})
        for name, prop in properties.items():
            if name not in cls.clearable and "anyOf" in prop:
                kept = [s for s in prop.pop("anyOf") if s != {"type": "null"}]
                prop.pop("default", None)
                prop.update(kept[0] if len(kept) == 1 else {"anyOf": kept})
        return schema


class ListQuery(BaseModel):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class ListOf(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def _whole_fen(value: Any) -> Any:
    """Money crosses the edge as a JSON integer of fen: never a float, a string or a bool."""
    if type(value) is not int:
        raise PydanticCustomError("invalid_amount", "must be a whole number of fen (an integer)")
    return value


Fen = Annotated[int, BeforeValidator(_whole_fen)]
"""An amount in fen in a request body; its range is the service's to check."""


def _printable(text: str) -> str:
    """A name is shown on a till, a card and a claim: nothing in it may hide or reorder text."""
    for char in text:
        if char in BIDI_CONTROLS or unicodedata.category(char) in _NOT_IN_NAMES:
            raise PydanticCustomError(
                "name_characters",
                f"may not contain control or text-direction characters (found U+{ord(char):04X})",
            )
    return text


Name = Annotated[str, AfterValidator(_printable)]
"""The name of a person, a canteen, a dish, a place: any script and emoji, no control or bidi
characters. Its length is each field's own (``Field(min_length=1, max_length=64)``)."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""The id of a row in a request body or query: 1 to 2^31 - 1."""


def _iso_day(value: Any) -> Any:
    """A day is written ``YYYY-MM-DD``: pydantic alone also takes ``0`` (as 1970-01-01, a Unix
    time) and ``2025-10-01T00:00``, which the documented schema does not allow."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("day_format", "a day is written YYYY-MM-DD")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _in_calendar(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError("day_range", f"must be from {FIRST_DAY} to {LAST_DAY}")
    return day


Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_in_calendar)]
"""A calendar day in a request, ``YYYY-MM-DD``: 1900-01-01 to 2199-12-31."""

Month = Annotated[str, Field(pattern=r"^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$")]
"""A month in a request, ``YYYY-MM``, from 1900-01 to 2199-12."""
