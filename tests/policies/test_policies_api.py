"""Policies through the API and the command line: adopt, find the one in force, never edit."""

import json
import subprocess
import sys
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from canteen import clock

TODAY = clock.today(ZoneInfo("Asia/Shanghai"))


def policy(effective_from: date | None = None, **over):
    return {
        "name": "2026 district elder-meal policy",
        "effective_from": str(effective_from or TODAY + timedelta(days=7)),
        "stacking": "highest",
        "rules": [
            {
                "code": "age80",
                "label": "80 岁及以上",
                "when": {"min_age": 80},
                "amount_fen": 500,
                "funder": "district",
                "meal_types": ["lunch", "dinner"],
                "daily_limit": 1,
            },
            {
                "code": "low_income",
                "label": "低保",
                "when": {"categories_any": ["low_income"]},
                "percent": 50,
                "funder": "district",
                "daily_limit": 2,
            },
            {
                "code": "op_discount",
                "label": "运营方让利",
                "when": {"min_age": 60},
                "amount_fen": 100,
                "funder": "operator",
                "stack_always": True,
            },
        ],
        **over,
    }


async def test_the_api_example_is_adopted_as_written(admin):
    r = await admin.post("/policies", policy())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["stacking"] == "highest" and [rule["code"] for rule in body["rules"]] == [
        "age80",
        "low_income",
        "op_discount",
    ]
    assert body["in_force"] is False
    assert (await admin.get(f"/policies/{body['id']}")).json() == body
    assert [p["id"] for p in (await admin.get("/policies")).json()["items"]] == [body["id"]]


async def test_today_is_the_earliest_start(admin):
    r = await admin.post("/policies", policy(TODAY - timedelta(days=1)))
    assert r.status_code == 422 and r.json()["code"] == "effective_from_in_past"
    r = await admin.post("/policies", policy(TODAY))
    assert r.status_code == 201 and r.json()["in_force"] is True


async def test_two_policies_cannot_start_on_one_day(admin):
    assert (await admin.post("/policies", policy())).status_code == 201
    r = await admin.post("/policies", policy(name="another"))
    assert r.status_code == 409 and r.json()["code"] == "policy_exists"


async def test_the_policy_in_force_is_the_latest_started_one(admin):
    first = (await admin.post("/policies", policy(TODAY))).json()["id"]
    later = (await admin.post("/policies", policy(TODAY + timedelta(days=30)))).json()["id"]
    assert (await admin.get("/policies/current")).json()["id"] == first
    assert (await admin.get(f"/policies/current?date={TODAY + timedelta(days=29)}")).json()[
        "id"
    ] == first
    assert (await admin.get(f"/policies/current?date={TODAY + timedelta(days=30)}")).json()[
        "id"
    ] == later
    r = await admin.get(f"/policies/current?date={TODAY - timedelta(days=1)}")
    assert r.status_code == 404 and r.json()["code"] == "no_policy"


@pytest.mark.parametrize(
    ("rule_change", "field"),
    [
        ({"percent": 20}, "rules.0.amount_fen"),
        ({"funder": "town"}, "rules.0.funder"),
        ({"when": {"min_age": 90, "max_age": 80}}, "rules.0.when.max_age"),
        ({"when": {"categories_any": ["rich"]}}, "rules.0.when.categories_any"),
        ({"meal_types": ["supper"]}, "rules.0.meal_types.0"),
        ({"amount_fen": -5}, "rules.0.amount_fen"),
        ({"colour": "red"}, "rules.0.colour"),
    ],
)
async def test_an_ill_formed_policy_names_the_rule_and_field(admin, rule_change, field):
    doc = policy()
    doc["rules"][0] = {**doc["rules"][0], **rule_change}
    r = await admin.post("/policies", doc)
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]


async def test_there_is_no_way_to_edit_a_policy(admin):
    created = (await admin.post("/policies", policy(TODAY))).json()
    for method in ("PATCH", "PUT", "DELETE"):
        r = await admin.request(method, f"/policies/{created['id']}", json={"name": "changed"})
        assert r.status_code == 405
    assert (await admin.get(f"/policies/{created['id']}")).json() == created


@pytest.mark.parametrize("role", ["manager", "cashier", "family"])
async def test_only_admin_and_staff_adopt_policies(admin, as_role, role):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    someone = await as_role(role, canteen_id=canteen if role != "family" else None)
    assert (await someone.post("/policies", policy())).status_code == 403


def test_policy_check_prints_problems_and_exits_non_zero(tmp_path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(policy()), encoding="utf-8")
    doc = policy()
    doc["rules"][1]["funder"] = "town"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "canteen.cli", "policy", "check", str(good)],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "OK" in ok.stdout
    no = subprocess.run(
        [sys.executable, "-m", "canteen.cli", "policy", "check", str(bad)],
        capture_output=True,
        text=True,
    )
    assert no.returncode != 0 and "rules.1.funder" in no.stderr and "low_income" in no.stderr
