"""The ways a notification reaches a person; the outbox hands each pending one to its channel.

Built in:

- ``portal``: shown in the family portal (``/family``) and on a watcher's page (``/watch``). The
  alert is on the page as soon as it is raised; delivering marks the message as placed there.
- ``log``: written to the ``canteen.alerts`` log (a line a canteen's staff screen, a log
  shipper or an on-call rota can follow). The staff list of a canteen is told this way.
- ``sms`` and ``wechat`` (``canteen.notify``): Aliyun SMS and WeChat subscription messages,
  registered at start-up when their settings are present, for the family members who chose them
  (``docs/notifications.md``).

A channel is a class with this module's ``Channel`` protocol, registered with ``register``. A
family channel gets one notification row per person told of the elder; the outbox retries a
failed delivery (``DeliveryFailed``) with back-off and gives up after ``MAX_ATTEMPTS``.
"""

import logging
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger("canteen.alerts")


class DeliveryFailed(Exception):
    """Raised by a channel that could not deliver now; the outbox tries again later."""


@dataclass(frozen=True)
class Message:
    """One notification as a channel sees it."""

    notification_id: int
    kind: str
    payload: dict[str, Any]
    recipient_username: str | None
    recipient_phone: str | None
    """Where an SMS goes: the number the user chose for it, else their own."""
    recipient_openid: str | None = None
    """Where a WeChat message goes: the openid the user bound (``canteen.notify``)."""

    def text(self, lang: str = "zh") -> str:
        return str(self.payload.get(f"text_{lang}") or self.payload.get("text_zh", ""))


class Channel(Protocol):
    name: str
    family: bool
    """True: one message per person told of the elder (each linked family user and each
    watcher); False: one for the canteen's staff list."""

    async def deliver(self, message: Message) -> None: ...


class PortalChannel:
    """The family portal shows alerts from the database; nothing to send."""

    name = "portal"
    family = True

    async def deliver(self, message: Message) -> None:
        return None


class LogChannel:
    """The canteen's staff list: one warning line per alert in the service's log.

    The line names the alert by its ids and kind, never by the elder's name, the finder's phone
    or what was seen: logs are shipped and kept where personal data must not go. Staff read the
    case itself on the board (``/staff/alerts``) or at ``GET /alerts/{id}``."""

    name = "log"
    family = False

    async def deliver(self, message: Message) -> None:
        p = message.payload
        log.warning(
            "alert %s %s for diner %s at canteen %s",
            p.get("alert_id"),
            message.kind,
            p.get("diner_id"),
            p.get("canteen_id"),
            extra={key: p.get(key) for key in ("alert_id", "diner_id", "canteen_id")},
        )


CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    CHANNELS[channel.name] = channel


register(PortalChannel())
register(LogChannel())
