import datetime as dt
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from canteen.schemas import Day, Fen, Id, ListQuery, RequestModel


class SnapshotCard(BaseModel):
    card_id: int
    serial: str
    diner_id: int
    payload_sha256: str
    """The first 32 hex digits of SHA-256 of the card's QR payload: the counter hashes what it
    scans and looks it up, so a made-up payload is refused offline without the payload (a bearer
    token) ever leaving the server."""


class SnapshotDiner(BaseModel):
    id: int
    name: str
    age: int
    """On the snapshot's ``local_date``."""
    categories: list[str]
    """Only the categories the policies' rules ask about."""
    disability_level: int | None
    """Only when a rule asks about it."""
    district: str
    street: str
    """Only when a rule asks where the diner is registered."""
    dietary: list[str]
    status: str
    balance_fen: int
    low_balance_fen: int
    usage: dict[str, dict[str, int]]
    """Per rule: ``{"today": n, "this_month": n}`` meals it subsidised, across all canteens."""
    meals_today: list[dt.datetime]
    """When each of today's live meals was sold, at any canteen (the double-scan guard)."""
    orders_today: list[str]
    """The meal types of today's placed eat-in orders at this canteen."""


class SnapshotOffering(BaseModel):
    id: int
    name: str
    meal_type: str
    price_fen: int
    tags: list[str]


class SnapshotCanteen(BaseModel):
    id: int
    name: str
    district: str
    street: str
    timezone: str
    meal_windows: dict[str, list[str]]


class SnapshotLimits(BaseModel):
    sale_cap_fen: int
    """The most one account sale may take offline."""
    day_cap_fen: int
    """The most one elder's account may pay offline in a day, over every sale."""
    recent_sale_seconds: int


class SnapshotOut(BaseModel):
    """What a counter sells from while it cannot reach the server; signed."""

    canteen: SnapshotCanteen
    issued_at: dt.datetime
    expires_at: dt.datetime
    """Past this the counter sells for cash only (72 h at most)."""
    local_date: dt.date
    policies: list[dict[str, Any]]
    """The policies in force from ``local_date`` to ``expires_at``, as their JSON documents."""
    offerings: list[SnapshotOffering]
    cards: list[SnapshotCard]
    revoked: list[SnapshotCard]
    """The reached diners' revoked cards: a scan of one is refused offline as online."""
    diners: list[SnapshotDiner]
    limits: SnapshotLimits
    digest: str
    """SHA-256 of the canonical JSON of every field above."""
    signature: str
    """HMAC-SHA256 of ``canteen_id|issued_at|expires_at|digest`` with a key derived from the
    secret key: the counter sends it back with each sale, and the server checks it."""
    seal_secret: str
    """A secret for this cashier only, from which the browser derives the non-extractable key
    that encrypts the snapshot and the queue at rest."""


class SnapshotRef(RequestModel):
    """The snapshot a sale was priced from, as the server signed it."""

    canteen_id: Id
    issued_at: AwareDatetime
    expires_at: AwareDatetime
    digest: str = Field(min_length=64, max_length=64)
    signature: str = Field(min_length=64, max_length=64)


class PricedLine(RequestModel):
    rule: str = Field(max_length=40)
    amount_fen: Fen


class OfflineSaleIn(RequestModel):
    """One sale made offline, as the counter made it."""

    key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    """Made at the scan; the sale is applied once however often it is sent."""
    made_at: AwareDatetime
    card: str = Field(max_length=300)
    offering_id: Id
    payment: Literal["account", "cash"]
    price_fen: Fen
    pay_fen: Fen
    """What the counter told the diner to pay."""
    subsidies: list[PricedLine] = Field(default_factory=list, max_length=20)
    snapshot: SnapshotRef


class OfflineBatchIn(RequestModel):
    canteen_id: Id
    sales: list[OfflineSaleIn] = Field(min_length=1, max_length=500)
    """In the order they were made."""


class OfflineResult(BaseModel):
    key: str
    outcome: Literal["sold", "reconciled", "refused"]
    reason: str
    meal_id: int | None
    paid_fen: int
    operator_fen: int


class OfflineBatchOut(BaseModel):
    results: list[OfflineResult]


class ReconciliationQuery(ListQuery):
    date: Day | None = None
    """The canteen's local day the sales were made; every day when absent."""


class ReconciliationOut(BaseModel):
    id: int
    key: str
    outcome: Literal["reconciled", "refused"]
    reason: str
    meal_id: int | None
    diner_id: int | None
    diner_name: str
    sold_by: str
    payment: str
    made_at: dt.datetime
    synced_at: dt.datetime
    price_fen: int
    told_pay_fen: int
    counter_subsidy_fen: int
    subsidy_fen: int
    paid_fen: int
    operator_fen: int
    """What the operator bears (never public money, never the diner's account below zero)."""
