"""Settings, read once from ``CANTEEN_*`` environment variables (and an optional ``.env``),
and checked: a value that is not what its setting takes stops the start with a message naming
the variable (``CANTEEN_DB_POOL_SIZE: Input should be a valid integer``), never a traceback.

A missing secret key is generated into ``var/secret_key`` on first run, so a fresh checkout
works with no set-up and the key survives restarts (it encrypts resident ID numbers: losing
it loses them). It is never committed (``var/`` is ignored).
"""

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite://./var/canteen.sqlite3"
PREFIX = "CANTEEN_"


class SettingsError(Exception):
    """Settings the app cannot start with; the message names each bad variable."""


class Settings(BaseSettings):
    """Every setting, its default and why. ``CANTEEN_<NAME>`` sets ``<name>``; an empty value
    counts as unset. Frozen: a process's settings do not change while it runs (tests make a
    changed copy with ``model_copy(update=...)``)."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_file=".env",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
    )

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = Field(default="", repr=False)
    timezone: str = "Asia/Shanghai"
    var_dir: Path = Path("var")
    token_ttl_seconds: int = 12 * 3600
    """A bearer token lasts one working day: a cashier logs in once per shift."""
    reports_database_url: str = ""
    """A streaming replica of the database for the office's reports (claims, sustainability,
    simulation, misuse), so a month's report never slows the counters; empty: the database.
    A claim being recorded still reads the database itself: a replica may lag by a second."""
    db_pool_size: int = 20
    """PostgreSQL connections per server process: sized to the concurrency one worker serves."""
    manual_sales_per_month: int = 4
    """Sales without a scanned card (card forgotten, damaged, scanner down) per diner per month:
    enough that no elder is refused lunch, few enough that a shared or borrowed identity shows."""
    manual_sales_per_cashier_per_day: int = 15
    """Sales without a card one seller makes in a day, whatever the diners: a till cannot empty
    accounts one after another even with their answers."""
    manual_sales_per_canteen_per_day: int = 40
    """Sales without a card a canteen makes in a day, over all its tills."""
    manual_answer_attempts_per_day: int = 5
    """Wrong answers (last 4 of the ID or phone) accepted per diner per day, from any till;
    then sales without the card stop for that diner until the next day: 5 guesses of 10,000."""
    recent_sale_seconds: int = 900
    """A quote warns ``recent_sale`` when the diner was sold a meal within this many seconds."""
    counter_reach_days: int = 30
    """A canteen's manager and cashiers reach the diners whose home canteen it is and those who
    ate there within this many days (a month of regulars); others only through a card scan."""
    max_body_bytes: int = 64 * 1024
    """No legitimate JSON request comes near this; larger bodies are refused unread."""
    payment_providers: Annotated[tuple[str, ...], NoDecode] = ()
    """The online payment providers switched on; the first is used when a top-up names none.
    None by default: online top-ups answer 409 ``no_payment_provider`` until a provider is
    named. ``sandbox`` takes no money (any family member could credit 5,000 yuan a click), so
    only the demo and the tests name it (``CANTEEN_PAYMENT_PROVIDERS=sandbox``), and while it
    is on every page says so and the server warns at start."""
    periodic_seconds: float = 300
    """How often the server expires unpaid top-ups, raises alerts and delivers notifications
    (``canteen alerts run`` does the same once); 0 switches the server's task off."""
    points_delivery: int = 10
    """Points a volunteer earns for a delivered stop (``CANTEEN_POINTS_DELIVERY``)."""
    points_alert: int = 20
    """Points a volunteer earns for an alert they handle (``CANTEEN_POINTS_ALERT``): a visit or
    a round of calls is more than a door."""
    alert_handle_minutes: int = 120
    """An alert not handled (处置) this many minutes after it was found is overdue on the board
    (``CANTEEN_ALERT_HANDLE_MINUTES``); the goal is 95% of a month's alerts handled in time."""
    public_url: str = "http://127.0.0.1:8000"
    """Where phones reach this server (``CANTEEN_PUBLIC_URL``, e.g.
    ``https://canteen.example.org``): a card's ``qr_url`` and the printed cards' QR codes are
    ``<public_url>/q/<qr_payload>``, so a passer-by's camera opens the found-elder page. The
    default is where ``canteen serve`` listens."""
    sms_access_key_id: str = ""
    """Aliyun SMS (``SendSms``): the AccessKey ID (``CANTEEN_SMS_ACCESS_KEY_ID``). SMS is off
    unless the key, its secret, the sign name and the template code are all set."""
    sms_access_key_secret: str = Field(default="", repr=False)
    sms_sign_name: str = ""
    """The registered signature (签名) the message starts with, e.g. ``长者食堂``."""
    sms_template_code: str = ""
    """The approved template (``SMS_...``) with the variables ``name``, ``date`` and ``event``."""
    sms_endpoint: str = "https://dysmsapi.aliyuncs.com"
    wechat_appid: str = ""
    """WeChat (mini program or official account) subscription messages: the AppID
    (``CANTEEN_WECHAT_APPID``); off unless it, its secret and the template id are set."""
    wechat_secret: str = Field(default="", repr=False)
    wechat_template_id: str = ""
    wechat_fields: Annotated[tuple[str, ...], NoDecode] = ("name1", "thing2", "date3", "thing4")
    """The template's keys for the elder, what happened, the day and what to do."""
    wechat_page: str = ""
    """The page a tap on the message opens (``pages/family/index``); none when empty."""
    wechat_endpoint: str = "https://api.weixin.qq.com"
    demo: bool = False
    """``CANTEEN_DEMO=1`` (``make run`` sets it): a demonstration server, whose home page lists
    the demo's usernames. Off, nothing public names an account."""
    offline_hours: int = 72
    """How long a counter may sell on account from one snapshot without reaching the server
    (``CANTEEN_OFFLINE_HOURS``; 72 at most, whatever it says); past it, cash only."""
    offline_sale_cap_fen: int = 3000
    """The most one account sale may take while the counter is offline
    (``CANTEEN_OFFLINE_SALE_CAP_FEN``)."""
    offline_day_cap_fen: int = 6000
    """The most one elder's account may pay in a day at an offline counter
    (``CANTEEN_OFFLINE_DAY_CAP_FEN``)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"no time zone {value!r} (e.g. Asia/Shanghai)") from exc
        return value

    @field_validator("database_url", "reports_database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite://", "postgres://", "postgresql://")):
            raise ValueError("a sqlite:// or postgres:// URL")
        return value

    @field_validator("payment_providers", "wechat_fields", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @field_validator("public_url", "sms_endpoint", "wechat_endpoint")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _secret_key(var_dir: Path) -> str:
    """The generated key in ``var/secret_key``, created (mode 0600) on first use."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _explained(error: ValidationError) -> SettingsError:
    lines = [
        f"{PREFIX}{'.'.join(str(part) for part in e['loc']).upper()}: {e['msg']}"
        for e in error.errors()
    ]
    return SettingsError("bad settings:\n  " + "\n  ".join(lines))


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the environment and ``.env`` (or only from ``environ``, for the tests),
    then the defaults; the secret key generated when none is set."""
    try:
        if environ is None:
            settings = Settings()
        else:
            given = {
                key.removeprefix(PREFIX).lower(): value
                for key, value in environ.items()
                if key.startswith(PREFIX) and value != ""
            }
            settings = Settings.model_validate(given)
    except ValidationError as exc:
        raise _explained(exc) from None
    if not settings.secret_key:
        settings = settings.model_copy(update={"secret_key": _secret_key(settings.var_dir)})
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read on first use; services that need a key ask here."""
    return load_settings()


def derive_key(purpose: str, settings: Settings | None = None) -> bytes:
    """A 32-byte key for one purpose (``"diner-id/encrypt/v1"``), derived from the secret key.

    One secret in the environment, a separate key per use: a key leaked from one use opens
    nothing else.
    """
    return _derived(purpose, (settings or get_settings()).secret_key)


@lru_cache(maxsize=64)
def _derived(purpose: str, secret: str) -> bytes:
    """Derived once per purpose and secret: every scan verifies a card's tag with one (HKDF
    took some 50 us of each quote and sale)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret.encode()
    )
