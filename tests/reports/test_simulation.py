"""reports.simulation: meals priced again under a draft, in order, against what was paid."""

from canteen.policies.schema import PolicyDocument
from reports import simulation
from tests.reports.frames import canteens, claim_day, claim_days, diner, diners, meal, meals


def policy(*rules: dict, stacking: str = "highest") -> PolicyDocument:
    return PolicyDocument.model_validate(
        {
            "name": "draft",
            "effective_from": "2030-01-01",
            "stacking": stacking,
            "rules": list(rules),
        }
    )


AGE80 = {"code": "age80", "label": "80+", "when": {"min_age": 80}, "amount_fen": 500,
         "funder": "district", "daily_limit": 1}  # fmt: skip
POOR = {"code": "poor", "label": "低保", "when": {"categories_any": ["low_income"]},
        "percent": 50, "funder": "street", "monthly_limit": 2}  # fmt: skip
HOME = {"code": "home", "label": "本街", "when": {"registered_in": "street"}, "amount_fen": 100,
        "funder": "street", "stack_always": True}  # fmt: skip

PEOPLE = diners(
    # 80 on 2025-10-02: 79 on the 1st, 80 from the 2nd
    diner(1, "1945-10-02"),
    diner(2, "1950-01-01", ["low_income"], street="华林街"),
)
PLACES = canteens((1, "越秀区", "北京街"))
MEALS = meals(
    meal(11, 1, 1, "2025-10-01T12:00"),  # 79: nothing but home 100
    meal(12, 1, 1, "2025-10-02T12:00"),  # 80 today: age80 500 + home 100
    meal(13, 1, 1, "2025-10-02T17:30", meal_type="dinner"),  # daily limit: home 100 only
    meal(21, 2, 1, "2025-10-01T12:00"),  # poor: 600 (50% of 1200), not home (华林街)
    meal(22, 2, 1, "2025-10-03T12:00"),  # poor: 600
    meal(23, 2, 1, "2025-10-04T12:00"),  # monthly limit of 2 reached: nothing
)


def test_each_meal_priced_in_order_with_age_on_the_day_and_limits():
    lines = simulation.reprice(policy(AGE80, POOR, HOME), MEALS, PEOPLE, PLACES, {})
    found = sorted((r.meal_id, r.rule, r.amount_fen) for r in lines.itertuples(index=False))
    assert found == [
        (11, "home", 100),
        (12, "age80", 500),
        (12, "home", 100),
        (13, "home", 100),
        (21, "poor", 600),
        (22, "poor", 600),
    ]
    assert str(lines["amount_fen"].dtype) == "int64"


def test_limits_count_in_the_order_sold_not_the_order_given():
    shuffled = MEALS.sample(frac=1, random_state=3)
    again = simulation.reprice(policy(AGE80, POOR, HOME), shuffled, PEOPLE, PLACES, {})
    assert int(again["amount_fen"].sum()) == 2000


def test_offering_tags_come_from_the_offering():
    soft = {"code": "soft", "label": "软食", "when": {"offering_tags_any": ["soft_food"]},
            "amount_fen": 200, "funder": "charity"}  # fmt: skip
    tagged = meals(
        meal(1, 1, 1, "2025-10-01T12:00", offering_id=5), meal(2, 1, 1, "2025-10-01T18:00")
    )
    lines = simulation.reprice(policy(soft), tagged, PEOPLE, PLACES, {5: frozenset({"soft_food"})})
    assert lines["meal_id"].tolist() == [1]


def test_compare_per_funder_category_and_canteen():
    # What was actually paid: district 1,000 over meals 12 and 22; street 600 on meal 21.
    paid = meals(
        meal(11, 1, 1, "2025-10-01T12:00", subsidy_fen=0, pay_fen=1200),
        meal(12, 1, 1, "2025-10-02T12:00", subsidy_fen=500, pay_fen=700),
        meal(13, 1, 1, "2025-10-02T17:30", subsidy_fen=0, pay_fen=1200),
        meal(21, 2, 1, "2025-10-01T12:00", subsidy_fen=600, pay_fen=600),
        meal(22, 2, 1, "2025-10-03T12:00", subsidy_fen=500, pay_fen=700),
        meal(23, 2, 1, "2025-10-04T12:00", subsidy_fen=0, pay_fen=1200),
    )
    actual = claim_days(
        claim_day(1, "2025-10-02", "district", "old", "diner", 2, 1000),
        claim_day(1, "2025-10-01", "street", "old_poor", "diner", 1, 600),
    )
    lines = simulation.reprice(policy(AGE80, POOR, HOME), paid, PEOPLE, PLACES, {})
    result = simulation.compare(paid, lines, actual, PEOPLE)
    assert (result["meals"], result["actual_fen"], result["simulated_fen"]) == (6, 1600, 2000)
    assert result["by_funder"] == [
        {"funder": "district", "actual_fen": 1000, "simulated_fen": 500, "change_fen": -500},
        {"funder": "street", "actual_fen": 600, "simulated_fen": 1500, "change_fen": 900},
    ]
    assert result["by_category"] == [
        {"category": "low_income", "diners": 1, "meals": 3, "actual_fen": 1100,
         "simulated_fen": 1200, "change_fen": 100},
        {"category": "none", "diners": 1, "meals": 3, "actual_fen": 500,
         "simulated_fen": 800, "change_fen": 300},
    ]  # fmt: skip
    # diners paid 5,600; they would pay 7,200 - 2,000 = 5,200
    assert result["diners_pay"] == {"actual_fen": 5600, "simulated_fen": 5200, "change_fen": -400}
    assert result["by_canteen"] == [
        {"canteen_id": 1, "meals": 6, "actual_fen": 1600, "simulated_fen": 2000, "change_fen": 400}
    ]
