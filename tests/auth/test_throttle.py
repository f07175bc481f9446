"""The throttle's rules, pure: how many tries a counter grants, and when the next one comes."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from canteen.auth import throttle
from canteen.auth.throttle import PER_CLIENT, PER_USER_AND_CLIENT, Rule, Tries

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
rules = st.sampled_from([PER_CLIENT, PER_USER_AND_CLIENT])


def _take_all(rule: Rule, tries: Tries, now: datetime, times: int) -> tuple[int, Tries]:
    granted = 0
    for _ in range(times):
        taken = throttle.take(rule, tries, now)
        if taken is not None:
            granted, tries = granted + 1, taken
    return granted, tries


@given(rules, st.integers(0, 200))
def test_tries_at_one_instant_get_exactly_the_free_ones(rule, times):
    granted, _ = _take_all(rule, Tries(), NOW, times)
    assert granted == min(times, rule.free)


@given(rules, st.integers(1, 60))
def test_a_refused_try_is_told_how_long_to_wait_and_granted_then(rule, failures):
    _, tries = _take_all(rule, Tries(), NOW, rule.free)
    for _ in range(failures):
        wait = throttle.seconds_to_wait(tries, NOW)
        assert wait >= 1 and throttle.take(rule, tries, NOW) is None
        later = NOW + timedelta(seconds=wait)
        assert throttle.take(rule, tries, later - timedelta(seconds=1)) is None
        taken = throttle.take(rule, tries, later)
        assert taken is not None
        tries = taken


@given(rules, st.integers(0, 100))
def test_waits_double_from_30_seconds_and_never_pass_15_minutes(rule, failures):
    wait = throttle.wait_after(rule, failures)
    if failures < rule.free:
        assert wait == timedelta(0)
    else:
        assert timedelta(seconds=30) <= wait <= timedelta(minutes=15)
        assert throttle.wait_after(rule, failures + 1) in (wait * 2, timedelta(minutes=15))


@given(rules, st.integers(0, 100))
def test_a_success_from_the_address_gives_back_only_its_own_try(rule, before):
    _, tries = _take_all(rule, Tries(), NOW, min(before, rule.free - 1))
    taken = throttle.take(rule, tries, NOW)
    assert taken is not None
    assert throttle.give_back(rule, taken).failures == tries.failures
    assert throttle.give_back(rule, taken).locked_until is None


def test_a_success_as_the_user_clears_the_count():
    _, tries = _take_all(PER_USER_AND_CLIENT, Tries(), NOW, 5)
    assert tries.locked_until is not None
    cleared = throttle.forgive(tries)
    assert cleared.failures == 0 and throttle.take(PER_USER_AND_CLIENT, cleared, NOW)


def test_a_counter_left_alone_starts_again():
    rule = PER_USER_AND_CLIENT
    _, tries = _take_all(rule, Tries(), NOW, 12)  # five granted; the rest refused
    assert tries.failures == rule.free
    later = NOW + rule.forget_after
    taken = throttle.take(rule, tries, later)
    assert taken is not None and taken.failures == 1 and taken.locked_until is None
    shortly = NOW + rule.forget_after - timedelta(seconds=1)
    assert throttle.take(rule, tries, shortly).failures == rule.free + 1
