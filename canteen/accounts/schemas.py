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
