"""The found-elder page's use cases: a passer-by scans a card, reports the elder found, and
writes with the family; the family (or the office) switches the page off and on.

Public use cases (no actor: anyone with a phone) take the card's payload or a finder's thread
token and reveal nothing but the elder's surname and honorific. A card that is not live
(forged, revoked, switched off, the elder deceased) answers ``NotLive`` whatever the reason,
so the neutral page tells a stranger nothing. Every scan writes one ``FoundScan`` line.

A report raises (or attaches to) the day's ``found_wandering`` alert in one transaction with
the card's row locked, so the limit of ``REPORTS_PER_HOUR`` holds when several are sent at once;
the outbox then tells the family, the watchers and the canteen (``canteen.alerts.outbox``).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from canteen import clock
from canteen.alerts import service as alerts
from canteen.alerts.models import Alert
from canteen.audit import service as audit
from canteen.cards import service as cards
from canteen.cards import token
from canteen.cards.models import Card
from canteen.config import derive_key, get_settings
from canteen.diners import service as diners
from canteen.diners.models import Diner
from canteen.errors import CardInvalid, InvalidInput, NotFound, TooManyReports
from canteen.found import rules
from canteen.found.models import FoundMessage, FoundPage, FoundReport, FoundScan
from canteen.roles import Actor, require

REPORTS_PER_HOUR = 5
"""Reports one card takes in an hour: a prank cannot flood the family and watchers."""
FORM_KEY_PURPOSE = "found/form/v1"


def form_key() -> bytes:
    return derive_key(FORM_KEY_PURPOSE)


class NotLive(NotFound):
    """Raised for a card whose found page shows nothing: forged, revoked, switched off, or the
    elder deceased (one answer for all)."""


@dataclass(frozen=True)
class Finding:
    """What a finder may know of the elder: the card (for the form's token) and how to
    address them."""

    card_id: int
    honorific: str


@dataclass(frozen=True)
class FinderReport:
    finder_phone: str
    where: str = ""
    lat: str | float | None = None
    lon: str | float | None = None


@dataclass(frozen=True)
class Reported:
    report: FoundReport
    alert: Alert
    thread_token: str
    """The finder's private link is ``/found/<thread_token>``; only its hash is stored."""


@dataclass(frozen=True)
class Switch:
    diner_id: int
    enabled: bool
    changed_at: datetime | None
    """None when never switched (it is on)."""


@dataclass(frozen=True)
class Thread:
    report: FoundReport
    honorific: str
    messages: list[FoundMessage]


# --- The public page ------------------------------------------------------------------------


async def _live(payload: str) -> tuple[int | None, Card | None]:
    """The card id the text names (None: no card of ours) and the card if its page is live."""
    try:
        card_id = token.decode(payload, cards.card_key())
    except CardInvalid:
        return None, None
    card = await Card.get_or_none(id=card_id).select_related("diner__home_canteen")
    if card is None:
        return None, None
    if card.revoked_at is not None or card.diner.status == "deceased":
        return card.id, None
    if not await enabled(card.diner_id):
        return card.id, None
    return card.id, card


def _honorific(diner: Diner) -> str:
    return rules.honorific(diner.name, diner.gender, diners.age(diner, clock.today(_zone(diner))))


def _zone(diner: Diner) -> ZoneInfo:
    canteen = diner.home_canteen
    return ZoneInfo(canteen.timezone) if canteen else get_settings().tz


async def _log(card_id: int | None, result: str) -> None:
    await FoundScan.create(card_id=card_id, at=clock.now(), result=result)


async def open_page(payload: str) -> Finding:
    """``GET /q/<payload>``: the elder's honorific for the page, or ``NotLive``. Logged."""
    return await _seen(payload, "shown")


async def refuse(payload: str) -> Finding:
    """A report whose form token was stale or foreign, refused unread: logged, and the form
    (``Finding``) to show again, or ``NotLive``."""
    return await _seen(payload, "refused")


async def finding(payload: str) -> Finding:
    """The form to show again after ``report`` refused what was given (it logged that)."""
    _, card = await _live(payload)
    if card is None:
        raise NotLive()
    return Finding(card.id, _honorific(card.diner))


async def _seen(payload: str, result: str) -> Finding:
    card_id, card = await _live(payload)
    await _log(card_id, result if card else "not_live")
    if card is None:
        raise NotLive()
    return Finding(card.id, _honorific(card.diner))


async def report(payload: str, given: FinderReport) -> Reported:
    """``POST /q/<payload>``: the elder was found. ``NotLive``, ``InvalidInput`` (the phone,
    place or position) or ``TooManyReports``; each is logged, and only a report raises."""
    card_id, card = await _live(payload)
    if card is None:
        await _log(card_id, "not_live")
        raise NotLive()
    try:
        phone = rules.finder_phone(given.finder_phone)
        place = rules.where(given.where)
        position = rules.position(given.lat, given.lon)
    except InvalidInput:
        await _log(card.id, "refused")
        raise
    now = clock.now()
    diner = card.diner
    thread_token = secrets.token_urlsafe(24)
    async with in_transaction():
        await Card.filter(id=card.id).select_for_update().first()  # reports of a card queue here
        recent = await FoundReport.filter(card_id=card.id, at__gt=now - timedelta(hours=1))
        if len(recent) >= REPORTS_PER_HOUR:
            retry = min(r.at for r in recent) + timedelta(hours=1) - now
            limited = True
        else:
            limited = False
            made = await FoundReport.create(
                alert_id=await _alert_for(diner, now),
                diner_id=diner.id,
                card_id=card.id,
                at=now,
                finder_phone=phone,
                where=place,
                lat=position[0] if position else None,
                lon=position[1] if position else None,
                thread_hash=rules.thread_hash(thread_token),
            )
            alert = await Alert.get(id=made.alert_id)
            if alert.detail.get("report_id") is None:  # the alert was raised just now
                alert.detail = _detail(made)
                await Alert.filter(id=alert.id).update(detail=alert.detail)
            await FoundScan.create(card_id=card.id, at=now, result="reported")
    if limited:
        await _log(card.id, "limited")
        raise TooManyReports(max(int(retry.total_seconds()), 1))
    return Reported(made, alert, thread_token)


async def _alert_for(diner: Diner, now: datetime) -> int:
    """The day's found_wandering alert of the diner (raised now, or by an earlier report)."""
    alert = await alerts.found_wandering(
        alerts.FoundWandering(
            diner_id=diner.id,
            canteen_id=diner.home_canteen_id,
            local_date=now.astimezone(_zone(diner)).date(),
            detail={},
        )
    )
    return alert.id


def _detail(made: FoundReport) -> dict[str, object]:
    return {
        "report_id": made.id,
        "finder_phone": made.finder_phone,
        "where": made.where,
        "lat": made.lat,
        "lon": made.lon,
    }


# --- The thread (どこシル伝言板) ------------------------------------------------------------


async def _thread(report: FoundReport) -> Thread:
    await report.fetch_related("diner__home_canteen")
    messages = await FoundMessage.filter(report_id=report.id).order_by("id")
    return Thread(report, _honorific(report.diner), messages)


async def finder_thread(thread_token: str) -> Thread:
    """The finder's view of their report's thread, by the token of their private link."""
    found = await FoundReport.get_or_none(thread_hash=rules.thread_hash(thread_token))
    if found is None:
        raise NotFound("No such report.")
    return await _thread(found)


async def finder_writes(thread_token: str, body: str) -> FoundMessage:
    text = rules.message(body)
    thread = await finder_thread(thread_token)
    return await FoundMessage.create(
        report_id=thread.report.id, author="finder", body=text, at=clock.now()
    )


async def _reachable_report(actor: Actor, report_id: int) -> FoundReport:
    found = await FoundReport.get_or_none(id=report_id)
    if found is None or not await diners.in_reach(actor, found.diner_id):
        raise NotFound(f"No found report {report_id}.")
    return found


async def family_thread(actor: Actor, report_id: int) -> Thread:
    """A report's thread as the family (or the office) reads it."""
    require(actor, "found.read")
    return await _thread(await _reachable_report(actor, report_id))


async def family_writes(actor: Actor, report_id: int, body: str) -> FoundMessage:
    require(actor, "found.reply")
    text = rules.message(body)
    found = await _reachable_report(actor, report_id)
    return await FoundMessage.create(
        report_id=found.id, author="family", user_id=actor.user_id, body=text, at=clock.now()
    )


async def threads_of_alerts(actor: Actor, alert_ids: list[int]) -> dict[int, list[Thread]]:
    """The reports (with their threads) of each alert in ``alert_ids`` within the actor's
    reach: what the family portal shows under a found_wandering alert."""
    require(actor, "found.read")
    reports = await FoundReport.filter(alert_id__in=alert_ids).order_by("id")
    reach = {d: await diners.in_reach(actor, d) for d in {r.diner_id for r in reports}}
    reachable = [r for r in reports if reach[r.diner_id]]
    messages: dict[int, list[FoundMessage]] = {}
    for message in await FoundMessage.filter(report_id__in=[r.id for r in reachable]).order_by(
        "id"
    ):
        messages.setdefault(message.report_id, []).append(message)
    threads: dict[int, list[Thread]] = {}
    for r in reachable:
        threads.setdefault(r.alert_id, []).append(Thread(r, "", messages.get(r.id, [])))
    return threads


# --- The switch -----------------------------------------------------------------------------


async def enabled(diner_id: int) -> bool:
    """Whether the elder's card opens the found page: on unless someone switched it off."""
    row = await FoundPage.get_or_none(diner_id=diner_id)
    return row is None or row.enabled


async def get_switch(actor: Actor, diner_id: int) -> Switch:
    require(actor, "found.read")
    await diners.get_diner(actor, diner_id)
    row = await FoundPage.get_or_none(diner_id=diner_id)
    return Switch(diner_id, row.enabled, row.changed_at) if row else Switch(diner_id, True, None)


async def switch(actor: Actor, diner_id: int, on: bool) -> Switch:
    """Switch the elder's found page off (the card then opens the neutral page) or on again;
    audited. The linked family and the office may."""
    require(actor, "found.switch")
    await diners.get_diner(actor, diner_id)
    now = clock.now()
    async with in_transaction():
        await Diner.filter(id=diner_id).select_for_update().first()  # two switches queue here
        row = await FoundPage.filter(diner_id=diner_id).first()
        before = row.enabled if row else True
        if row is None:
            row = await FoundPage.create(
                diner_id=diner_id, enabled=on, changed_at=now, changed_by_id=actor.user_id
            )
        else:
            row.enabled, row.changed_at, row.changed_by_id = on, now, actor.user_id
            await row.save(update_fields=["enabled", "changed_at", "changed_by_id"])
        await audit.record(
            actor, "found_page.switch", row, before={"enabled": before}, after={"enabled": on}
        )
    return Switch(diner_id, row.enabled, row.changed_at)
