"""How many password guesses a client gets: pure rules, no I/O, no clock of its own.

Two counters stand in front of every login, and both must grant a try before the password
hash runs (``canteen.auth.service`` takes them in one short transaction, rows locked):

1. the client address, whatever usernames it tries (``PER_CLIENT``): one machine guessing
   across many accounts;
2. the username *from that address* (``PER_USER_AND_CLIENT``): one machine guessing one
   account. Failures from one address never slow the same user down at another address, so a
   stranger cannot keep a cashier out of the till by typing wrong passwords for them.

A try is counted as a failure the moment it is granted, before its password is checked: of
thirty-two guesses arriving at once, the counter grants the first ``free`` and refuses the rest,
because the last free grant already sets the wait. A success then gives the try back:

- per user and address, a success clears the count (the right person is at that machine);
- per address, a success returns only its own try, so logging in to one's own account between
  guesses earns an attacker nothing.

After ``free`` tries in a row, each further try waits, 30 s doubling up to 15 minutes. A
counter left alone for ``forget_after`` starts again from nothing.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Rule:
    free: int
    """Tries granted in a row before each further one must wait."""
    first_wait: timedelta
    max_wait: timedelta
    forget_after: timedelta
    """Quiet this long, a counter starts again from nothing."""


PER_USER_AND_CLIENT = Rule(
    free=5,
    first_wait=timedelta(seconds=30),
    max_wait=timedelta(minutes=15),
    forget_after=timedelta(days=1),
)
PER_CLIENT = Rule(
    free=30,
    first_wait=timedelta(seconds=30),
    max_wait=timedelta(minutes=15),
    forget_after=timedelta(hours=1),
)
"""Generous: a canteen's counters and its staff's phones may share one public address."""


@dataclass(frozen=True)
class Tries:
    """One counter's state: tries counted as failed (those in flight included)."""

    failures: int = 0
    locked_until: datetime | None = None
    last_try_at: datetime | None = None


def wait_after(rule: Rule, failures: int) -> timedelta:
    """How long the next try waits after ``failures`` in a row: nothing while some are free."""
    if failures < rule.free:
        return timedelta(0)
    doublings = min(failures - rule.free, 16)
    return min(rule.max_wait, rule.first_wait * (1 << doublings))


def seconds_to_wait(tries: Tries, now: datetime) -> int:
    """Whole seconds until ``tries`` grants another (0: it may try now)."""
    if tries.locked_until is None or tries.locked_until <= now:
        return 0
    return max(1, int((tries.locked_until - now).total_seconds() + 0.999))


def take(rule: Rule, tries: Tries, now: datetime) -> Tries | None:
    """The counter after granting one try, counted as failed until it succeeds; None: refused."""
    if seconds_to_wait(tries, now):
        return None
    quiet = tries.last_try_at is not None and now - tries.last_try_at >= rule.forget_after
    failures = (0 if quiet else tries.failures) + 1
    wait = wait_after(rule, failures)
    return Tries(failures, now + wait if wait else None, now)


def forgive(tries: Tries) -> Tries:
    """The counter after a success, per user and address: the right person is here."""
    return Tries(0, None, tries.last_try_at)


def give_back(rule: Rule, tries: Tries) -> Tries:
    """The counter after a success, per address: only the successful try itself is returned."""
    failures = max(0, tries.failures - 1)
    locked_until = tries.locked_until if failures >= rule.free else None
    return replace(tries, failures=failures, locked_until=locked_until)
