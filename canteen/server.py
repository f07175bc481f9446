"""``canteen serve``: uvicorn with the fast HTTP parser, the uvloop event loop, and no Nagle.

With several workers uvicorn binds the listening socket itself with ``socket.socket()``,
whose protocol number is 0, and asyncio turns on ``TCP_NODELAY`` only for sockets that say
``IPPROTO_TCP``: every response then waited for the client's delayed ACK (40 ms on Linux),
and a quote took 48 ms on two workers against 6 ms on one. The protocol below sets it on
every TCP connection, whoever bound the socket.
"""

import os
import socket
import tempfile
from asyncio import BaseTransport

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from canteen import logs
from canteen.metrics import MULTIPROCESS_DIR


class NoDelayHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, sending each response at once."""

    def connection_made(self, transport: BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]


def serve(host: str, port: int, workers: int, log_level: str) -> None:
    """Serve the app until stopped, in ``workers`` processes, logging JSON lines (the app
    writes its own access line, with the route template instead of the query string).

    Several workers write their metrics to a directory of their own, made fresh here before
    they start, so a scrape of any one of them sums them all (``canteen.metrics``).
    """
    if workers > 1:
        os.environ[MULTIPROCESS_DIR] = tempfile.mkdtemp(prefix="canteen-metrics-")
    uvicorn.run(
        "canteen.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        log_config=logs.config(log_level),
        access_log=False,
        http=NoDelayHttpProtocol,
        loop="uvloop",
    )
