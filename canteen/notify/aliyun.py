"""Aliyun's RPC request signature (签名机制, signature version 1.0, HMAC-SHA1): pure, no I/O.

1. Every parameter but ``Signature``, sorted by name, each name and value percent-encoded
   (RFC 3986: only ``A-Z a-z 0-9 - _ . ~`` are left as they are; a space is ``%20``), joined as
   ``name=value`` with ``&``: the canonicalized query string.
2. ``StringToSign = METHOD + "&" + enc("/") + "&" + enc(canonicalized query string)``.
3. ``Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))``.

>>> signature({"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
...            "SignatureMethod": "HMAC-SHA1",
...            "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
...            "SignatureVersion": "1.0", "TimeStamp": "2016-02-23T12:46:24Z",
...            "Version": "2014-05-26"}, "testsecret")
'CT9X0VtwR86fNWSnsc6v8YGOjuE='
"""

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote


def percent_encode(text: str) -> str:
    """RFC 3986 encoding of UTF-8 text, as Aliyun's ``percentEncode`` does."""
    return quote(text, safe="-_.~")


def canonical_query(params: Mapping[str, str]) -> str:
    return "&".join(
        f"{percent_encode(k)}={percent_encode(v)}"
        for k, v in sorted(params.items())
        if k != "Signature"
    )


def string_to_sign(params: Mapping[str, str], method: str = "GET") -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def signature(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    digest = hmac.new(
        f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()
