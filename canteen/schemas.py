"""Shapes shared by every domain's HTTP schemas: strict request models, list pages, fen."""

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from canteen.pagination import DEFAULT_LIMIT, MAX_LIMIT

T = TypeVar("T")


class RequestModel(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
