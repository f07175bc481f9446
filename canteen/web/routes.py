"""Every page's route, in one list."""

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from canteen.web import login, pages

ROUTES = [
    Route("/", pages.home, methods=["GET"]),
    Route("/docs", pages.api_docs, methods=["GET"]),
    Route("/login", login.login, methods=["GET", "POST"]),
    Route("/logout", login.logout, methods=["POST"]),
    Mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static"),
]
