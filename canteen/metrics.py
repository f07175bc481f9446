"""The process's Prometheus metrics (``/metrics``), named and described once.

Several worker processes serve one port, and a scrape reaches any one of them, so with
``canteen serve --workers N`` each process writes its figures to files in
``PROMETHEUS_MULTIPROC_DIR`` (set by ``canteen.server`` before the workers start) and the scrape
sums them. Nothing here names a diner: labels are routes, methods, statuses and payment kinds.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram(
    "canteen_request_duration_seconds",
    "Time to answer a request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SALES = Counter(
    "canteen_sales_total",
    "Meals sold (a replayed Idempotency-Key is not a sale), by how the diner paid.",
    ["payment"],
)
OUTBOX = Gauge(
    "canteen_outbox_notifications",
    "Notifications in the outbox by status (pending, failed), counted at the scrape.",
    ["status"],
    multiprocess_mode="mostrecent",
)
PERIODIC_LAST_RUN = Gauge(
    "canteen_periodic_last_run_timestamp_seconds",
    "When the periodic task (expiry, alerts, outbox) last finished a run, in Unix time.",
    multiprocess_mode="max",
)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format: this process's, or every worker's summed."""
    if os.environ.get(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
