"""Every policy file in docs/policies/ parses, and prices its own sample meals exactly."""

from pathlib import Path
from typing import Any

import pytest

from canteen.policies import engine, files

POLICY_DIR = Path(__file__).resolve().parents[2] / "docs" / "policies"
POLICY_FILES = sorted(POLICY_DIR.glob("*.toml"))
EXPECTED_FILES = {
    "guangzhou-2020.toml",
    "guangzhou-2025.toml",
    "beijing.toml",
    "shenzhen-futian.toml",
    "hefei.toml",
    "minzhucun.toml",
    "shanghai-putuo.toml",
}


def _examples() -> list[Any]:
    cases = []
    for path in POLICY_FILES:
        for number, example in enumerate(files.read(path).get("examples", []), start=1):
            # pytest escapes the Chinese name in the id; the number finds the example too.
            name = f"{path.stem} #{number}: {example['name']}"
            cases.append(pytest.param(path, example, id=name))
    return cases


def _diner(raw: dict[str, Any]) -> engine.Diner:
    return engine.Diner(
        age=raw["age"],
        categories=frozenset(raw.get("categories", ())),
        disability_level=raw.get("disability_level"),
        district=raw.get("district", ""),
        street=raw.get("street", ""),
    )


def _meal(raw: dict[str, Any]) -> engine.Meal:
    return engine.Meal(
        canteen_id=raw["canteen_id"],
        canteen_district=raw["canteen_district"],
        canteen_street=raw["canteen_street"],
        meal_type=raw["meal_type"],
        price_fen=raw["price_fen"],
        tags=frozenset(raw.get("tags", ())),
    )


def _lines(lines: tuple[engine.Line, ...]) -> list[dict[str, Any]]:
    return [{"rule": x.rule, "funder": x.funder, "amount_fen": x.amount_fen} for x in lines]


def test_the_seven_documented_policies_are_there() -> None:
    assert {path.name for path in POLICY_FILES} >= EXPECTED_FILES


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.stem)
def test_the_file_parses_and_names_its_source(path: Path) -> None:
    files.parse(files.read(path))
    assert path.read_text(encoding="utf-8").startswith("#"), "the file must open with its source"


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.stem)
def test_the_file_has_at_least_three_uniquely_named_examples(path: Path) -> None:
    names = [example["name"] for example in files.read(path).get("examples", [])]
    assert len(names) >= 3
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(("path", "example"), _examples())
def test_the_example_is_priced_exactly(path: Path, example: dict[str, Any]) -> None:
    known = {"name", "diner", "meal", "usage", "lines", "operator_lines", "pay_fen", "warnings"}
    assert set(example) <= known, f"unknown keys {set(example) - known}"
    policy = files.parse(files.read(path))
    usage = {code: engine.Usage(**counts) for code, counts in example.get("usage", {}).items()}
    assert set(usage) <= {rule.code for rule in policy.rules}, "usage names an unknown rule"

    pricing = engine.price(policy, _diner(example["diner"]), _meal(example["meal"]), usage)

    assert _lines(pricing.lines) == example["lines"]
    assert _lines(pricing.operator_lines) == example.get("operator_lines", [])
    assert pricing.pay_fen == example["pay_fen"]
    assert list(pricing.warnings) == example.get("warnings", [])
    assert pricing.price_fen == example["meal"]["price_fen"]
