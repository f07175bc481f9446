"""Payment providers: the interface every provider implements, and the built-in ``sandbox``.

A provider does three things for this service::

    pay_url = await provider.create_payment(intent)        # open a payment for an intent
    payment = provider.verify_notification(headers, body)  # its signed "paid" message -> facts
    payment = await provider.query_status(intent)          # ask it directly (reconciliation)

The service trusts only what ``verify_notification`` returns: a notification whose signature
does not check out raises ``BadSignature`` and never reaches the ledger.

To plug in a real provider (WeChat Pay, Alipay, a bank's aggregator), write a class with these
three methods: ``create_payment`` calls the provider's "create order" API with the intent's id
as the merchant order number, its amount and ``intent.expires_at`` as the order's closing time,
and returns the page (or QR ``code_url``) the payer confirms on; ``verify_notification`` checks
the provider's signature with its published key, decrypts the resource if it is encrypted, and
maps the provider's fields onto ``Payment``; ``query_status`` calls its "query order" API. Add
it to ``REGISTERED`` (``register(MyProvider())``) and name it in ``CANTEEN_PAYMENT_PROVIDERS``;
the provider is then told to notify ``POST /api/v1/payments/<name>/notify``.
"""

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from canteen import clock
from canteen.config import derive_key, get_settings
from canteen.errors import BadSignature, MalformedRequest, NotFound
from canteen.payments.models import TopupIntent

log = logging.getLogger("canteen.payments")

Outcome = Literal["succeeded", "failed"]


@dataclass(frozen=True)
class Payment:
    """What a provider vouches for about one payment, after its signature was checked."""

    intent_id: int
    """Our reference, sent to the provider as the merchant order number."""
    provider_ref: str
    """The provider's transaction number."""
    amount_fen: int
    outcome: Outcome
    paid_at: datetime
    """When the provider took (or refused) the money: an intent is credited if paid before it
    expired, however late the notification arrives."""


class PaymentProvider(Protocol):
    name: str

    async def create_payment(self, intent: TopupIntent) -> str:
        """Open a payment for ``intent`` at the provider; the URL where the payer confirms."""
        ...

    def verify_notification(self, headers: Mapping[str, str], body: bytes) -> Payment:
        """The payment a notification reports; ``BadSignature`` unless the provider signed it."""
        ...

    async def query_status(self, intent: TopupIntent) -> Payment | None:
        """Ask the provider about an intent's payment; None when it knows of none."""
        ...


class SandboxProvider:
    """A provider that takes no money, for the demo and the tests.

    Its pay page lives on this site (``/payments/sandbox/pay/<intent id>``, marked 沙箱); its
    confirm button has the sandbox sign a notification exactly as a real provider would and
    deliver it to the same notification handler. The signature is Stripe-like::

        Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>

    under ``derive_key("payments/sandbox/v1")``; a notification signed more than
    ``TOLERANCE_SECONDS`` away from now is refused too (a captured one cannot be replayed
    forever). The body is JSON::

        {"event": "payment.succeeded" | "payment.failed", "intent_id": 12,
         "transaction_id": "SBX...", "amount_fen": 5000, "paid_at": "<ISO 8601>"}

    Like a real provider it knows one transaction per order: the transaction number is derived
    from the intent, so confirming twice sends the same payment twice (a replay), never two.
    """

    name = "sandbox"
    HEADER = "Sandbox-Signature"
    KEY_PURPOSE = "payments/sandbox/v1"
    TOLERANCE_SECONDS = 300
    EVENTS: Mapping[str, Outcome] = {
        "payment.succeeded": "succeeded",
        "payment.failed": "failed",
    }

    def _mac(self, timestamp: str, body: bytes) -> str:
        key = derive_key(self.KEY_PURPOSE)
        return hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()

    def transaction_id(self, intent_id: int) -> str:
        digest = hmac.new(derive_key(self.KEY_PURPOSE), f"txn:{intent_id}".encode(), "sha256")
        return f"SBX{intent_id:08d}{digest.hexdigest()[:12].upper()}"

    async def create_payment(self, intent: TopupIntent) -> str:
        return f"/payments/sandbox/pay/{intent.id}"

    def notification(
        self,
        intent_id: int,
        amount_fen: int,
        outcome: Outcome = "succeeded",
        *,
        signed_at: datetime | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """The headers and body the sandbox sends to ``/payments/sandbox/notify``."""
        at = signed_at or clock.now()
        event = next(name for name, value in self.EVENTS.items() if value == outcome)
        body = json.dumps(
            {
                "event": event,
                "intent_id": intent_id,
                "transaction_id": self.transaction_id(intent_id),
                "amount_fen": amount_fen,
                "paid_at": at.isoformat(),
            },
            separators=(",", ":"),
        ).encode()
        timestamp = str(int(at.timestamp()))
        signature = f"t={timestamp},v1={self._mac(timestamp, body)}"
        return {self.HEADER: signature, "Content-Type": "application/json"}, body

    def verify_notification(self, headers: Mapping[str, str], body: bytes) -> Payment:
        lowered = {key.lower(): value for key, value in headers.items()}
        parts = dict(
            part.split("=", 1)
            for part in lowered.get(self.HEADER.lower(), "").split(",")
            if "=" in part
        )
        timestamp, signature = parts.get("t", ""), parts.get("v1", "")
        # As bytes: compare_digest refuses a non-ASCII str (a TypeError, once a 500); int()
        # refuses digits such as "²" that isdigit() accepts.
        if not (timestamp.isascii() and timestamp.isdigit()) or not hmac.compare_digest(
            signature.encode("utf-8", "surrogatepass"), self._mac(timestamp, body).encode()
        ):
            raise BadSignature(f"The {self.HEADER} header does not sign this body.")
        if abs(clock.now().timestamp() - int(timestamp)) > self.TOLERANCE_SECONDS:
            raise BadSignature(
                f"The notification was signed more than {self.TOLERANCE_SECONDS} s ago."
            )
        try:
            data = json.loads(body)
            payment = Payment(
                intent_id=int(data["intent_id"]),
                provider_ref=str(data["transaction_id"]),
                amount_fen=int(data["amount_fen"]),
                outcome=self.EVENTS[data["event"]],
                paid_at=datetime.fromisoformat(data["paid_at"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise MalformedRequest("A signed notification that is not one.") from exc
        if payment.paid_at.tzinfo is None:
            raise MalformedRequest("paid_at must carry its UTC offset.")
        return payment

    async def query_status(self, intent: TopupIntent) -> Payment | None:
        """The sandbox keeps no books of its own: a payment it made was delivered at once."""
        return None


REGISTERED: dict[str, PaymentProvider] = {}


def register(provider: PaymentProvider) -> None:
    REGISTERED[provider.name] = provider


register(SandboxProvider())


def enabled() -> tuple[str, ...]:
    """The providers switched on (``CANTEEN_PAYMENT_PROVIDERS``) that this code knows."""
    return tuple(name for name in get_settings().payment_providers if name in REGISTERED)


def sandbox_is_on() -> bool:
    """Whether the sandbox, which takes no money, is switched on: pages show a banner then."""
    return SandboxProvider.name in enabled()


def warn_if_sandbox() -> None:
    """At a server's start: a sandbox left on lets any family user credit money for nothing."""
    if sandbox_is_on():
        log.warning(
            "the sandbox payment provider is ON: online top-ups are credited without any "
            "payment. Only for a demo or tests; unset CANTEEN_PAYMENT_PROVIDERS=sandbox "
            "anywhere real money is kept."
        )


def get(name: str) -> PaymentProvider:
    """A switched-on provider by name; ``NotFound`` for any other (its notify URL is a 404,
    and so are the sandbox's pages while it is off)."""
    if name not in enabled():
        raise NotFound(f"No payment provider {name!r}.")
    return REGISTERED[name]


def sandbox() -> SandboxProvider:
    provider = get(SandboxProvider.name)
    assert isinstance(provider, SandboxProvider)
    return provider
