"""What a district's IT asks of a running server: ``/readyz``, ``/metrics``, the request id, and
JSON log lines that name no one (canteen/operations.py, canteen/http/observe.py, canteen/logs.py).
"""

import json
import logging
import re
from datetime import timedelta

import pytest

from canteen import clock, logs, operations
from canteen.alerts.models import Notification
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from tests.checkout.conftest import open_counter
from tests.factories import id_number


async def test_ready_on_a_migrated_database(client):
    r = await client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "periodic": "ok"},
    }


async def test_not_ready_while_the_database_lacks_this_releases_migration(app, client):
    """A release one migration ahead of the database (its ``canteen init`` not yet run)."""
    newest = int(app.state.migrations.head.split("_")[0])
    head = f"{newest + 1}_20991231000000_next_release.py"
    app.state.migrations = operations.Migrations(head)
    r = await client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["status"] == "not_ready"
    assert head in r.json()["checks"]["migrations"]
    assert "canteen init" in r.json()["checks"]["migrations"]


async def test_not_ready_when_the_periodic_task_stops_finishing_runs(app, client):
    app.state.heartbeat.started_at = clock.now() - timedelta(hours=1)
    r = await client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["checks"]["periodic"].startswith("no run finished in 900 s")
    app.state.heartbeat.last_run_at = clock.now()
    assert (await client.get("/readyz")).status_code == 200


def _samples(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(name + "{")]


async def test_metrics_time_requests_by_route_template_never_by_the_path_asked(client):
    await client.get("/api/v1/diners/987654321")  # 401: no login, still counted
    await client.get("/no/such/place/13800138000")
    r = await client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    counts = _samples(r.text, "canteen_request_duration_seconds_count")
    assert any('route="/api/v1/diners/{diner_id:int}"' in line for line in counts), counts
    assert any('route="unmatched"' in line for line in counts)
    assert "987654321" not in r.text and "13800138000" not in r.text


async def test_metrics_count_the_outbox_at_the_scrape(client):
    diner = await diners.enrol(SYSTEM, name="周桂兰", id_number=id_number("19440404"))
    now = clock.now()
    for status in ("pending", "pending", "failed", "sent"):
        await Notification.create(
            kind="missed_meal",
            diner_id=diner.id,
            channel="log",
            payload={},
            status=status,
            next_attempt_at=now,
            created_at=now,
            sent_at=now if status == "sent" else None,
        )
    text = (await client.get("/metrics")).text
    assert 'canteen_outbox_notifications{status="pending"} 2.0' in text
    assert 'canteen_outbox_notifications{status="failed"} 1.0' in text
    assert "周桂兰" not in text


async def test_each_answer_carries_its_request_id(client):
    given = await client.get("/healthz", headers={"X-Request-ID": "nginx-4f1c2a9e77"})
    assert given.headers["x-request-id"] == "nginx-4f1c2a9e77"
    forged = await client.get("/healthz", headers={"X-Request-ID": "x\nlevel: critical"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["x-request-id"])


async def test_the_access_line_names_the_route_and_not_the_search(client, caplog):
    with caplog.at_level(logging.INFO, logger="canteen.access"):
        r = await client.get("/api/v1/diners", params={"q": "周桂兰 13800138000"})
    line = next(rec for rec in caplog.records if rec.name == "canteen.access")
    entry = json.loads(logs.JsonFormatter().format(line))
    assert entry["route"] == "/api/v1/diners" and entry["status"] == r.status_code
    assert entry["request_id"] == r.headers["x-request-id"]
    assert "周桂兰" not in json.dumps(entry, ensure_ascii=False)
    assert "13800138000" not in json.dumps(entry)


def test_a_log_line_is_one_json_object_with_its_request_id():
    token = logs.request_id.set("abc12345")
    try:
        record = logging.LogRecord(
            "canteen.x", logging.WARNING, __file__, 1, "%s fell", ("it",), None
        )
        record.canteen_id = 3
        entry = json.loads(logs.JsonFormatter().format(record))
    finally:
        logs.request_id.reset(token)
    assert entry["message"] == "it fell" and entry["level"] == "warning"
    assert entry["request_id"] == "abc12345" and entry["canteen_id"] == 3
    assert "\n" not in logs.JsonFormatter().format(record)


@pytest.mark.parametrize("level", ["info", "warning"])
def test_uvicorn_takes_the_same_json_logging(level):
    logging.config.dictConfig(logs.config(level))
    root = logging.getLogger()
    assert isinstance(root.handlers[0].formatter, logs.JsonFormatter)
    assert root.level == getattr(logging, level.upper())


async def test_metrics_count_a_sale_once_however_often_the_till_asks(admin, as_role, client):
    """A sale sent twice with one Idempotency-Key: one sale in the figures."""

    def sold(text: str) -> float:
        lines = _samples(text, "canteen_sales_total")
        return sum(float(x.rsplit(" ", 1)[1]) for x in lines if 'payment="account"' in x)

    before = sold((await client.get("/metrics")).text)
    counter = await open_counter(admin, as_role)
    for _ in range(2):
        r = await counter.cashier.post(
            "/meals", counter.order(), headers={"Idempotency-Key": "k-metrics-1"}
        )
        assert r.status_code == 201, r.text
    assert sold((await client.get("/metrics")).text) == before + 1
