"""The ledger's invariants, each a named check; run by the tests and ``canteen check-ledger``.

- ``balance_equals_ledger_sum``: an account's balance is the sum of its entries.
- ``balance_not_negative``: no balance is below zero.
- ``last_entry_matches_balance``: the newest entry's ``balance_after_fen`` is the balance.
"""

from dataclasses import dataclass

from tortoise.functions import Max, Sum

from canteen.accounts.models import Account, LedgerEntry


@dataclass(frozen=True)
class Violation:
    check: str
    account_id: int
    detail: str


async def ledger_violations() -> list[Violation]:
    """Every broken invariant in the database, in three queries whatever the number of accounts."""
    sums = dict(
        await LedgerEntry.annotate(total=Sum("amount_fen"))
        .group_by("account_id")
        .values_list("account_id", "total")
    )
    newest = dict(
        await LedgerEntry.annotate(last=Max("id"))
        .group_by("account_id")
        .values_list("account_id", "last")
    )
    last_after = dict(
        await LedgerEntry.filter(id__in=list(newest.values())).values_list(
            "account_id", "balance_after_fen"
        )
    )
    violations = []
    for account_id, balance in await Account.all().order_by("id").values_list("id", "balance_fen"):
        total = int(sums.get(account_id) or 0)
        if balance != total:
            violations.append(
                Violation(
                    "balance_equals_ledger_sum",
                    account_id,
                    f"balance {balance} != ledger sum {total}",
                )
            )
        if balance < 0:
            violations.append(Violation("balance_not_negative", account_id, f"balance {balance}"))
        if account_id in last_after and last_after[account_id] != balance:
            violations.append(
                Violation(
                    "last_entry_matches_balance",
                    account_id,
                    f"newest entry says {last_after[account_id]}, balance {balance}",
                )
            )
    return violations
