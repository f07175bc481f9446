"""``canteen serve``: uvicorn with the fast HTTP parser, the uvloop event loop, and no Nagle.

With several workers uvicorn binds the listening socket itself with ``socket.socket()``,
whose protocol number is 0, and asyncio turns on ``TCP_NODELAY`` only for sockets that say
``IPPROTO_TCP``: every response then waited for the client's delayed ACK (40 ms on Linux),
and a quote took 48 ms on two workers against 6 ms on one. The protocol below sets it on
every TCP connection, whoever bound the socket.
"""

import socket
from asyncio import BaseTransport

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, sending each response at once."""

    def connection_made(self, transport: BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]


def serve(host: str, port: int, workers: int, log_level: str) -> None:
    """Serve the app until stopped, in ``workers`` processes."""
    uvicorn.run(
        "canteen.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        http=NoDelayHttpProtocol,
        loop="uvloop",
    )
