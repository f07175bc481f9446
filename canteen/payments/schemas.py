from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from canteen.schemas import Fen, RequestModel

IntentStatus = Literal["pending", "succeeded", "expired", "failed"]


class IntentIn(RequestModel):
    amount_fen: Fen
    """1 to 500000 (5,000 yuan)."""
    provider: str | None = Field(None, max_length=32)
    """A switched-on payment provider; the first switched on when left out. With none switched
    on (the default) the answer is 409 ``no_payment_provider``."""


class IntentCreated(BaseModel):
    intent_id: int
    status: IntentStatus
    amount_fen: int
    pay_url: str
    """Where the payer confirms the payment (the provider's page)."""


class IntentOut(IntentCreated):
    diner_id: int
    provider: str
    created_at: datetime
    expires_at: datetime
    """Not paid by then, the intent expires and nothing is credited."""
    paid_at: datetime | None
    topup_id: int | None
    """The top-up that credited the account, once the provider confirmed the payment."""


class NotifyOut(BaseModel):
    """The answer to a provider's notification: 200 for a first delivery and for every replay."""

    intent_id: int
    status: IntentStatus
    credited: bool
    """True only for the delivery that credited the account; replays say false."""
