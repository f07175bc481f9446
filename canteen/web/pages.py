"""Server-rendered pages. Thin handlers over the same services the API uses."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

_HERE = Path(__file__).parent
templates = Environment(
    loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape(), auto_reload=False
)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def render(name: str, **context: object) -> HTMLResponse:
    return HTMLResponse(templates.get_template(name).render(**context), headers=SECURITY_HEADERS)


async def home(request: Request) -> Response:
    return render("home.html")


async def api_docs(request: Request) -> Response:
    """The API reference, rendered from the OpenAPI document (no CDN, no script)."""
    doc = request.app.state.openapi
    operations = [
        {"method": method.upper(), "path": path, **op}
        for path, methods in doc["paths"].items()
        for method, op in methods.items()
    ]
    return render("api_docs.html", doc=doc, operations=operations)


ROUTES = [
    Route("/", home, methods=["GET"]),
    Route("/docs", api_docs, methods=["GET"]),
    Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
]
