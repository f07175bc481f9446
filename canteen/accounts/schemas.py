from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from canteen.schemas import Fen, RequestModel


class AccountOut(BaseModel):
    diner_id: int
    balance_fen: int
    low_balance_fen: int


class AccountPatch(RequestModel):
    low_balance_fen: Fen
    """Warn the family (and the counter) when the balance falls below this; 0 to 100000."""


class TopupIn(RequestModel):
    amount_fen: Fen
    method: Literal["cash", "transfer"]
    reference: str = Field("", max_length=128)


class TopupOut(BaseModel):
    topup_id: int
    amount_fen: int
    balance_fen: int
    """The balance right after this top-up."""


class LedgerEntryOut(BaseModel):
    id: int
    at: datetime
    kind: Literal["topup", "meal", "void", "refund", "adjustment"]
    amount_fen: int
    """Signed: positive pays in, negative pays out."""
    balance_after_fen: int
    topup_id: int | None
    meal_id: int | None


class RefundIn(RequestModel):
    """Money handed back to the family: by cash, or by transfer with its reference."""

    amount_fen: Fen
    method: Literal["cash", "transfer"]
    reference: str = Field("", max_length=128)
    reason: str = Field(min_length=1, max_length=200)


class AdjustmentIn(RequestModel):
    """An admin's correction: signed (negative takes money out), with its reason."""

    amount_fen: int
    reason: str = Field(min_length=1, max_length=200)


class CorrectionOut(BaseModel):
    entry_id: int
    """The ledger entry the correction appended (kind ``refund`` or ``adjustment``)."""
    diner_id: int
    kind: Literal["refund", "adjustment"]
    amount_fen: int
    """Signed, as in the ledger: a refund is negative."""
    balance_fen: int
    """The balance right after this correction."""
