"""Local fakes of the SMS and WeChat providers' HTTP APIs (small Starlette apps served on
127.0.0.1 during a test), which check what the real ones check: the request's format and its
signature or token. Never the internet."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from canteen.notify import aliyun
from tests.conftest import free_port

SMS_KEY_ID, SMS_SECRET = "LTAI5tTestKeyId", "test-secret-of-the-fake"
APPID, APP_SECRET = "wx0123456789abcdef", "app-secret-of-the-fake"
COMMON = {
    "AccessKeyId",
    "Action",
    "Format",
    "RegionId",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
    "Version",
}


@dataclass
class FakeAliyunSms:
    """``POST /`` as ``dysmsapi.aliyuncs.com`` answers ``SendSms``."""

    secret: str = SMS_SECRET
    sent: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    nonces: set[str] = field(default_factory=set)

    def refuse(self, code: str, message: str) -> JSONResponse:
        self.refused.append(code)
        return JSONResponse({"Code": code, "Message": message, "RequestId": "fake"})

    async def send(self, request: Request) -> JSONResponse:
        params = {k: str(v) for k, v in (await request.form()).items()}
        missing = (COMMON | {"PhoneNumbers", "SignName", "TemplateCode", "Signature"}) - set(params)
        if missing:
            return self.refuse("MissingParameter", ",".join(sorted(missing)))
        if params["AccessKeyId"] != SMS_KEY_ID:
            return self.refuse("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        expected = aliyun.signature(params, self.secret, request.method)
        if params["Signature"] != expected:
            return self.refuse("SignatureDoesNotMatch", "Specified signature is not matched.")
        if params["SignatureNonce"] in self.nonces:
            return self.refuse("SignatureNonceUsed", "Specified signature nonce was used already.")
        self.nonces.add(params["SignatureNonce"])
        fixed = {
            "Action": "SendSms",
            "Version": "2017-05-25",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "Format": "JSON",
        }
        wrong = [k for k, v in fixed.items() if params[k] != v]
        if wrong or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", params["Timestamp"]):
            return self.refuse("InvalidParameter", ",".join(wrong) or "Timestamp")
        if not re.fullmatch(r"1\d{10}", params["PhoneNumbers"]):
            return self.refuse("isv.MOBILE_NUMBER_ILLEGAL", params["PhoneNumbers"])
        variables = json.loads(params.get("TemplateParam", "{}"))
        if any(len(str(v)) > 35 for v in variables.values()):
            return self.refuse("isv.PARAM_LENGTH_LIMIT", "a variable is too long")
        self.sent.append({**params, "TemplateParam": variables})
        return JSONResponse({"Code": "OK", "Message": "OK", "BizId": "9000^0", "RequestId": "r"})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/", self.send, methods=["POST"])])


@dataclass
class FakeWeChat:
    """``/cgi-bin/stable_token`` and ``/cgi-bin/message/subscribe/send`` as WeChat answers."""

    tokens_issued: int = 0
    valid: set[str] = field(default_factory=set)
    sent: list[dict[str, Any]] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    expires_in: int = 7200

    async def stable_token(self, request: Request) -> JSONResponse:
        body = await request.json()
        if body.get("grant_type") != "client_credential":
            return JSONResponse({"errcode": 40002, "errmsg": "invalid grant_type"})
        if (body.get("appid"), body.get("secret")) != (APPID, APP_SECRET):
            return JSONResponse({"errcode": 40125, "errmsg": "invalid appsecret"})
        self.tokens_issued += 1
        token = f"token-{self.tokens_issued}"
        self.valid.add(token)
        return JSONResponse({"access_token": token, "expires_in": self.expires_in})

    def error(self, code: int, message: str) -> JSONResponse:
        self.errors.append(code)
        return JSONResponse({"errcode": code, "errmsg": message})

    async def send(self, request: Request) -> JSONResponse:
        if request.query_params.get("access_token") not in self.valid:
            return self.error(40001, "invalid credential, access_token is invalid or not latest")
        body = await request.json()
        if not body.get("touser") or not body.get("template_id"):
            return self.error(47003, "argument invalid! touser, template_id")
        data = body.get("data", {})
        for key, item in data.items():
            value = item.get("value", "") if isinstance(item, dict) else None
            kind = re.sub(r"\d+$", "", key)
            limit = {"thing": 20, "name": 10}.get(kind, 32)
            if not isinstance(value, str) or not value or len(value) > limit:
                return self.error(47003, f"argument invalid! data.{key}.value")
        self.sent.append(body)
        return JSONResponse({"errcode": 0, "errmsg": "ok", "msgid": len(self.sent)})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/cgi-bin/stable_token", self.stable_token, methods=["POST"]),
                Route("/cgi-bin/message/subscribe/send", self.send, methods=["POST"]),
            ]
        )


@asynccontextmanager
async def served(app: Starlette) -> AsyncIterator[str]:
    """The app on a free local port for the block; its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
