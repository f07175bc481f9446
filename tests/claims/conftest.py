import pytest

from tests.reports.scenario import October, october


@pytest.fixture
async def oct_2025(admin, as_role) -> October:
    return await october(admin, as_role)
