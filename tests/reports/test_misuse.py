"""reports.misuse: each signal on a small hand-made set of meals."""

from reports import loaders, misuse
from tests.reports.frames import canteens, frame, meal, meals

PLACES = canteens((1, "越秀区", "北京街"), (2, "越秀区", "六榕街"), (3, "海珠区", "南华西街"))


def test_one_card_at_two_canteens_within_the_window():
    found = misuse.card_at_two_canteens(
        meals(
            meal(1, 7, 1, "2025-10-01T12:00"),
            meal(2, 7, 2, "2025-10-01T12:40"),  # 40 minutes later elsewhere: flagged
            meal(3, 7, 2, "2025-10-02T12:00"),
            meal(4, 7, 1, "2025-10-02T14:30"),  # 2.5 hours later: not
            meal(5, 8, 1, "2025-10-01T12:05"),
            meal(6, 8, 1, "2025-10-01T12:10"),  # same canteen: not
            meal(7, 9, 3, "2025-10-01T12:00", card_id=None, manual=True),
            meal(8, 9, 1, "2025-10-01T12:10", card_id=None, manual=True),  # no card: not
        ),
        window_minutes=60,
    )
    assert found == [
        {
            "kind": "card_at_two_canteens",
            "diner_id": 7,
            "card_id": 107,
            "local_date": "2025-10-01",
            "canteen_ids": [1, 2],
            "code": "card_at_two_canteens",
            "numbers": {"canteens": 2, "window_minutes": 60},
            "detail": "card used at 2 canteens within 60 minutes",
            "meal_ids": [1, 2],
        }
    ]


def test_meals_while_marked_deceased_or_suspended():
    changes = frame(
        loaders.STATUS_CHANGES,
        [
            {"diner_id": 7, "at": "2025-10-02T00:00:00+08:00", "status": "suspended"},
            {"diner_id": 7, "at": "2025-10-05T00:00:00+08:00", "status": "active"},
            {"diner_id": 8, "at": "2025-10-03T09:00:00+08:00", "status": "deceased"},
        ],
    )
    eaten = meals(
        meal(1, 7, 1, "2025-10-01T12:00"),
        meal(2, 7, 1, "2025-10-03T12:00"),  # suspended
        meal(3, 7, 1, "2025-10-06T12:00"),  # active again
        meal(4, 8, 1, "2025-10-03T08:30"),
        meal(5, 8, 1, "2025-10-04T12:00"),  # after death was recorded
    )
    found = misuse.meal_after_status(eaten, changes)
    assert [(s["diner_id"], s["status"], s["meal_ids"]) for s in found] == [
        (7, "suspended", [2]),
        (8, "deceased", [5]),
    ]
    assert [(s["code"], s["numbers"]) for s in found] == [
        ("meal_after_suspended", {"meals": 1}),
        ("meal_after_deceased", {"meals": 1}),
    ]


def test_manual_sales_above_the_usual_rate():
    rows = []
    for i in range(40):  # canteen 1: 40 meals, 2 manual (5%); canteen 2: 20 meals, 8 manual
        rows.append(meal(i, 100 + i % 10, 1, f"2025-10-{1 + i % 28:02d}T12:00", manual=i < 2))
    for i in range(20):
        rows.append(meal(100 + i, 200 + i % 5, 2, f"2025-10-{1 + i % 28:02d}T12:00", manual=i < 8))
    found = misuse.manual_rate(meals(*rows))
    canteen = [s for s in found if s["kind"] == "manual_rate_canteen"]
    assert [s["canteen_ids"] for s in canteen] == [[2]]
    assert canteen[0]["numbers"] == {"manual": 8, "meals": 20, "rate_pct": 40.0, "usual_pct": 5.0}
    assert canteen[0]["detail"] == "8 of 20 sales without a card (40.0% against 5.0% elsewhere)"
    assert canteen[0]["meal_ids"] == list(range(100, 108))
    # diners 200-204 ate 4 meals each; 200, 201 and 202 had 2 manual sales, 203 and 204 one:
    # at least 3 are needed, so none is flagged; give diner 200 a third.
    assert [s for s in found if s["kind"] == "manual_rate_diner"] == []
    rows.append(meal(500, 200, 2, "2025-10-29T12:00", manual=True))
    flagged = [s for s in misuse.manual_rate(meals(*rows)) if s["kind"] == "manual_rate_diner"]
    assert [(s["diner_id"], s["meal_ids"]) for s in flagged] == [(200, [100, 105, 500])]
    assert flagged[0]["numbers"] == {"manual": 3, "meals": 5, "usual_pct": 11 * 100 / 61}
    assert flagged[0]["detail"] == "3 of 5 meals without a card (usual: 18.0%)"


def test_a_diner_fed_far_more_than_the_rest():
    rows, n = [], 0
    for d in range(10):
        for day in range(1, 6):
            rows.append(meal(n, d, 1, f"2025-10-{day:02d}T12:00"))
            n += 1
    for day in range(1, 6):  # diner 99: four meals a day
        for hour in (8, 12, 15, 18):
            rows.append(meal(n, 99, 1, f"2025-10-{day:02d}T{hour:02d}:00"))
            n += 1
    found = misuse.fed_far_more(meals(*rows))
    assert [(s["diner_id"], len(s["meal_ids"])) for s in found] == [(99, 20)]
    assert "4.00 a day" in found[0]["detail"]
    assert found[0]["code"] == "fed_far_more"
    assert {k: found[0]["numbers"][k] for k in ("meals", "days", "per_day")} == {
        "meals": 20,
        "days": 5,
        "per_day": 4.0,
    }


def test_subsidised_in_two_districts_on_one_day():
    found = misuse.subsidised_in_two_districts(
        meals(
            meal(1, 7, 1, "2025-10-01T12:00"),
            meal(2, 7, 3, "2025-10-01T17:30"),  # 海珠区 the same day
            meal(3, 8, 1, "2025-10-01T12:00"),
            meal(4, 8, 2, "2025-10-01T17:30"),  # another street, the same district: not
            meal(5, 9, 1, "2025-10-01T12:00"),
            meal(6, 9, 3, "2025-10-01T17:30", subsidy_fen=0, pay_fen=1200),  # unsubsidised
        ),
        PLACES,
    )
    assert [(s["diner_id"], s["meal_ids"], s["detail"]) for s in found] == [
        (7, [1, 2], "subsidised in 海珠区, 越秀区")
    ]
    assert (found[0]["numbers"], found[0]["districts"]) == ({"districts": 2}, ["海珠区", "越秀区"])


def test_signals_counts_every_kind():
    result = misuse.signals(meals(), PLACES, frame(loaders.STATUS_CHANGES, []))
    assert result["counts"] == dict.fromkeys(misuse.KINDS, 0) and result["signals"] == []
