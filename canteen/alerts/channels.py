"""The ways a notification reaches a person; the outbox hands each pending one to its channel.

Built in:

- ``portal``: shown in the family portal (``/family``) and on a watcher's page (``/watch``). The
  alert is on the page as soon as it is raised; delivering marks the message as placed there.
- ``log``: written to the ``canteen.alerts`` log (a line a canteen's staff screen, a log
  shipper or an on-call rota can follow). The staff list of a canteen is told this way.

SMS and WeChat: **the place to plug a provider is a class with this module's ``Channel``
protocol**, registered at start-up::

    class AliyunSms:                      # e.g. in canteen/alerts/sms_aliyun.py
        name = "sms"
        family = True                     # one message per linked family user

        async def deliver(self, message: Message) -> None:
            # message.recipient_phone, message.text("zh"); call the provider's API here.
            # Raise DeliveryFailed(reason) to have the outbox try again later.
            ...

    channels.register(AliyunSms())

A family channel gets one notification row per linked family user for every alert; the outbox
retries a failed delivery with back-off and gives up after ``MAX_ATTEMPTS``. A WeChat
template-message channel is the same shape (``name = "wechat"``; the recipient's openid would
be a new user field). No SMS or WeChat provider ships here: a fake one would only pretend.
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
    """The canteen's staff list: one warning line per alert in the service's log."""

    name = "log"
    family = False

    async def deliver(self, message: Message) -> None:
        log.warning("alert %s: %s", message.kind, message.text("zh"))


CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    CHANNELS[channel.name] = channel


register(PortalChannel())
register(LogChannel())
