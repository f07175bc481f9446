"""Enrolling diners, finding them, changing them, and linking their families."""

import hmac
import logging
import re
from datetime import date, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.accounts.models import Account
from canteen.audit import service as audit
from canteen.auth.models import User
from canteen.canteens.models import Canteen
from canteen.cards.models import Card
from canteen.checkout.models import Meal
from canteen.config import derive_key, get_settings
from canteen.diners import diet, pii, resident_id, views
from canteen.diners.keys import KeyRing, key_ring
from canteen.diners.models import Diner, FamilyLink
from canteen.errors import AlreadyLinked, DinerExists, InvalidInput, NotFound
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import Actor, Role, require

log = logging.getLogger(__name__)

CATEGORIES = {
    "low_income": "低保",
    "extreme_poverty": "特困",
    "disabled": "残疾",
    "dependent": "失能",
    "bereaved_parent": "失独",
    "living_alone": "独居",
    "veteran": "优抚对象",
}
STATUSES = ("active", "suspended", "deceased")
PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")
AUDITED_FIELDS = ("categories", "disability_level", "status", "district", "street", "name")
COUNTER_ROLES = (Role.MANAGER, Role.CASHIER)


def hidden_fields(actor: Actor) -> tuple[str, ...]:
    """The fields of a diner this actor receives as ``null`` (``canteen.diners.views``)."""
    return views.hidden_fields(actor.role)


def last4_hash(last4: str) -> str:
    return pii.last4_digest(last4, derive_key(pii.LAST4_PURPOSE))


def _check_categories(categories: list[str]) -> list[str]:
    unknown = sorted(set(categories) - set(CATEGORIES))
    if unknown:
        raise InvalidInput.on("categories", f"unknown codes {unknown}; known: {sorted(CATEGORIES)}")
    return sorted(set(categories))


def _check_profile(fields: dict[str, Any]) -> dict[str, Any]:
    """The rules every diner's editable fields keep, at enrolment and on every change."""
    if "categories" in fields:
        fields["categories"] = _check_categories(fields["categories"])
    if fields.get("disability_level") is not None and not 1 <= fields["disability_level"] <= 4:
        raise InvalidInput.on("disability_level", "1 (most severe) to 4")
    if "dietary" in fields:
        fields["dietary"] = diet.check_all(fields["dietary"])
    if fields.get("phone") and not PHONE.match(fields["phone"]):
        raise InvalidInput.on("phone", "digits, spaces, - and a leading + only")
    if "status" in fields and fields["status"] not in STATUSES:
        raise InvalidInput.on("status", f"one of {', '.join(STATUSES)}")
    if "name" in fields and not fields["name"]:
        raise InvalidInput.on("name", "must not be empty")
    return fields


def _check_disability(categories: list[str], level: int | None) -> None:
    if level is not None and "disabled" not in categories:
        raise InvalidInput.on("disability_level", "only for a diner in the 'disabled' category")


async def _check_home_canteen(canteen_id: int | None) -> None:
    if canteen_id is not None and not await Canteen.exists(id=canteen_id):
        raise InvalidInput.on("home_canteen_id", "no such canteen")


async def enrol(actor: Actor, *, id_number: str, **fields: Any) -> Diner:
    """Enrol an elder and open their account, in one transaction."""
    require(actor, "diners.create")
    settings = get_settings()
    rid = resident_id.parse(id_number, today=clock.today(settings.tz))
    fields = _check_profile(fields)
    _check_disability(fields.get("categories", []), fields.get("disability_level"))
    await _check_home_canteen(fields.get("home_canteen_id"))
    now = clock.now()
    try:
        async with in_transaction():
            diner = await Diner.create(
                id_number_cipher="",
                id_number_hash=pii.digest(rid.number, derive_key(pii.DIGEST_PURPOSE)),
                id_last4_hash=last4_hash(rid.last4),
                birth_date=rid.birth_date,
                gender=rid.gender,
                created_at=now,
                updated_at=now,
                **fields,
            )
            # Sealed once the row has its id, which binds the cipher text to it.
            diner.id_number_cipher = (await key_ring()).seal(rid.number, diner.id)
            await diner.save(update_fields=["id_number_cipher"])
            await Account.create(diner=diner, created_at=now)
            after = {"id_number": rid.masked, **{k: getattr(diner, k) for k in AUDITED_FIELDS}}
            await audit.record(actor, "diner.enrol", diner, after=after)
    except IntegrityError as exc:
        raise DinerExists(f"A diner with ID number {rid.masked} is already enrolled.") from exc
    return diner


async def _linked(actor: Actor, diner_id: int) -> bool:
    return await FamilyLink.exists(user_id=actor.user_id, diner_id=diner_id)


def _counter_reach(actor: Actor) -> Q:
    """The diners a canteen's manager or cashier reaches: those whose home canteen it is, and
    those who ate a meal there (not voided) within ``counter_reach_days``."""
    settings = get_settings()
    since = clock.today(settings.tz) - timedelta(days=settings.counter_reach_days)
    ate_here = Meal.filter(
        canteen_id=actor.canteen_id, local_date__gte=since, voided_at__isnull=True
    ).values("diner_id")
    return Q(home_canteen_id=actor.canteen_id) | Q(id__in=Subquery(ate_here))


async def in_reach(actor: Actor, diner_id: int) -> bool:
    """Whether the actor may see this diner at all: the office any, a counter role those of
    its reach, a family user their linked elders."""
    if actor.role in COUNTER_ROLES:
        return await Diner.filter(_counter_reach(actor), id=diner_id).exists()
    if actor.role == Role.FAMILY:
        return await _linked(actor, diner_id)
    return True


async def get_diner(actor: Actor, diner_id: int) -> Diner:
    """A diner in the actor's reach (``in_reach``); anyone else's is 404, as if absent."""
    require(actor, "diners.read")
    diner = await Diner.get_or_none(id=diner_id).select_related("account")
    if diner is None or not await in_reach(actor, diner_id):
        raise NotFound(f"No diner {diner_id}.")
    return diner


async def search(
    actor: Actor, q: str | None, status: str | None, limit: int, cursor: str | None
) -> Page[Diner]:
    """Find a diner by part of the name, the phone number, or the last 4 of the ID number;
    a counter role finds only the diners of its reach."""
    require(actor, "diners.search")
    query = Diner.all().select_related("account")
    if actor.role in COUNTER_ROLES:
        query = query.filter(_counter_reach(actor))
    if q:
        match = Q(name__icontains=q)
        if views.shown(actor.role, "phone"):
            match |= Q(phone__contains=q)
        if len(q) == 4:
            match |= Q(id_last4_hash=last4_hash(q))
        query = query.filter(match)
    if status:
        query = query.filter(status=status)
    return await page_of(after_cursor(query, cursor), limit)


async def update(
    actor: Actor, diner_id: int, changes: dict[str, Any], reason: str | None = None
) -> Diner:
    """Change a diner's details or status; each change is audited with before and after, and
    with the reason given (a status change on the office's page always gives one)."""
    require(actor, "diners.update")
    changes = _check_profile(changes)
    if "home_canteen_id" in changes:
        await _check_home_canteen(changes["home_canteen_id"])
    async with in_transaction():
        diner = await Diner.get_or_none(id=diner_id)
        if diner is None:
            raise NotFound(f"No diner {diner_id}.")
        _check_disability(
            changes.get("categories", diner.categories),
            changes.get("disability_level", diner.disability_level),
        )
        if changes:
            before = {key: getattr(diner, key) for key in changes}
            diner.update_from_dict({**changes, "updated_at": clock.now()})
            await diner.save(update_fields=[*changes, "updated_at"])
            after = {**changes, "reason": reason} if reason else changes
            await audit.record(actor, "diner.update", diner, before=before, after=after)
        if changes.get("status") == "deceased":
            await _withdraw_cards(actor, diner)
    return await get_diner(actor, diner_id)


async def _withdraw_cards(actor: Actor, diner: Diner) -> None:
    """A deceased diner's live card stops working at once: nobody else eats on it."""
    live = await Card.filter(diner_id=diner.id, revoked_at=None)
    for card in live:
        card.revoked_at, card.revoke_reason = clock.now(), "withdrawn"
        await card.save(update_fields=["revoked_at", "revoke_reason"])
        await audit.record(
            actor, "card.revoke", card, after={"reason": "withdrawn", "why": "diner deceased"}
        )


async def link_family(actor: Actor, diner_id: int, username: str, relation: str) -> FamilyLink:
    """Let a family user see and top up this diner."""
    require(actor, "diners.link_family")
    diner = await get_diner(actor, diner_id)
    user = await User.get_or_none(username=username.strip().lower(), role=Role.FAMILY)
    if user is None:
        raise InvalidInput.on("username", f"no family user named {username!r}")
    try:
        async with in_transaction():
            link = await FamilyLink.create(
                user=user, diner=diner, relation=relation, created_at=clock.now()
            )
            after = {"username": user.username, "relation": relation}
            await audit.record(actor, "diner.link_family", diner, after=after)
    except IntegrityError as exc:
        raise AlreadyLinked(f"{user.username} is already linked to diner {diner_id}.") from exc
    link.user = user
    return link


async def family_links(actor: Actor, diner_id: int) -> list[FamilyLink]:
    """The family users linked to a diner (``link.user`` loaded), oldest link first."""
    require(actor, "diners.link_family")
    await get_diner(actor, diner_id)
    return await FamilyLink.filter(diner_id=diner_id).order_by("id").select_related("user")


async def unlink_family(actor: Actor, diner_id: int, username: str) -> None:
    """Take a family user's access to this diner away (a family fell out, a carer left);
    from now on the diner is 404 for them. Audited with the link that was removed."""
    require(actor, "diners.link_family")
    diner = await get_diner(actor, diner_id)
    if not username.isprintable():  # no such user; and PostgreSQL refuses a NUL in text
        raise NotFound(f"{username!r} is not linked to diner {diner_id}.")
    async with in_transaction():
        link = await FamilyLink.get_or_none(
            diner_id=diner_id, user__username=username.strip().lower()
        ).select_related("user")
        if link is None:
            raise NotFound(f"{username!r} is not linked to diner {diner_id}.")
        await link.delete()
        before = {"username": link.user.username, "relation": link.relation}
        await audit.record(actor, "diner.unlink_family", diner, before=before)


async def my_diners(actor: Actor) -> list[Diner]:
    """The diners linked to a family user, oldest link first."""
    require(actor, "me.diners")
    links = (
        await FamilyLink.filter(user_id=actor.user_id)
        .order_by("id")
        .select_related("diner__account")
    )
    return [link.diner for link in links]


async def id_number_of(diner: Diner) -> str:
    """The diner's full resident ID number, decrypted; it never leaves the server."""
    return (await key_ring()).open(diner.id_number_cipher, diner.id)


async def masked_numbers(actor: Actor, diners: list[Diner]) -> dict[int, str]:
    """``**************123X`` per diner id, for the roles that see the mask (else empty)."""
    if not views.shown(actor.role, "id_number_masked") or not diners:
        return {}
    ring = await key_ring()
    return {d.id: masked for d in diners if (masked := _masked(ring, d)) is not None}


def _masked(ring: KeyRing, diner: Diner) -> str | None:
    """The mask, or None (logged) when the stored cipher text does not open: altered in the
    database or moved from another row. One bad row must not hide every other diner."""
    try:
        return resident_id.mask(ring.open(diner.id_number_cipher, diner.id))
    except (ValueError, InvalidTag):
        log.error("diner %s: the ID number's cipher text does not open (altered?)", diner.id)
        return None


def answer_matches(diner: Diner, answer: str) -> bool:
    """Whether ``answer`` is what only the elder should know: the last 4 of their ID number or
    of their phone. Checked here, on the server, and never shown to whoever asks; the ID
    number's last 4 are compared by their keyed hash, so nothing is decrypted."""
    answer = answer.strip().upper()
    if len(answer) != 4:
        return False
    digits = re.sub(r"[^0-9]", "", diner.phone)
    by_id = hmac.compare_digest(last4_hash(answer), diner.id_last4_hash)
    # As bytes: compare_digest refuses a str with non-ASCII characters (八零零零 made a 500).
    by_phone = len(digits) >= 4 and hmac.compare_digest(answer.encode(), digits[-4:].encode())
    return by_id or by_phone


def age(diner: Diner, on: date) -> int:
    return resident_id.age_on(diner.birth_date, on)
