"""The QR payload of a meal card: pure, no I/O. It names a card and proves we issued it.

Format, version 1 (``C1``)::

    C1 <card id in base 36> . <tag>
    e.g. card 5      -> "C15.<20 characters>"        (23 characters)
         card 2**31-1 -> "C1ZIK0ZJ.<20 characters>"   (29 characters, the most a card id gets)

- ``C1`` is the version tag: the first two characters. A later format takes ``C2``; the id
  never starts with ``0``, so the two cannot be confused.
- The card id is written in base 36 with the digits ``0-9A-Z``, upper case, no leading zeros.
- ``tag`` is HMAC-SHA256, keyed with ``derive_key("card-mac/v1")``, over the exact text
  before the ``.`` (``"C15"``), base32-encoded (RFC 4648, upper case, no padding) and cut to
  its first 20 characters: 100 bits. Guessing a tag for a card id takes 2**99 tries on
  average; the counter sees a few hundred scans a day.

Why this shape:

- Every character is in the QR alphanumeric mode (``0-9 A-Z space $ % * + - . / :``): a payload
  of up to 38 such characters fits a version 2 QR code (25 x 25 modules) at error correction
  M, small enough to print 3 cm wide and scan from a worn card.
- It carries no personal data, only the card id, which means nothing without the database.
  The diner is found through the card row, so a lost card is revoked, not re-keyed.
- A hand-held USB scanner types the text followed by Enter (and sometimes a space or a tab);
  some phone camera apps lower-case what they read. ``decode`` therefore strips surrounding
  white space and reads ASCII letters case-insensitively: ``c15.abc...`` is the same payload
  as ``C15.ABC...`` (the alphabets hold one case only, so nothing is lost), never a second
  card. Anything else that differs from what ``encode`` made is refused.

The URL form (``qr_url``, printed on cards so that a phone's camera opens the found-elder
page): ``<CANTEEN_PUBLIC_URL>/q/<payload>``, e.g. ``https://canteen.example.org/q/C15.ABC...``.
``decode`` reads it as the payload it ends with (``payload_in``, the one place the URL form
is taken apart): a counter's scanner reading a printed card gives the URL, and the sale is
the same as with the bare payload. Which host is named does not matter (the tag proves the
card); anything that is not exactly ``http(s)://host[:port][/path]/q/<payload>`` is left
as it is, and so refused like any other text that is no payload.

``decode`` checks the tag before it reads anything else: no part of an unauthenticated text
is parsed as a number or looked up. The tags are compared in constant time.
"""

import base64
import hashlib
import hmac
import re
import string

from canteen.errors import CardInvalid

VERSION = "C1"
SEPARATOR = "."
TAG_CHARS = 20
"""Characters of base32 kept from the MAC: 5 bits each, 100 bits in all (at least 80 needed)."""
MAX_LENGTH = 120
"""The API's promise about any payload; version 1 stays under 30 characters."""
KEY_PURPOSE = "card-mac/v1"
"""For ``canteen.config.derive_key``: the key that ``encode`` and ``decode`` take."""
QR_ALPHANUMERIC = string.digits + string.ascii_uppercase + " $%*+-./:"
"""The 45 characters of the QR code's alphanumeric mode."""
URL_PATH = "/q/"
"""Where a card's URL form puts the payload: ``<public url>/q/<payload>``."""
MAX_URL_LENGTH = 300
"""The longest URL form read (the counter's ``card`` field takes 300 characters)."""
_URL_FORM = re.compile(r"https?://[^/?#\s]+(?:/[^?#\s]*)?/q/([^/?#\s]+)", re.IGNORECASE)
_BASE36 = string.digits + string.ascii_uppercase
_TO_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def encode(card_id: int, key: bytes) -> str:
    """The payload printed in card ``card_id``'s QR code."""
    if card_id < 1:
        raise ValueError(f"card ids start at 1, not {card_id}")
    body = VERSION + _base36(card_id)
    return body + SEPARATOR + _tag(body, key)


def url_of(payload: str, public_url: str) -> str:
    """The card's URL form: ``url_of("C15.ABC", "https://x.org")`` -> ``"https://x.org/q/C15.ABC"``."""
    return public_url.rstrip("/") + URL_PATH + payload


def payload_in(text: str) -> str:
    """The payload a card's URL form ends with; any other text unchanged (white space around
    either is kept for ``decode`` to strip)."""
    match = _URL_FORM.fullmatch(text.strip())
    return match.group(1) if match else text


def decode(payload: object, key: bytes) -> int:
    """The card id in ``payload``; ``CardInvalid`` (field ``card``) unless we made it."""
    text = _normalised(payload)
    body, separator, tag = text.rpartition(SEPARATOR)
    authentic = hmac.compare_digest(tag.encode("ascii"), _tag(body, key).encode("ascii"))
    if not (authentic and separator):
        raise _invalid()
    # From here on the text is one ``encode`` made with this key.
    if not body.startswith(VERSION):
        raise _invalid()
    return int(body[len(VERSION) :], 36)


def _normalised(payload: object) -> str:
    """The text as ``encode`` wrote it: no surrounding white space, ASCII letters upper case.

    Only ASCII is up-cased: ``str.upper`` would also turn ``ß`` into ``SS`` and ``ı`` into
    ``I``, letting a different text pass for a payload.
    """
    if not isinstance(payload, str) or len(payload) > MAX_URL_LENGTH + 8:
        raise _invalid()
    text = payload_in(payload).strip()
    if len(text) > MAX_LENGTH + 8:
        raise _invalid()
    if not text.isascii():
        raise _invalid()
    return text.translate(_TO_UPPER)


def _tag(body: str, key: bytes) -> str:
    digest = hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:TAG_CHARS]


def _base36(number: int) -> str:
    digits = []
    while number:
        number, digit = divmod(number, 36)
        digits.append(_BASE36[digit])
    return "".join(reversed(digits))


def _invalid() -> CardInvalid:
    """One answer for every kind of bad payload: which check failed is no one's business."""
    return CardInvalid.on("card", "not a meal card issued by this service")
