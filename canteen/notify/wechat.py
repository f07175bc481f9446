"""The WeChat channel: subscription messages (订阅消息), ``POST /cgi-bin/message/subscribe/send``.

The call needs an ``access_token``, got from ``POST /cgi-bin/stable_token`` (the AppID and its
secret) and kept until a minute before it expires (``expires_in`` seconds), then got again; a
token the server calls invalid or expired (errcode 40001, 42001, 40014) is dropped, and the
message is tried again later with a fresh one. A message goes to the openid the family user
bound; the template's four keys (``CANTEEN_WECHAT_FIELDS``) carry the elder, what happened,
the day and what to do. ``errcode`` 0 is delivered; anything else raises ``DeliveryFailed`` (the
outbox tries again), 43101 included (the user has no subscription left to use).
"""

from datetime import datetime, timedelta
from typing import Any

import httpx

from canteen import clock
from canteen.alerts.channels import DeliveryFailed, Message
from canteen.notify import messages

TIMEOUT = 10.0
EARLY = timedelta(seconds=60)
"""A token is got again this long before it would expire."""
TOKEN_ERRORS = {40001, 40014, 42001}
LIMITS = (10, 20, 20, 20)
"""How long each key's value may be: a ``name`` 10 characters, a ``thing`` 20 (``date`` is a
date)."""


class WeChatSubscribe:
    """``name = "wechat"``: one message per family user who chose WeChat and bound an openid."""

    name = "wechat"
    family = True

    def __init__(
        self,
        appid: str,
        secret: str,
        template_id: str,
        fields: tuple[str, ...],
        page: str,
        endpoint: str,
    ) -> None:
        self.appid, self.secret, self.template_id = appid, secret, template_id
        self.fields, self.page, self.endpoint = fields, page, endpoint
        self._token: tuple[str, datetime] | None = None

    async def _post(self, client: httpx.AsyncClient, path: str, **kw: Any) -> dict[str, Any]:
        try:
            response = await client.post(self.endpoint + path, **kw)
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise DeliveryFailed(f"WeChat unreachable: {exc}") from exc
        if not isinstance(answer, dict):
            raise DeliveryFailed("WeChat answered something other than an object")
        return answer

    async def token(self, client: httpx.AsyncClient) -> str:
        """The cached access token, or a new one from ``/cgi-bin/stable_token``."""
        now = clock.now()
        if self._token is not None and now < self._token[1]:
            return self._token[0]
        answer = await self._post(
            client,
            "/cgi-bin/stable_token",
            json={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )
        if "access_token" not in answer:
            raise DeliveryFailed(f"no WeChat token: {answer.get('errcode')} {answer.get('errmsg')}")
        lasts = timedelta(seconds=int(answer.get("expires_in", 7200)))
        self._token = (str(answer["access_token"]), now + lasts - EARLY)
        return self._token[0]

    def body(self, openid: str, message: Message) -> dict[str, Any]:
        said = messages.parts(message.kind, message.payload)
        values = (said["name"], said["event"], said["date"], said["advice"])
        data = {
            key: {"value": messages.cut(value, limit)}
            for key, value, limit in zip(self.fields, values, LIMITS, strict=False)
        }
        body: dict[str, Any] = {
            "touser": openid,
            "template_id": self.template_id,
            "data": data,
            "lang": "zh_CN",
        }
        if self.page:
            body["page"] = self.page
        return body

    async def deliver(self, message: Message) -> None:
        if not message.recipient_openid:
            raise DeliveryFailed("no WeChat openid bound")
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            token = await self.token(client)
            answer = await self._post(
                client,
                "/cgi-bin/message/subscribe/send",
                params={"access_token": token},
                json=self.body(message.recipient_openid, message),
            )
        code = int(answer.get("errcode", -1))
        if code in TOKEN_ERRORS:
            self._token = None
        if code != 0:
            raise DeliveryFailed(f"WeChat refused: {code} {answer.get('errmsg', '')}")
