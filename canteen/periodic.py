"""The work done every few minutes: expire unpaid top-ups, mark uncollected orders missed, raise
alerts, report and deliver them.

``canteen alerts run`` runs it once; the server runs it every ``CANTEEN_PERIODIC_SECONDS``
(default 300) in a task started by the application's lifespan and cancelled at shutdown. Each
step is a few bulk queries in transactions of its own, so the task holds no transaction
between runs (a task must not outlive the transaction it was started in), and two processes
running it at once (several PostgreSQL workers, or the command beside the server) do no harm:
alerts are unique per (kind, diner, day), and reporting and delivery claim their rows.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from canteen import clock, metrics
from canteen.alerts import detect, outbox
from canteen.orders import service as orders
from canteen.payments import service as payments

log = logging.getLogger("canteen.periodic")


@dataclass(frozen=True)
class Run:
    expired_intents: int
    missed_meal_alerts: int
    low_balance_alerts: int
    notifications: int
    sent: int
    failed: int
    missed_orders: int = 0
    """Orders ahead whose meal ended uncollected: marked missed, nothing charged."""

    def __str__(self) -> str:
        return (
            f"{self.expired_intents} unpaid top-up(s) expired; "
            f"{self.missed_meal_alerts} missed-meal and {self.low_balance_alerts} low-balance "
            f"alert(s) raised; {self.notifications} notification(s) written, "
            f"{self.sent} delivered, {self.failed} failed; "
            f"{self.missed_orders} uncollected order(s) marked missed"
        )


async def run_once(now: datetime | None = None) -> Run:
    now = now or clock.now()
    expired = await payments.expire_intents(now)
    missed_orders = await orders.mark_missed(now)
    missed = await detect.missed_meals(now)
    low = await detect.low_balances(now)
    written = await outbox.report(now)
    delivered = await outbox.deliver(now)
    return Run(expired, missed, low, written, delivered.sent, delivered.failed, missed_orders)


@dataclass
class Heartbeat:
    """When this process's task started and last finished a run: ``/readyz`` calls a process
    whose task has stopped finishing runs not ready."""

    seconds: float
    started_at: datetime
    last_run_at: datetime | None = None

    def stalled(self, now: datetime) -> bool:
        """No run finished in three intervals (counted from the start before the first)."""
        since = self.last_run_at or self.started_at
        return (now - since).total_seconds() > 3 * self.seconds


async def run_every(heartbeat: Heartbeat) -> None:
    """Run forever, ``heartbeat.seconds`` apart (the first run after one interval); a failed
    run is logged and the next one tries again."""
    while True:
        await asyncio.sleep(heartbeat.seconds)
        try:
            run = await run_once()
        except Exception:
            log.exception("periodic run failed; trying again in %s s", heartbeat.seconds)
            continue
        heartbeat.last_run_at = clock.now()
        metrics.PERIODIC_LAST_RUN.set(heartbeat.last_run_at.timestamp())
        if run != Run(0, 0, 0, 0, 0, 0):
            log.info("periodic run: %s", run)
