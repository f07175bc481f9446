from tests.reports.conftest import (  # noqa: F401 (fixtures: October's meals and claim)
    database_fill,
    oct_2025,
    october_fill,
)
