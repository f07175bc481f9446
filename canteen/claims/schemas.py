import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from canteen.schemas import Day, Fen, Id, ListQuery, Month, Name, RequestModel


class ClaimIn(RequestModel):
    month: Month
    """``YYYY-MM``: a month that is over."""
    funder: str = Field(min_length=1, max_length=16)
    canteen_id: Id | None = None
    """Empty: one claim for every canteen."""


class PaidIn(RequestModel):
    amount_fen: Fen
    paid_on: Day
    confirm: bool = False
    """True to record an amount other than the claimed one (a short or over payment)."""


class ReverseIn(RequestModel):
    reason: Name = Field(min_length=1, max_length=200)
    """Why the payment was wrong, for the audit log and the claim's read-out."""


class PaymentOut(BaseModel):
    id: int
    kind: Literal["payment", "reversal"]
    amount_fen: int
    """Signed: a reversal is the reversed payment's amount negated."""
    claimed_fen: int
    """What the claim asked for when the entry was recorded."""
    difference_fen: int
    """A payment's amount less ``claimed_fen`` (negative: short); 0 for a reversal."""
    confirmed: bool
    paid_on: dt.date
    reverses: int | None
    reversed_by: int | None
    reason: str
    recorded_at: dt.datetime
    recorded_by: int | None


class ClaimRowOut(BaseModel):
    canteen_id: int
    rule: str
    pays: str
    meals: int
    subsidy_fen: int


class AdjustmentOut(BaseModel):
    id: int
    meal_id: int
    source_claim_id: int
    claim_id: int | None
    """The claim carrying it; empty while pending."""
    funder: str
    rule: str
    pays: str
    amount_fen: int
    reason: str
    at: dt.datetime
    """When the void raised it."""
    canteen_id: int
    local_date: dt.date
    """The voided meal's canteen and local day."""
    void_reason: str | None = None
    """Why the meal was voided, as the void gave it."""


class ClaimOut(BaseModel):
    id: int
    month: str
    funder: str
    canteen_id: int | None
    status: Literal["draft", "submitted", "approved", "paid"]
    live: bool
    """True for a draft: the figures are today's and change with every void."""
    meals: int
    subsidy_fen: int
    adjustment_fen: int
    claimed_fen: int
    rows: list[ClaimRowOut]
    adjustments: list[AdjustmentOut]
    """Carried by this claim (a draft: those it would carry if submitted now)."""
    late_voids: list[AdjustmentOut]
    """Raised against this frozen claim by voids after its submission."""
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    submitted_by: int | None
    approved_at: dt.datetime | None
    approved_by: int | None
    paid_amount_fen: int | None
    paid_on: dt.date | None
    paid_difference_fen: int | None
    """Paid less claimed (negative: paid short, positive: paid over); empty until paid."""
    payments: list[PaymentOut]
    """Every payment and reversal recorded, oldest first; none is ever edited."""


class ExportQuery(BaseModel):
    format: Literal["csv", "xlsx", "pdf"] = "csv"
    """``xlsx``: the claim paper to print, sign and stamp, and its rows per diner; ``pdf``: the
    paper; ``csv``: its rows (``part=diners``: its rows per diner)."""
    part: Literal["claim", "diners"] = "claim"
    """``diners`` (with ``format=csv``): the claim's rows per diner, ``…-diners.csv``."""
    lang: Literal["zh", "en"] | None = None
    """The language of the file (default: the pages' cookie, else Chinese)."""


class ClaimQuery(ListQuery):
    month: Month | None = None
    funder: str | None = Field(None, max_length=16)
    status: Literal["draft", "submitted", "approved", "paid"] | None = None


class StandingOut(BaseModel):
    funder: str
    claims_open: int
    owed_fen: int
    paid_fen: int
    short_paid_fen: int
    pending_adjustment_fen: int
    days_outstanding: int | None
    oldest_unpaid_month: str | None
    average_days_to_pay: int | None


class OutstandingOut(BaseModel):
    as_of: dt.date
    funders: list[StandingOut]
    owed_fen: int
    paid_fen: int
