"""The counter's engine (engine.js, run by node) prices every case exactly as engine.py does:
random policies, diners, meals and limit usage from the engine's own strategies, and every
sample meal of every policy in docs/policies/. One node run per batch of cases."""

import json
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canteen.policies import engine, files
from canteen.policies.schema import PolicyDocument
from tests.policies.test_engine import diners, meals, policies, usages
from tests.policies.test_examples import POLICY_FILES, _diner, _meal

RUNNER = Path(__file__).with_name("engine_runner.mjs")
NODE = shutil.which("node") or "/usr/bin/node"
Case = tuple[PolicyDocument, engine.Diner, engine.Meal, dict[str, engine.Usage]]


def _as_json(case: Case) -> dict[str, Any]:
    policy, diner, meal, usage = case
    return {
        "policy": policy.model_dump(mode="json"),
        "diner": {**asdict(diner), "categories": sorted(diner.categories)},
        "meal": {**asdict(meal), "tags": sorted(meal.tags)},
        "usage": {code: asdict(used) for code, used in usage.items()},
    }


def _expected(case: Case) -> dict[str, Any]:
    priced = engine.price(*case)
    return {
        "price_fen": priced.price_fen,
        "lines": [asdict(line) for line in priced.lines],
        "operator_lines": [asdict(line) for line in priced.operator_lines],
        "warnings": list(priced.warnings),
        "limits_reached": list(priced.limits_reached),
        "subsidy_fen": priced.subsidy_fen,
        "pay_fen": priced.pay_fen,
    }


def _priced_in_node(cases: list[Case]) -> list[dict[str, Any]]:
    done = subprocess.run(
        [NODE, str(RUNNER)],
        input=json.dumps([_as_json(case) for case in cases]),
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def _assert_same(cases: list[Case]) -> None:
    for case, got in zip(cases, _priced_in_node(cases), strict=True):
        assert got == _expected(case), _as_json(case)


def _examples() -> list[Case]:
    cases: list[Case] = []
    for path in POLICY_FILES:
        raw = files.read(path)
        policy = files.parse(raw)
        for example in raw.get("examples", []):
            used = {
                code: engine.Usage(**counts) for code, counts in example.get("usage", {}).items()
            }
            cases.append((policy, _diner(example["diner"]), _meal(example["meal"]), used))
    return cases


def _tie() -> Case:
    """Two rules paying the same under ``highest``: the first listed is taken."""
    same = [
        {"code": code, "label": code, "funder": funder, "amount_fen": 300}
        for code, funder in (("first", "district"), ("second", "city"))
    ]
    raw = {"name": "tie", "effective_from": "2026-01-01", "stacking": "highest", "rules": same}
    meal = engine.Meal(1, "", "", "lunch", 1000)
    return files.parse(raw), engine.Diner(age=70), meal, {}


EXAMPLES = [*_examples(), _tie()]
CASES = st.lists(st.tuples(policies(), diners, meals, usages), min_size=60, max_size=60)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASES)
def test_the_counter_prices_every_case_as_the_server_does_to_the_fen(cases: list[Case]) -> None:
    assert len(EXAMPLES) >= len(POLICY_FILES)
    _assert_same(EXAMPLES + cases)


pytestmark = pytest.mark.skipif(not Path(NODE).exists(), reason="node is not installed")
