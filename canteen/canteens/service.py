"""Canteens and their price lists."""

import re
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.transactions import in_transaction

from canteen import clock
from canteen.audit import service as audit
from canteen.canteens.models import DEFAULT_MEAL_WINDOWS, Canteen, Offering
from canteen.errors import Forbidden, InvalidAmount, InvalidInput, NotFound
from canteen.orders import cutoffs
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import Actor, Role, require

MEAL_TYPES = ("breakfast", "lunch", "dinner")
MAX_PRICE_FEN = 100_000
"""1,000 yuan: far above any set meal; a larger price is a typo (fen for yuan)."""
_TAG = re.compile(r"^[a-z0-9_]{1,32}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput.on(
            "timezone", "not a known IANA time zone (e.g. Asia/Shanghai)"
        ) from exc
    return name


def _check_meal_windows(windows: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each known meal type maps to ["HH:MM", "HH:MM"], start before end, no two overlapping."""
    spans = []
    for meal_type, span in windows.items():
        field = f"meal_windows.{meal_type}"
        if meal_type not in MEAL_TYPES:
            raise InvalidInput.on(field, f"meal type must be one of {', '.join(MEAL_TYPES)}")
        if len(span) != 2 or not all(_HHMM.match(t) for t in span) or span[0] >= span[1]:
            raise InvalidInput.on(field, 'must be ["HH:MM", "HH:MM"] with the start first')
        spans.append((span[0], span[1], field))
    spans.sort()
    for (_, end, _), (start, _, field) in pairwise(spans):
        if start < end:
            raise InvalidInput.on(field, "overlaps another meal window")
    return windows


def _check_price(price_fen: int) -> int:
    if not 0 <= price_fen <= MAX_PRICE_FEN:
        raise InvalidAmount.on("price_fen", f"must be 0 to {MAX_PRICE_FEN} fen")
    return price_fen


def _check_tags(tags: list[str]) -> list[str]:
    for tag in tags:
        if not _TAG.match(tag):
            raise InvalidInput.on("tags", f"{tag!r}: lower-case letters, digits and _ only")
    return sorted(set(tags))


async def create_canteen(
    actor: Actor,
    *,
    name: str,
    address: str = "",
    district: str = "",
    street: str = "",
    timezone: str | None,
    default_timezone: str,
    meal_windows: dict[str, list[str]] | None = None,
) -> Canteen:
    require(actor, "canteens.create")
    async with in_transaction():
        canteen = await Canteen.create(
            name=name,
            address=address,
            district=district,
            street=street,
            timezone=_check_timezone(timezone or default_timezone),
            meal_windows=_check_meal_windows(meal_windows or DEFAULT_MEAL_WINDOWS),
            created_at=clock.now(),
        )
        await audit.record(actor, "canteen.create", canteen, after={"name": name})
    return canteen


async def get_canteen(actor: Actor, canteen_id: int) -> Canteen:
    require(actor, "canteens.read")
    canteen = await Canteen.get_or_none(id=canteen_id)
    if canteen is None:
        raise NotFound(f"No canteen {canteen_id}.")
    return canteen


async def list_canteens(actor: Actor, limit: int, cursor: str | None) -> Page[Canteen]:
    require(actor, "canteens.read")
    return await page_of(after_cursor(Canteen.all(), cursor), limit)


def _ensure_runs(actor: Actor, canteen: Canteen) -> None:
    """A manager changes only the price list of the canteen they run."""
    if actor.role == Role.MANAGER and actor.canteen_id != canteen.id:
        raise Forbidden("A manager changes only their own canteen's price list.")


def _check_cutoffs(given: dict[str, str]) -> dict[str, str]:
    for meal_type, text in given.items():
        try:
            cutoffs.parse(text)
        except ValueError as exc:
            raise InvalidInput.on(f"order_cutoffs.{meal_type}", str(exc)) from exc
    return given


async def update_canteen(actor: Actor, canteen_id: int, changes: dict[str, Any]) -> Canteen:
    """Change when orders ahead close (per meal type; those not given keep theirs), what
    bringing a meal home costs, and the meal windows (all of them at once: a meal left out is
    no longer served); audited, with what it was before."""
    require(actor, "canteens.update")
    canteen = await get_canteen(actor, canteen_id)
    if actor.role == Role.MANAGER and actor.canteen_id != canteen.id:
        raise Forbidden("A manager changes only their own canteen.")
    if "meal_windows" in changes:
        if not changes["meal_windows"]:
            raise InvalidInput.on("meal_windows", "a canteen serves at least one meal")
        changes["meal_windows"] = _check_meal_windows(changes["meal_windows"])
    if "order_cutoffs" in changes:
        changes["order_cutoffs"] = {
            **canteen.order_cutoffs,
            **_check_cutoffs(changes["order_cutoffs"]),
        }
    async with in_transaction():
        if changes:
            before = {key: getattr(canteen, key) for key in changes}
            canteen.update_from_dict(changes)
            await canteen.save(update_fields=list(changes))
            await audit.record(actor, "canteen.update", canteen, before=before, after=changes)
    return canteen


async def create_offering(
    actor: Actor, canteen_id: int, *, name: str, meal_type: str, price_fen: int, tags: list[str]
) -> Offering:
    require(actor, "offerings.create")
    canteen = await get_canteen(actor, canteen_id)
    _ensure_runs(actor, canteen)
    async with in_transaction():
        offering = await Offering.create(
            canteen=canteen,
            name=name,
            meal_type=meal_type,
            price_fen=_check_price(price_fen),
            tags=_check_tags(tags),
            created_at=clock.now(),
        )
        await audit.record(actor, "offering.create", offering, after={"price_fen": price_fen})
    return offering


async def update_offering(
    actor: Actor, canteen_id: int, offering_id: int, changes: dict[str, Any]
) -> Offering:
    """Change a dish's name, price, tags or availability; past meals keep the price they paid."""
    require(actor, "offerings.create")
    canteen = await get_canteen(actor, canteen_id)
    _ensure_runs(actor, canteen)
    if "price_fen" in changes:
        _check_price(changes["price_fen"])
    if "tags" in changes:
        changes["tags"] = _check_tags(changes["tags"])
    async with in_transaction():
        offering = await Offering.get_or_none(id=offering_id, canteen_id=canteen_id)
        if offering is None:
            raise NotFound(f"No offering {offering_id} at canteen {canteen_id}.")
        if changes:
            before = {key: getattr(offering, key) for key in changes}
            offering.update_from_dict(changes)
            await offering.save(update_fields=list(changes))
            await audit.record(actor, "offering.update", offering, before=before, after=changes)
    return offering


async def list_offerings(
    actor: Actor, canteen_id: int, limit: int, cursor: str | None
) -> Page[Offering]:
    canteen = await get_canteen(actor, canteen_id)
    return await page_of(after_cursor(Offering.filter(canteen=canteen), cursor), limit)
