"""The HTTP shapes of meal cards."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from canteen.schemas import RequestModel


class CardIssuedOut(BaseModel):
    card_id: int
    serial: str
    """Printed on the card, for people: ``MC000042-3`` is diner 42's third card."""
    qr_payload: str
    """The text in the card's QR code: opaque ASCII, at most 120 characters, no personal data."""
    issued_at: datetime


class RevokeIn(RequestModel):
    reason: Literal["lost", "damaged", "withdrawn", "other"]


class CardOut(BaseModel):
    card_id: int
    serial: str
    diner_id: int
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: Literal["lost", "damaged", "withdrawn", "other", "reissued"] | None
    """``reissued`` when a newer card replaced this one."""
