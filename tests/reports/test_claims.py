"""reports.claims on hand-made roll-up frames: rows, totals and the per-diner sheet."""

from hypothesis import given
from hypothesis import strategies as st

from reports import claims, loaders
from tests.reports.frames import claim_day, claim_days, diner, diners, frame

# Canteen 1, two days. Meal X (day 1): city 300 + district 300 + street 500.
# Meal Y (day 1): city 300 + district 300. Meal Z (day 2): city 300, district pays the
# canteen 200 on top. So district's meals: X, Y, Z (its first lines: X's, Y's, Z's).
DAYS = claim_days(
    claim_day(1, "2025-10-01", "city", "city", "diner", 2, 600, 2, 2),
    claim_day(1, "2025-10-01", "district", "district", "diner", 2, 600, 2, 0),
    claim_day(1, "2025-10-01", "street", "street_poor", "diner", 1, 500, 1, 0),
    claim_day(1, "2025-10-02", "city", "city", "diner", 1, 300, 1, 1),
    claim_day(1, "2025-10-02", "district", "service", "operator", 1, 200, 1, 0),
    claim_day(2, "2025-10-02", "city", "city", "diner", 0, 0, 0, 0),  # emptied by a void
)


def test_rows_group_days_by_canteen_funder_rule_and_pays_dropping_empty_ones():
    found = claims.rows(DAYS)
    assert [tuple(r) for r in found.itertuples(index=False)] == [
        (1, "city", "city", "diner", 3, 900),
        (1, "district", "district", "diner", 2, 600),
        (1, "district", "service", "operator", 1, 200),
        (1, "street", "street_poor", "diner", 1, 500),
    ]
    assert str(found["subsidy_fen"].dtype) == "int64"


def test_totals_count_each_meal_once_and_sum_to_the_fen():
    assert claims.totals(DAYS) == {
        "meals": 3,
        "subsidy_fen": 2200,
        "by_funder": {"city": 900, "district": 800, "street": 500},
        "by_funder_meals": {"city": 3, "district": 3, "street": 1},
        "by_pays": {"diner": 2000, "operator": 200},
    }


def test_the_report_document_labels_rules_and_marks_who_is_paid():
    report = claims.report("2025-10", DAYS, {"street_poor": "街道补贴: 特困"}, canteen_id=1)
    assert report["month"] == "2025-10" and report["canteen_id"] == 1
    street = next(r for r in report["rows"] if r["rule"] == "street_poor")
    assert street == {
        "canteen_id": 1,
        "funder": "street",
        "rule": "street_poor",
        "label": "街道补贴: 特困",
        "pays": "diner",
        "meals": 1,
        "subsidy_fen": 500,
    }
    assert next(r for r in report["rows"] if r["rule"] == "service")["pays"] == "operator"


def test_an_empty_month_is_zero_not_an_error():
    empty = claims.report("2025-02", claim_days())
    assert empty["rows"] == [] and empty["totals"]["subsidy_fen"] == 0
    assert empty["totals"]["by_funder"] == {}


def test_per_diner_detail_names_and_masks():
    detail = frame(
        loaders.DINER_DETAIL,
        [
            {
                "diner_id": 7,
                "canteen_id": 1,
                "funder": "city",
                "rule": "city",
                "pays": "diner",
                "meals": 2,
                "subsidy_fen": 600,
            },
            {
                "diner_id": 3,
                "canteen_id": 1,
                "funder": "street",
                "rule": "s",
                "pays": "diner",
                "meals": 1,
                "subsidy_fen": 500,
            },
        ],
    )
    people = diners(diner(3, "1940-01-01"), diner(7, "1950-05-05", district="海珠区"))
    found = claims.diner_detail(detail, people)
    assert list(found.columns) == claims.DETAIL_COLUMNS
    assert found["diner_id"].tolist() == [3, 7]
    assert found.iloc[1]["name"] == "长者7" and found.iloc[1]["district"] == "海珠区"
    assert found.iloc[0]["id_number_masked"] == "**************0003"
    assert claims.detail_records(found)[1]["subsidy_fen"] == 600


FUNDERS = ("city", "district", "street", "operator")
day_rows = st.lists(
    st.tuples(
        st.integers(1, 3),  # canteen
        st.integers(1, 28),  # day
        st.sampled_from(FUNDERS),
        st.sampled_from(("a", "b", "c")),  # rule
        st.sampled_from(("diner", "operator")),
        st.integers(0, 50),  # meals
        st.integers(0, 10**9),  # fen
    ),
    max_size=40,
    unique_by=lambda r: r[:5],
)


@given(day_rows)
def test_each_funders_claim_is_its_share_of_the_months_report_to_the_fen(found):
    days = claim_days(
        *(
            claim_day(c, f"2025-10-{d:02d}", f, r, p, m, fen if m else 0, m, 0)
            for c, d, f, r, p, m, fen in found
        )
    )
    report = claims.report("2025-10", days)
    shares = {funder: claims.funder_claim(days, funder) for funder in FUNDERS}
    assert sum(s.subsidy_fen for s in shares.values()) == report["totals"]["subsidy_fen"]
    for funder, share in shares.items():
        assert share.subsidy_fen == report["totals"]["by_funder"].get(funder, 0)
        assert share.meals == report["totals"]["by_funder_meals"].get(funder, 0)
        assert share.rows == [
            {k: row[k] for k in ("canteen_id", "rule", "pays", "meals", "subsidy_fen")}
            for row in report["rows"]
            if row["funder"] == funder
        ]
