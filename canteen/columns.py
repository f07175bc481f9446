"""One column of a query's rows, typed as what it holds.

Tortoise types every awaited ``values_list(...)`` as tuples, ``flat=True`` included (its issue
1112): a flat list of ids reads as a list of tuples, and the one value of a ``.first()`` as a
tuple. These two ask for the flat column and say what comes back, so the type checker and the
reader agree without a cast or an ignore at each call.
"""

from typing import Any, cast

from tortoise.queryset import QuerySet, QuerySetSingle


async def values_of(query: QuerySet[Any], field: str) -> list[Any]:
    """``field`` of every row: ``await values_of(Meal.filter(local_date=day), "diner_id")``."""
    return cast(list[Any], await query.values_list(field, flat=True))


async def value_of(query: QuerySetSingle[Any], field: str) -> Any:
    """``field`` of the one row, ``None`` without one: ``await value_of(meals.first(), "at")``."""
    return await query.values_list(field, flat=True)
