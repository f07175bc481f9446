"""The HTTP shapes of meal cards."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from canteen.schemas import Id, RequestModel

MAX_BATCH_DINERS = 5000


class CardIssuedOut(BaseModel):
    card_id: int
    serial: str
    """Printed on the card, for people: ``MC000042-3`` is diner 42's third card."""
    qr_payload: str
    """The card's text: opaque ASCII, at most 120 characters, no personal data."""
    qr_url: str
    """``<CANTEEN_PUBLIC_URL>/q/<qr_payload>``: what printed cards carry in their QR code, so a
    phone's camera opens the found-elder page; the counter takes either form as ``card``."""
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


class PrintBatchIn(RequestModel):
    """Which live cards to print: a canteen's elders, a list of diners, both (the listed
    diners of that canteen), or neither (every live card)."""

    canteen_id: Id | None = None
    """The diners whose home canteen this is."""
    diner_ids: list[Id] | None = Field(None, min_length=1, max_length=MAX_BATCH_DINERS)


class PrintProgressOut(BaseModel):
    """One line of a batch's answer (``application/x-ndjson``): how far it has got. The last
    line adds ``pages`` and the PDF as ``pdf_base64``; a batch that failed midway ends with a
    line holding ``error`` (``code``, ``detail``) instead."""

    done: int
    total: int
    pages: int | None = None
    pdf_base64: str | None = None
