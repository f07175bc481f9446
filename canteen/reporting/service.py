"""Reports for the office and the canteens: who may see which, over what, computed how.

Each use case checks the permission and the reach (a manager: their own canteen only), reads
a few bulk frames (``reports.loaders``) and hands them to the pure report functions
(``reports.claims``, ``.sustainability``, ``.simulation``, ``.misuse``), which run in a worker
thread so a large report never stalls the server's event loop.
"""

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from canteen import periods
from canteen.canteens.models import Canteen
from canteen.diners import views
from canteen.errors import FieldError, Forbidden, InvalidInput, NotFound
from canteen.policies import files
from canteen.roles import Actor, Role, require
from reports import claims, loaders, misuse, simulation, sustainability
from reports.loaders import Progress, Span

MAX_SPAN_DAYS = 3 * 366
"""A span longer than three years is a typo of the year, not a report."""


@dataclass
class ClaimReport:
    report: dict[str, Any]
    detail: pd.DataFrame | None
    """The per-diner rows, when asked for."""
    canteen_names: dict[int, str]


async def _scope(actor: Actor, action: str, canteen_id: int | None) -> int | None:
    """The canteen reported on: a manager's own (asking for another is forbidden)."""
    require(actor, action)
    if actor.role == Role.MANAGER:
        if canteen_id not in (None, actor.canteen_id):
            raise Forbidden("A manager sees only their own canteen's reports.")
        canteen_id = actor.canteen_id
    if canteen_id is not None and not await Canteen.exists(id=canteen_id):
        raise NotFound(f"No canteen {canteen_id}.")
    return canteen_id


def _span(start: date, end: date, canteen_id: int | None) -> Span:
    if start > end:
        raise InvalidInput.on("from", "is after 'to'")
    if periods.days_in(start, end) > MAX_SPAN_DAYS:
        raise InvalidInput.on("to", f"a report spans at most {MAX_SPAN_DAYS} days")
    return Span(start, end, canteen_id)


async def canteen_names() -> dict[int, str]:
    frame = await loaders.canteens()
    return dict(zip(frame["canteen_id"].tolist(), frame["name"].tolist(), strict=True))


async def subsidy_claims(
    actor: Actor,
    month: str,
    canteen_id: int | None = None,
    *,
    detail: bool = False,
    progress: Progress | None = None,
) -> ClaimReport:
    """What each funder owes for a month (read from the reports' replica when there is one;
    recording a claim reads the database itself, ``canteen.claims``)."""
    canteen_id = await _scope(actor, "reports.claims", canteen_id)
    try:
        start, end = periods.month_span(month)
    except ValueError as exc:
        raise InvalidInput.on("month", "YYYY-MM") from exc
    span = Span(start, end, canteen_id)
    with loaders.on_replica():
        days, labels = await loaders.claim_days(span), await loaders.rule_labels()
        report = await asyncio.to_thread(claims.report, month, days, labels, canteen_id)
        rows = None
        if detail:
            office = views.shown(actor.role, "id_number_masked")
            found = await loaders.diner_detail(span, progress)
            people = await loaders.diners(masked=office)
            rows = await asyncio.to_thread(claims.diner_detail, found, people)
        return ClaimReport(report, rows, await canteen_names())


async def sustainability_report(
    actor: Actor, start: date, end: date, canteen_id: int | None = None
) -> dict[str, Any]:
    """Revenue, costs, margin and break-even over a span of local dates, the waste the
    kitchens' cooked counts show, and what the operator bears for refused offline sales."""
    canteen_id = await _scope(actor, "reports.sustainability", canteen_id)
    span = _span(start, end, canteen_id)
    with loaders.on_replica():
        meal_days = await loaders.meal_days(span)
        claim_days = await loaders.claim_days(span)
        books = await loaders.finance(span)
        cooked = await loaders.kitchen_cooked(span)
        refused = await loaders.refused_offline_days(span)
    return await asyncio.to_thread(
        sustainability.report,
        start,
        end,
        meal_days,
        claim_days,
        books,
        canteen_id,
        cooked,
        refused,
    )


async def first_meal_day(actor: Actor, since: date, canteen_id: int | None = None) -> date | None:
    """The first local day from ``since`` with a live meal, at the canteen (in reach) or at
    any: where its own figures begin, so a default span does not open on days without meals."""
    canteen_id = await _scope(actor, "reports.sustainability", canteen_id)
    return await loaders.first_meal_day(since, canteen_id)


async def simulate(
    actor: Actor,
    policy: dict[str, Any],
    start: date,
    end: date,
    canteen_id: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The span's meals priced again under a draft policy (not stored), against what was paid."""
    canteen_id = await _scope(actor, "policies.simulate", canteen_id)
    try:
        document = files.parse(policy)
    except InvalidInput as exc:
        errors = [FieldError(f"policy.{e.field}", e.message) for e in exc.errors]
        raise InvalidInput(exc.detail, errors=errors) from exc
    span = _span(start, end, None)  # every canteen: a diner's limits count across canteens
    with loaders.on_replica():
        meals = await loaders.meals(span, progress)
        diners, places = await loaders.diners(), await loaders.canteens()
        tags, actual = await loaders.offering_tags(), await loaders.claim_days(span)
    priced = await asyncio.to_thread(simulation.reprice, document, meals, diners, places, tags)
    result = await asyncio.to_thread(simulation.compare, meals, priced, actual, diners, canteen_id)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "canteen_id": canteen_id,
        "policy_name": document.name,
        **result,
    }


async def misuse_signals(
    actor: Actor,
    start: date,
    end: date,
    canteen_id: int | None = None,
    *,
    window_minutes: int = 60,
) -> dict[str, Any]:
    """Signals of possible misuse in a span, each with the meals behind it."""
    canteen_id = await _scope(actor, "reports.misuse", canteen_id)
    span = _span(start, end, None)  # every canteen: a card used at two shows only across them
    with loaders.on_replica():
        meals = await loaders.meals(span)
        places, changes = await loaders.canteens(), await loaders.status_changes()
    found = await asyncio.to_thread(
        misuse.signals, meals, places, changes, window_minutes=window_minutes
    )
    if canteen_id is not None:
        found["signals"] = [s for s in found["signals"] if canteen_id in s["canteen_ids"]]
        found["counts"] = {
            kind: sum(1 for s in found["signals"] if s["kind"] == kind) for kind in found["counts"]
        }
    return {"from": start.isoformat(), "to": end.isoformat(), "canteen_id": canteen_id, **found}
