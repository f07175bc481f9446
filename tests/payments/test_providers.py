"""The sandbox provider signs its notifications the way a real provider does, and checks them."""

import json
from datetime import timedelta

import pytest

from canteen import clock
from canteen.errors import BadSignature, MalformedRequest
from canteen.payments.providers import SandboxProvider

sandbox = SandboxProvider()


def test_a_signed_notification_verifies_to_the_payment_it_reports():
    headers, body = sandbox.notification(12, 5000)
    payment = sandbox.verify_notification(headers, body)
    assert (payment.intent_id, payment.amount_fen, payment.outcome) == (12, 5000, "succeeded")
    assert payment.provider_ref == sandbox.transaction_id(12)
    assert payment.paid_at.tzinfo is not None


def test_header_names_are_case_insensitive():
    headers, body = sandbox.notification(12, 5000)
    lowered = {key.lower(): value for key, value in headers.items()}
    assert sandbox.verify_notification(lowered, body).amount_fen == 5000


def test_one_order_is_one_transaction():
    assert sandbox.transaction_id(12) == sandbox.transaction_id(12) != sandbox.transaction_id(13)


@pytest.mark.parametrize("byte", range(0, 60, 7))
def test_any_changed_byte_of_the_body_breaks_the_signature(byte):
    headers, body = sandbox.notification(12, 5000)
    changed = body[:byte] + bytes([body[byte] ^ 1]) + body[byte + 1 :]
    with pytest.raises(BadSignature):
        sandbox.verify_notification(headers, changed)


def test_a_signature_from_the_future_or_the_past_is_refused():
    for shift in (-sandbox.TOLERANCE_SECONDS - 2, sandbox.TOLERANCE_SECONDS + 2):
        at = clock.now() + timedelta(seconds=shift)
        with pytest.raises(BadSignature):
            sandbox.verify_notification(*sandbox.notification(12, 5000, signed_at=at))


def test_a_correctly_signed_body_that_is_not_a_notification_is_malformed():
    body = json.dumps({"hello": "world"}).encode()
    timestamp = str(int(clock.now().timestamp()))
    headers = {sandbox.HEADER: f"t={timestamp},v1={sandbox._mac(timestamp, body)}"}
    with pytest.raises(MalformedRequest):
        sandbox.verify_notification(headers, body)
