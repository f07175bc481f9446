import pytest

from canteen.cards import printing


@pytest.fixture
def fresh_font_lookup():
    """Fonts are looked up once per process; a test that hides them needs a fresh look-up."""
    printing.find_fonts.cache_clear()
    yield
    printing.find_fonts.cache_clear()
