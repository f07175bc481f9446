"""The errors a caller of this service can meet, each with its stable API ``code`` and status.

Services raise these; one handler (``canteen.http.problems``) turns any of them into an
RFC 9457 problem+json response. Domain modules declare their own subclasses next to the code
that raises them only when nothing here fits; the tree stays readable in one screen::

    CanteenError                      500 internal_error
    ├── BadRequest                    400 bad_request        (a form or request unreadable)
    │   └── MalformedRequest          400 malformed_json
    ├── InvalidInput                  422 validation_error   (carries ``errors``: field, message)
    │   ├── InvalidIdNumber           422 invalid_id_number
    │   ├── InvalidAmount             422 invalid_amount
    │   ├── EffectiveFromInPast       422 effective_from_in_past
    │   ├── CardInvalid               422 card_invalid
    │   ├── UnknownOffering           422 unknown_offering
    │   ├── OutsideMealWindow         422 outside_meal_window
    │   ├── NotOnMenu                 422 not_on_menu        (an order for a dish not served then)
    │   ├── IdempotencyKeyReused      422 idempotency_key_reused
    │   ├── MonthNotOver              422 month_not_over
    │   └── NotAWatcher               422 not_a_watcher      (not an active volunteer or staff user)
    ├── Unauthenticated               401 unauthenticated
    │   ├── InvalidCredentials        401 invalid_credentials
    │   └── BadSignature              401 bad_signature      (a payment notification's signature)
    ├── Forbidden                     403 forbidden
    │   ├── CsrfFailed                403 csrf_failed
    │   ├── IdentityNotConfirmed      403 identity_not_confirmed  (a sale without the card)
    │   └── OpenPriceNotAllowed       403 open_price_not_allowed  (carries ``max_price_fen``)
    ├── NotFound                      404 not_found
    │   └── NoPolicy                  404 no_policy
    ├── MethodNotAllowed              405 method_not_allowed
    ├── Conflict                      409 conflict
    │   ├── UsernameTaken             409 username_taken
    │   ├── DinerExists               409 diner_exists
    │   ├── DinerInactive             409 diner_inactive
    │   ├── AlreadyLinked             409 already_linked
    │   ├── PolicyExists              409 policy_exists
    │   ├── CardRevoked               409 card_revoked
    │   ├── InsufficientBalance       409 insufficient_balance  (carries ``shortfall_fen``)
    │   ├── AlreadyVoided             409 already_voided
    │   ├── AlreadyReversed           409 already_reversed     (a cost or grant reversed twice)
    │   ├── ManualSaleLimit           409 manual_sale_limit_reached
    │   │   └── ManualSaleCap         409 manual_sale_cap_reached  (carries ``cap``)
    │   ├── AmountMismatch            409 amount_mismatch    (not the intent's or claim's amount)
    │   ├── IntentExpired             409 intent_expired
    │   ├── IntentAlreadyPaid         409 intent_already_paid
    │   ├── NoPaymentProvider         409 no_payment_provider  (online top-ups switched off)
    │   ├── LastActiveAdmin           409 last_active_admin    (disabling or demoting the last one)
    │   ├── AlertAlreadyHandled       409 alert_already_handled
    │   ├── AlertNotHandled           409 alert_not_handled
    │   ├── ClaimExists               409 claim_exists
    │   ├── ClaimStatusConflict       409 claim_status_conflict
    │   ├── OrderCutoffPassed         409 order_cutoff_passed  (carries ``cutoff_at``)
    │   ├── OrderExists               409 order_exists
    │   ├── OrderNotOpen              409 order_not_open     (handed over, cancelled or missed)
    │   ├── StopAlreadyRecorded       409 stop_already_recorded  (carries ``outcome``)
    │   ├── InsufficientPoints        409 insufficient_points  (carries ``balance``)
    │   └── AlreadyWatching           409 already_watching   (the user already watches the elder)
    ├── PayloadTooLarge               413 payload_too_large
    ├── TooManyAttempts               429 too_many_attempts   (carries ``retry_after`` seconds)
    │   ├── IdentityChecksExhausted   429 identity_checks_exhausted
    │   └── TooManyReports            429 too_many_reports   (a card's found page, per hour)
    └── ProviderUnavailable           502 provider_unavailable
"""

from dataclasses import dataclass
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field, as listed in a 422 response's ``errors``."""

    field: str
    message: str


class CanteenError(Exception):
    """Base of every error a caller may see; anything else is a bug and becomes a bare 500."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra
        """Extra members of the problem document (e.g. ``shortfall_fen``)."""


class BadRequest(CanteenError):
    """Raised when a request cannot be read at all (a form past Starlette's limits, a broken
    multipart body): Starlette's own 400s, in the one shape."""

    status = 400
    code = "bad_request"
    title = "Bad request"


class MalformedRequest(BadRequest):
    """Raised when a request body is not JSON at all, or nests too deeply to be a request."""

    status = 400
    code = "malformed_json"
    title = "Malformed request body"


class InvalidInput(CanteenError):
    """Raised when a request is well-formed JSON but a field breaks a rule."""

    status = 422
    code = "validation_error"
    title = "Invalid input"

    def __init__(
        self, detail: str | None = None, *, errors: list[FieldError] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail, **extra)
        self.errors = errors or []

    @classmethod
    def on(cls, field: str, message: str, **extra: Any) -> Self:
        """The common case: one field is wrong."""
        return cls(f"{field}: {message}", errors=[FieldError(field, message)], **extra)


class InvalidIdNumber(InvalidInput):
    """Raised when a resident ID number fails its check digit, its birth date or its format."""

    code = "invalid_id_number"
    title = "Invalid resident ID number"


class InvalidAmount(InvalidInput):
    """Raised when an amount of money is not a whole number of fen within the allowed range."""

    code = "invalid_amount"
    title = "Invalid amount"


class EffectiveFromInPast(InvalidInput):
    """Raised when a new policy would start before today: the past is already priced."""

    code = "effective_from_in_past"
    title = "A policy cannot start in the past"


class CardInvalid(InvalidInput):
    """Raised when a scanned payload is not a card this service issued (altered, cut, made up)."""

    code = "card_invalid"
    title = "Not a valid meal card"


class UnknownOffering(InvalidInput):
    """Raised when a sale names a dish that is not (or no longer) on this canteen's price list."""

    code = "unknown_offering"
    title = "Unknown offering"


class OutsideMealWindow(InvalidInput):
    """Raised when no meal type is given and the canteen serves no meal at this local time."""

    code = "outside_meal_window"
    title = "Outside every meal window"


class NotOnMenu(InvalidInput):
    """Raised when an order names an offering the canteen's menu does not serve that day and
    meal: only what is on the menu is cooked."""

    code = "not_on_menu"
    title = "Not on the menu"


class IdempotencyKeyReused(InvalidInput):
    """Raised when an Idempotency-Key comes back with a different request than the first time."""

    code = "idempotency_key_reused"
    title = "Idempotency key reused with a different request"


class MonthNotOver(InvalidInput):
    """Raised when a subsidy claim is drafted for a month that has not ended yet."""

    code = "month_not_over"
    title = "The month is not over"


class NotAWatcher(InvalidInput):
    """Raised when an elder's watcher would be a user who cannot watch: only an active user with
    role ``volunteer`` or ``staff`` (a building head, a grid worker, a volunteer) can."""

    code = "not_a_watcher"
    title = "This user cannot watch over an elder"


class Unauthenticated(CanteenError):
    """Raised when a request carries no token, or a token that is unknown, expired or revoked."""

    status = 401
    code = "unauthenticated"
    title = "Authentication required"


class InvalidCredentials(Unauthenticated):
    """Raised when a username and password do not match an active user."""

    code = "invalid_credentials"
    title = "Invalid username or password"


class BadSignature(Unauthenticated):
    """Raised when a payment notification's signature is missing, wrong or too old."""

    code = "bad_signature"
    title = "Notification signature not valid"


class Forbidden(CanteenError):
    """Raised when the caller's role may not perform this action at all."""

    status = 403
    code = "forbidden"
    title = "Forbidden"


class CsrfFailed(Forbidden):
    """Raised when a page's change arrives without its session's CSRF token."""

    code = "csrf_failed"
    title = "Form expired or forged"


class IdentityNotConfirmed(Forbidden):
    """Raised when the answer given for a sale without the card (the last 4 of the elder's ID
    number or phone) is not the elder's; the right one is never told."""

    code = "identity_not_confirmed"
    title = "The elder's answer does not match"


class OpenPriceNotAllowed(Forbidden):
    """Raised when a cashier prices a meal off the list above the canteen's highest listed
    price (managers may)."""

    code = "open_price_not_allowed"
    title = "Price above the canteen's price list"

    def __init__(self, max_price_fen: int) -> None:
        super().__init__(
            f"A cashier may price a meal at most {max_price_fen} fen, the highest listed price.",
            max_price_fen=max_price_fen,
        )


class NotFound(CanteenError):
    """Raised when an object does not exist or lies outside the caller's reach.

    Both look the same on purpose: a family user must not learn that another family's diner
    exists.
    """

    status = 404
    code = "not_found"
    title = "Not found"


class NoPolicy(NotFound):
    """Raised when no subsidy policy is in force on the date asked."""

    code = "no_policy"
    title = "No policy in force"


class MethodNotAllowed(CanteenError):
    """Raised when a route exists but not for this HTTP method."""

    status = 405
    code = "method_not_allowed"
    title = "Method not allowed"


class Conflict(CanteenError):
    """Raised when the request is valid but the current state forbids it."""

    status = 409
    code = "conflict"
    title = "Conflict"


class UsernameTaken(Conflict):
    """Raised when a new user's username already exists (compared case-insensitively)."""

    code = "username_taken"
    title = "Username taken"


class DinerExists(Conflict):
    """Raised when a diner with the same resident ID number is already enrolled."""

    code = "diner_exists"
    title = "Diner already enrolled"


class DinerInactive(Conflict):
    """Raised when money would move for a diner who may not eat now (suspended or deceased)."""

    code = "diner_inactive"
    title = "Diner is not active"


class AlreadyLinked(Conflict):
    """Raised when a family user is already linked to this diner."""

    code = "already_linked"
    title = "Family member already linked"


class PolicyExists(Conflict):
    """Raised when another policy already starts on the same date."""

    code = "policy_exists"
    title = "A policy already starts on that date"


class CardRevoked(Conflict):
    """Raised when a scanned card was revoked (lost, damaged, re-issued, withdrawn)."""

    code = "card_revoked"
    title = "Meal card revoked"


class InsufficientBalance(Conflict):
    """Raised when the account cannot pay its share of a meal; nothing is recorded."""

    code = "insufficient_balance"
    title = "Insufficient balance"

    def __init__(self, shortfall_fen: int) -> None:
        super().__init__(f"The account is {shortfall_fen} fen short.", shortfall_fen=shortfall_fen)


class AlreadyVoided(Conflict):
    """Raised when a meal that was already voided is voided again."""

    code = "already_voided"
    title = "Meal already voided"


class AlreadyReversed(Conflict):
    """Raised when a cost or grant entry that was already reversed (or is itself a reversal)
    is reversed again."""

    code = "already_reversed"
    title = "Entry already reversed"


class ManualSaleLimit(Conflict):
    """Raised when a diner has had as many sales without a card this month as allowed."""

    code = "manual_sale_limit_reached"
    title = "Too many sales without a card this month"


class ManualSaleCap(ManualSaleLimit):
    """Raised when a seller (``cap: "cashier"``) or a canteen (``cap: "canteen"``) has made as
    many sales without a card today as allowed."""

    code = "manual_sale_cap_reached"
    title = "Daily cap on sales without a card reached"

    def __init__(self, cap: str, allowed: int) -> None:
        super().__init__(
            f"This {cap} made {allowed} sales without a card today, the most allowed.", cap=cap
        )


class AmountMismatch(Conflict):
    """Raised when a payment notification reports another amount than its intent (nothing is
    credited), or when a claim's payment is recorded at another amount than claimed without
    ``"confirm": true`` (carries ``claimed_fen``, ``amount_fen``, ``difference_fen``)."""

    code = "amount_mismatch"
    title = "Paid amount differs from the amount asked for"


class IntentExpired(Conflict):
    """Raised when a payment is reported for a top-up intent that expired unpaid; nothing is
    credited (the payment is logged for a refund by hand)."""

    code = "intent_expired"
    title = "Top-up intent expired"


class IntentAlreadyPaid(Conflict):
    """Raised when a second, different payment is reported for an intent already paid."""

    code = "intent_already_paid"
    title = "Top-up intent already paid by another payment"


class NoPaymentProvider(Conflict):
    """Raised when an online top-up is asked for and no payment provider is switched on
    (``CANTEEN_PAYMENT_PROVIDERS``): the sandbox takes no money, so it is never on by default."""

    code = "no_payment_provider"
    title = "Online top-ups are switched off"


class LastActiveAdmin(Conflict):
    """Raised when an admin would disable or demote the last active admin: no one could manage
    users."""

    code = "last_active_admin"
    title = "The last active admin cannot be disabled or demoted"


class AlertAlreadyHandled(Conflict):
    """Raised when an alert is handled (or followed up) a second time."""

    code = "alert_already_handled"
    title = "Alert already at that stage"


class AlertNotHandled(Conflict):
    """Raised when an alert is followed up before anyone handled it."""

    code = "alert_not_handled"
    title = "Alert not handled yet"


class ClaimExists(Conflict):
    """Raised when a claim for that month and funder already covers the canteen(s) asked for."""

    code = "claim_exists"
    title = "A claim for this month and funder exists"


class ClaimStatusConflict(Conflict):
    """Raised when a claim is moved out of order (submit twice, pay before approval, ...)."""

    code = "claim_status_conflict"
    title = "The claim is not in the status this needs"


class OrderCutoffPassed(Conflict):
    """Raised when an order is placed or cancelled after the canteen's cut-off for that meal:
    the kitchen has counted it."""

    code = "order_cutoff_passed"
    title = "Ordering for this meal has closed"


class OrderExists(Conflict):
    """Raised when the diner already has an open order for that date and meal."""

    code = "order_exists"
    title = "An order for this meal exists"


class OrderNotOpen(Conflict):
    """Raised when an order that is no longer placed (handed over, cancelled, missed) is
    cancelled or handed over."""

    code = "order_not_open"
    title = "The order is no longer open"


class StopAlreadyRecorded(Conflict):
    """Raised when a stop that has an outcome is given a different one (carries ``outcome``)."""

    code = "stop_already_recorded"
    title = "This stop's outcome is already recorded"


class AlreadyWatching(Conflict):
    """Raised when a user is made a watcher of an elder they already watch."""

    code = "already_watching"
    title = "Already a watcher of this elder"


class InsufficientPoints(Conflict):
    """Raised when a redemption asks for more points than the volunteer holds (carries
    ``balance``, what they hold)."""

    code = "insufficient_points"
    title = "Not enough points"


class PayloadTooLarge(CanteenError):
    """Raised when a request body is larger than any legitimate request."""

    status = 413
    code = "payload_too_large"
    title = "Request body too large"


class TooManyAttempts(CanteenError):
    """Raised when a login is tried again too soon after repeated failures."""

    status = 429
    code = "too_many_attempts"
    title = "Too many failed attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Try again in {retry_after} seconds.", retry_after=retry_after)
        self.retry_after = retry_after


class IdentityChecksExhausted(TooManyAttempts):
    """Raised when a diner's answers for sales without the card were wrong too often today; no
    further answer is checked until the next day."""

    code = "identity_checks_exhausted"
    title = "Too many wrong answers for this diner today"


class TooManyReports(TooManyAttempts):
    """Raised when a card's found-elder page has taken its reports for the hour; the family
    and watchers were told of the earlier ones."""

    code = "too_many_reports"
    title = "This card has been reported too often this hour"


class ProviderUnavailable(CanteenError):
    """Raised when a payment provider cannot be reached or refuses to open a payment."""

    status = 502
    code = "provider_unavailable"
    title = "Payment provider unavailable"
