"""The SMS channel: Aliyun Short Message Service's ``SendSms`` (API version 2017-05-25).

One signed RPC request per message (``aliyun.signature``): the common parameters, the phone,
the sign name, the template code and its variables as JSON (``name``, ``date``, ``event``). The
answer's ``Code`` is ``OK`` when the message was accepted; anything else (a bad signature, a
number refused, a rate limit, the network down) raises ``DeliveryFailed`` and the outbox tries
again later.
"""

import json
import uuid
from datetime import UTC

import httpx

from canteen import clock
from canteen.alerts.channels import DeliveryFailed, Message
from canteen.notify import aliyun, messages

VERSION = "2017-05-25"
TIMEOUT = 10.0
VARIABLE_LIMIT = 35


class AliyunSms:
    """``name = "sms"``: one message per family user who chose SMS."""

    name = "sms"
    family = True

    def __init__(
        self, access_key_id: str, secret: str, sign_name: str, template: str, endpoint: str
    ) -> None:
        self.access_key_id, self.secret = access_key_id, secret
        self.sign_name, self.template, self.endpoint = sign_name, template, endpoint

    def request(self, phone: str, variables: dict[str, str]) -> dict[str, str]:
        """The signed parameters of one ``SendSms`` call."""
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template,
            "TemplateParam": json.dumps(variables, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": clock.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": VERSION,
        }
        return {**params, "Signature": aliyun.signature(params, self.secret, "POST")}

    async def deliver(self, message: Message) -> None:
        if not message.recipient_phone:
            raise DeliveryFailed("no mobile number for SMS")
        said = messages.parts(message.kind, message.payload)
        variables = {
            key: messages.cut(said[key], VARIABLE_LIMIT) for key in ("name", "date", "event")
        }
        params = self.request(message.recipient_phone, variables)
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT) as client:
                response = await client.post(self.endpoint + "/", data=params)
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise DeliveryFailed(f"SMS provider unreachable: {exc}") from exc
        if answer.get("Code") != "OK":
            raise DeliveryFailed(f"SMS refused: {answer.get('Code')} {answer.get('Message', '')}")
