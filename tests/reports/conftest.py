from pathlib import Path

import httpx
import pytest

from tests.conftest import Fill
from tests.reports.scenario import October, october


@pytest.fixture(scope="module")
def october_fill(tmp_path_factory: pytest.TempPathFactory) -> Fill:
    """October built once per module and kind of database (``tests.conftest.Fill``)."""
    folder: Path = tmp_path_factory.mktemp("october")
    return Fill(october, folder)


@pytest.fixture
def database_fill(october_fill: Fill) -> Fill:
    return october_fill


@pytest.fixture
async def oct_2025(database_fill: Fill, database_url: str, client: httpx.AsyncClient) -> October:
    """October's meals and claim, on a database of the test's own."""
    return database_fill.state(database_url, client)
