"""``canteen serve``: uvicorn with the fast HTTP parser, the uvloop event loop, no Nagle, and
several workers that share the connections between them.

With several workers uvicorn binds the listening socket itself with ``socket.socket()``,
whose protocol number is 0, and asyncio turns on ``TCP_NODELAY`` only for sockets that say
``IPPROTO_TCP``: every response then waited for the client's delayed ACK (40 ms on Linux),
and a quote took 48 ms on two workers against 6 ms on one. The protocol below sets it on
every TCP connection, whoever bound the socket.

uvicorn's workers also share that one listening socket, and the kernel hands each new
connection to whichever worker wakes first: the same one, while it is not saturated. nginx's
keep-alive connections to the app, or a benchmark's eight, then all sat on one worker while
the other idled (counted with ``ss``: 8 of 8), and two workers sold no more than one. Here
each worker listens on a socket of its own on the same port (``SO_REUSEPORT``), and the
kernel spreads connections over them by their addresses.
"""

import logging
import os
import socket
import sys
import tempfile
from asyncio import BaseTransport
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from canteen import logs
from canteen.metrics import MULTIPROCESS_DIR

log = logging.getLogger("canteen.server")


class NoDelayHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, sending each response at once."""

    def connection_made(self, transport: BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]


class WorkerListener(socket.socket):
    """A socket on the serving port that each worker process opens anew for itself.

    uvicorn's supervisor hands its sockets to every worker it starts (and restarts) by
    pickling them; pickled, this one says "bind the same address again", so each worker gets
    a listener of its own in the port's ``SO_REUSEPORT`` group. The supervisor's own copy
    is bound but never listens, so it holds the port and takes no connection.
    """

    @classmethod
    def reserve(cls, host: str, port: int) -> "WorkerListener":
        """The supervisor's copy, once the port is known to be free: a server already on it
        (say an older release left running) must stop this one, not share its connections."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
            port = probe.getsockname()[1]
        return cls.bind_to(host, port)

    @classmethod
    def bind_to(cls, host: str, port: int) -> "WorkerListener":
        sock = cls(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        return sock

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, tuple[str, int]]:
        host, port = self.getsockname()[:2]
        return WorkerListener.bind_to, (host, port)


def serve(host: str, port: int, workers: int, log_level: str) -> None:
    """Serve the app until stopped, in ``workers`` processes, logging JSON lines (the app
    writes its own access line, with the route template instead of the query string).

    Several workers write their metrics to a directory of their own, made fresh here before
    they start, so a scrape of any one of them sums them all (``canteen.metrics``).
    """
    config = uvicorn.Config(
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
    if workers == 1:
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            sys.exit(STARTUP_FAILURE)
        return
    os.environ[MULTIPROCESS_DIR] = tempfile.mkdtemp(prefix="canteen-metrics-")
    try:
        listener = WorkerListener.reserve(host, port)
    except OSError as error:
        log.error("cannot serve on %s:%d: %s", host, port, error)
        sys.exit(STARTUP_FAILURE)
    log.info("serving on http://%s:%d with %d workers", host, port, workers)
    Multiprocess(config, sockets=[listener]).run()
