"""上报 and delivery: alerts become notifications (the outbox), and channels deliver them.

Both steps claim their rows so that several server processes (PostgreSQL) never report an
alert twice or send one message twice: ``report`` locks the unreported alerts it takes
(``FOR UPDATE SKIP LOCKED``; SQLite has one writer anyway) and marks them reported in the same
transaction; ``deliver`` moves each message's ``next_attempt_at`` forward (a lease) before
sending, outside any transaction, and a failed send backs off and is tried again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from canteen.alerts.channels import CHANNELS, DeliveryFailed, Message, log
from canteen.alerts.models import Alert, Notification
from canteen.auth.models import User
from canteen.canteens.models import Canteen
from canteen.diners.models import Diner, FamilyLink
from canteen.money import format_yuan
from canteen.notify.models import CHOOSABLE, ChannelChoice
from canteen.watchers.models import Watcher

BATCH = 500
LEASE = timedelta(minutes=5)
"""A message being sent is not taken by another process for this long."""
MAX_ATTEMPTS = 5


def _texts(alert: Alert, diner: str, canteen: str) -> dict[str, str]:
    """The message in both languages, for any channel to show."""
    d = alert.detail
    day = alert.local_date.isoformat()
    if alert.kind == "missed_meal":
        return {
            "text_zh": (
                f"{diner}今天（{day}）午餐时间已过，还没有到{canteen}吃饭"
                f"（近 {d['weekdays']} 个工作日来了 {d['days_eaten']} 天）。请联系确认老人平安。"
            ),
            "text_en": (
                f"{diner} has not come to {canteen} for lunch today ({day}), after eating there"
                f" on {d['days_eaten']} of the last {d['weekdays']} weekdays. Please check on them."
            ),
        }
    if alert.kind == "not_home":
        return {
            "text_zh": (f"{canteen}今天（{day}）给{diner}送餐上门，无人应门。请联系确认老人平安。"),
            "text_en": (
                f"No one answered the door when {canteen} brought {diner}'s meal today ({day})."
                " Please check on them."
            ),
        }
    if alert.kind == "found_wandering":  # a passer-by scanned the card (canteen.found)
        place = d.get("where") or ""
        return {
            "text_zh": (
                f"有人发现{diner}可能走失，已扫码报告（{day}）。发现人电话 {d['finder_phone']}"
                + (f"，地点：{place}" if place else "")
                + "。请尽快联系发现人接老人回家。"
            ),
            "text_en": (
                f"Someone found {diner}, who may be lost, and reported it from the card ({day})."
                f" The finder's phone: {d['finder_phone']}"
                + (f"; where: {place}" if place else "")
                + ". Please call them and bring your parent home."
            ),
        }
    balance, threshold = format_yuan(d["balance_fen"]), format_yuan(d["low_balance_fen"])
    return {
        "text_zh": f"{diner}的餐费余额 ¥{balance}，低于提醒线 ¥{threshold}，请及时充值。",
        "text_en": f"{diner}'s meal account is at ¥{balance}, below ¥{threshold}. Please top up.",
    }


def _payload(alert: Alert, diner: str, canteen: str, staff: list[str]) -> dict[str, Any]:
    return {
        "alert_id": alert.id,
        "diner_id": alert.diner_id,
        "diner_name": diner,
        "canteen_id": alert.canteen_id,
        "canteen_name": canteen,
        "local_date": alert.local_date.isoformat(),
        "detail": alert.detail,
        "staff": staff,
        **_texts(alert, diner, canteen),
    }


async def report(now: datetime) -> int:
    """Write the notifications of every alert not yet reported; how many. Six queries.

    Every alert, whatever its kind, is told at once to the elder's linked family and watchers
    (one message per person on each person's channel) and to the home canteen's staff list."""
    async with in_transaction():
        alerts = (
            await Alert.filter(reported_at=None)
            .select_for_update(skip_locked=True)
            .order_by("id")
            .limit(BATCH)
        )
        if not alerts:
            return 0
        diner_ids = {a.diner_id for a in alerts}
        canteen_ids = {a.canteen_id for a in alerts if a.canteen_id}
        diners = dict(await Diner.filter(id__in=diner_ids).values_list("id", "name"))
        canteens: dict[int | None, str] = dict(
            await Canteen.filter(id__in=canteen_ids).values_list("id", "name")
        )
        people: dict[int, list[int]] = {}
        """The family users and the watchers of each diner: the people told of its alerts."""
        for diner_id, user_id in [
            *await FamilyLink.filter(diner_id__in=diner_ids, user__active=True).values_list(
                "diner_id", "user_id"
            ),
            *await Watcher.filter(diner_id__in=diner_ids, user__active=True).values_list(
                "diner_id", "user_id"
            ),
        ]:
            if user_id not in people.setdefault(diner_id, []):
                people[diner_id].append(user_id)
        told = {user_id for users in people.values() for user_id in users}
        chosen: dict[int, list[str]] = dict(
            await ChannelChoice.filter(user_id__in=told).values_list("user_id", "channels")
        )
        """The phone channels (SMS, WeChat) each person chose; the others reach everyone."""
        staff: dict[int | None, list[str]] = {}
        for canteen_id, username in (
            await User.filter(
                canteen_id__in=canteen_ids, active=True, role__in=("manager", "cashier")
            )
            .order_by("username")
            .values_list("canteen_id", "username")
        ):
            staff.setdefault(canteen_id, []).append(username)
        rows = []
        for alert in alerts:
            canteen_id = alert.canteen_id
            payload = _payload(
                alert,
                diners[alert.diner_id],
                canteens.get(canteen_id, ""),
                staff.get(canteen_id, []),
            )
            for channel in CHANNELS.values():
                recipients: list[int | None] = (
                    list(people.get(alert.diner_id, [])) if channel.family else [None]
                )
                if channel.name in CHOOSABLE:  # one message per person who chose it
                    recipients = [u for u in recipients if u and channel.name in chosen.get(u, [])]
                rows += [
                    Notification(
                        kind=alert.kind,
                        alert_id=alert.id,
                        diner_id=alert.diner_id,
                        recipient_id=recipient,
                        channel=channel.name,
                        payload=payload,
                        next_attempt_at=now,
                        created_at=now,
                    )
                    for recipient in recipients
                ]
        if rows:
            await Notification.bulk_create(rows)
        await Alert.filter(id__in=[a.id for a in alerts]).update(reported_at=now)
    return len(rows)


@dataclass(frozen=True)
class Delivered:
    sent: int
    failed: int
    """Failed this time (tried again later, or given up after ``MAX_ATTEMPTS``)."""


async def deliver(now: datetime) -> Delivered:
    """Hand every due message to its channel; a few bulk queries plus one per failure."""
    async with in_transaction():
        due = (
            await Notification.filter(status="pending", next_attempt_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("id")
            .limit(BATCH)
        )
        if not due:
            return Delivered(0, 0)
        await Notification.filter(id__in=[n.id for n in due]).update(next_attempt_at=now + LEASE)
    users = {
        user_id: (username, phone)
        for user_id, username, phone in await User.filter(
            id__in={n.recipient_id for n in due if n.recipient_id}
        ).values_list("id", "username", "phone")
    }
    where = {
        user_id: (sms_phone, openid)
        for user_id, sms_phone, openid in await ChannelChoice.filter(
            user_id__in=list(users)
        ).values_list("user_id", "sms_phone", "wechat_openid")
    }
    sent, failures = [], []
    for n in due:
        username, phone = users.get(n.recipient_id, (None, None))
        sms_phone, openid = where.get(n.recipient_id, ("", ""))
        message = Message(
            n.id, n.kind, n.payload, username, sms_phone or phone or None, openid or None
        )
        try:
            channel = CHANNELS.get(n.channel)
            if channel is None:
                raise DeliveryFailed(f"no channel {n.channel!r} in this process")
            await channel.deliver(message)
            sent.append(n.id)
        except Exception as exc:  # a channel's bug must not stop the others' messages
            log.warning("notification %s on %s not delivered: %s", n.id, n.channel, exc)
            failures.append((n, str(exc)[:300] or type(exc).__name__))
    if sent:
        await Notification.filter(id__in=sent).update(
            status="sent", sent_at=now, attempts=F("attempts") + 1
        )
    for n, error in failures:  # rare; each backs off by its own count
        attempts = n.attempts + 1
        await Notification.filter(id=n.id).update(
            attempts=attempts,
            last_error=error,
            status="failed" if attempts >= MAX_ATTEMPTS else "pending",
            next_attempt_at=now + LEASE * 2**attempts,
        )
    return Delivered(len(sent), len(failures))
