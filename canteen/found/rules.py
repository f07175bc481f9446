"""The found-elder page's pure rules: what a finder may read of the elder, what they must give,
and the signed token that protects its forms without a session. No I/O.

The page names the elder the way a passer-by would speak to them, by surname and an
honorific (王奶奶, 欧阳爷爷), never by full name: the badges sold in China print the name, ID,
phone and address for anyone to read; this page gives a stranger nothing to misuse.

>>> honorific("欧阳德明", "male", 82)
'欧阳爷爷'
>>> finder_phone(" 138-0013 8000 ")
'13800138000'
"""

import hashlib
import hmac
import re

from canteen.errors import InvalidInput

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 司徒 尉迟 公孙 夏侯 长孙 宇文 端木 独孤 南宫"  # noqa: SIM905
    " 西门 轩辕 呼延 澹台 万俟 闻人 赫连 申屠 公冶 太史 钟离 百里 东郭 濮阳 淳于 单于".split()
)
"""Two-character family names (欧阳德明 is 欧阳爷爷, not 欧爷爷)."""
ELDER_AGE = 60
"""From this age 爷爷/奶奶 (grandpa, grandma); younger, 叔叔/阿姨."""
MAX_WHERE = 200
MAX_MESSAGE = 500
FORM_TOKEN_SECONDS = 3 * 3600
"""A form left open longer than this (a phone in a pocket) asks to be reloaded."""
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}[0-9]{7,8}")
"""ASCII digits only: ``\\d`` would take ``１３８``, or Arabic-Indic digits, for a number."""
_SEPARATORS = re.compile(r"[\s\-()（）]")


def surname(name: str) -> str:
    """The family name of a Chinese name (two characters for the compound ones); for a name
    in Latin letters, its last word."""
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        return name.split()[-1]
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]


def honorific(name: str, gender: str, age: int) -> str:
    """How a stranger addresses the elder: ``王奶奶``, ``李爷爷``, ``张阿姨``."""
    titles = {"female": ("奶奶", "阿姨")}.get(gender, ("爷爷", "叔叔"))
    return surname(name) + titles[0 if age >= ELDER_AGE else 1]


def finder_phone(text: str) -> str:
    """A mainland mobile (11 digits from 13x to 19x) or a landline with its area code, as
    digits; ``+86``/``0086`` and spaces, hyphens and brackets are dropped. Else 422 on
    ``finder_phone``."""
    digits = _SEPARATORS.sub("", text or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    raise InvalidInput.on("finder_phone", "a mobile (11 digits) or a landline with its area code")


def where(text: str | None) -> str:
    """What the finder says of the place, trimmed; at most ``MAX_WHERE`` characters."""
    text = " ".join((text or "").split())
    if len(text) > MAX_WHERE or not text.isprintable():
        raise InvalidInput.on("where", f"plain text, at most {MAX_WHERE} characters")
    return text


def position(lat: str | float | None, lon: str | float | None) -> tuple[float, float] | None:
    """The browser's location, both or neither, in degrees; rounded to 5 decimals (about a
    metre)."""
    if lat in (None, "") and lon in (None, ""):
        return None
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput.on("lat", "a latitude and a longitude, both or neither") from None
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        raise InvalidInput.on("lat", "a latitude and a longitude, both or neither")
    return round(la, 5), round(lo, 5)


def message(text: str | None) -> str:
    """A message of the thread: plain text, 1 to ``MAX_MESSAGE`` characters, no control
    characters but line breaks."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not 1 <= len(text) <= MAX_MESSAGE or any(not c.isprintable() and c != "\n" for c in text):
        raise InvalidInput.on("body", f"plain text, 1 to {MAX_MESSAGE} characters")
    return text


def form_token(key: bytes, scope: str, nonce: str, now: int) -> str:
    """The token a found page's form carries: the time it was made and an HMAC over that time,
    what the form is for (``card:5``, ``report:7``) and the browser's nonce cookie. Another
    site can neither read it nor make one: no session is needed."""
    return f"{now}.{_mac(key, scope, nonce, now)}"


def form_token_valid(key: bytes, scope: str, nonce: str, token: str, now: int) -> bool:
    made, _, mac = (token or "").partition(".")
    if not nonce or not (made.isascii() and made.isdigit()) or len(made) > 12:  # not "²"
        return False
    age = now - int(made)
    fresh = -60 <= age <= FORM_TOKEN_SECONDS
    return fresh and hmac.compare_digest(
        mac.encode("utf-8", "surrogatepass"), _mac(key, scope, nonce, int(made)).encode()
    )


def _mac(key: bytes, scope: str, nonce: str, at: int) -> str:
    text = f"{scope}|{nonce}|{at}".encode("utf-8", "surrogatepass")
    return hmac.new(key, text, hashlib.sha256).hexdigest()[:32]


def thread_hash(token: str) -> str:
    """What is stored of a finder's private link: SHA-256 of its token (hex)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
