"""What every load benchmark needs: a fresh database, a real server, clients, percentiles."""

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

from canteen import db

POSTGRES_URL = os.environ.get(
    "CANTEEN_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
)


@asynccontextmanager
async def fresh_database(kind: str) -> AsyncIterator[str]:
    """A migrated, empty database of ``kind`` (sqlite or postgres), removed afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="canteen-bench-"))
        url = f"sqlite://{folder / 'bench.sqlite3'}"
        try:
            await db.migrate(url)
            yield url
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"canteen_bench_{uuid.uuid4().hex[:10]}"
    admin_url = POSTGRES_URL.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(admin_url)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    url = POSTGRES_URL.rpartition("/")[0] + "/" + name
    try:
        await db.migrate(url)
        yield url
    finally:
        conn = await asyncpg.connect(admin_url)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


@asynccontextmanager
async def server(database_url: str, workers: int = 1) -> AsyncIterator[str]:
    """``canteen serve`` in its own process(es); yields its base URL."""
    port = 18000 + os.getpid() % 1000
    env = {**os.environ, "CANTEEN_DATABASE_URL": database_url, "CANTEEN_DB_POOL_SIZE": "16"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "canteen.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(process, url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


async def _wait_ready(process: subprocess.Popen, url: str, seconds: float = 120) -> None:
    """Until the server answers; a server that died or never answered stops the benchmark
    (on a busy machine two workers took over 15 s to start, and the clients then measured
    nothing but refused connections)."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode} at start")
            try:
                if (await client.get(url + "/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {seconds:.0f} s")


class Connection:
    """One keep-alive HTTP/1.1 connection that speaks just enough HTTP to load the server.

    The load generator must not eat the CPU the server needs (two cores here, no compiled
    generator such as ``wrk`` or ``oha`` installed): httpx spends about a millisecond of
    CPU on each request and its answer, this a tenth of that. The server answers every
    request of the benchmark with a ``Content-Length``, which is all it reads.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str):
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, base_url: str) -> "Connection":
        url = httpx.URL(base_url)
        assert url.port is not None
        reader, writer = await asyncio.open_connection(url.host, url.port)
        return cls(reader, writer, f"{url.host}:{url.port}")

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST ``body`` (JSON) to ``path``; the answer's status and body."""
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{head}\r\n".encode()
            + body
        )
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
        length = next(
            int(line.split(b":", 1)[1]) for line in lines if line[:15].lower() == b"content-length:"
        )
        return int(status_line.split(b" ", 2)[1]), await self.reader.readexactly(length)

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


@dataclass
class Figures:
    label: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    cpu_seconds: float
    """CPU used by this (the clients') process while it ran: the load generator's share."""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def line(self) -> str:
        return (
            f"{self.label:<44} {self.per_second:8.0f}/s  p50 {self.percentile(50):6.1f} ms  "
            f"p95 {self.percentile(95):6.1f} ms  p99 {self.percentile(99):6.1f} ms  "
            f"errors {self.errors}  client CPU {self.cpu_seconds / self.seconds:4.0%}"
        )


async def load(
    label: str, clients: int, per_client: int, request: Callable[[int, int], Awaitable[bool]]
) -> Figures:
    """``clients`` concurrent loops, each making ``per_client`` requests; times each one."""
    latencies: list[float] = []
    errors = 0

    async def client_loop(c: int) -> None:
        nonlocal errors
        for i in range(per_client):
            started = time.perf_counter()
            ok = await request(c, i)
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not ok

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client_loop(c) for c in range(clients)))
    seconds = time.perf_counter() - started
    return Figures(
        label, clients * per_client, seconds, latencies, errors, time.process_time() - cpu
    )


def connections_per_worker(base_url: str) -> str:
    """How the server's established connections sit on its processes ("5+3"), from ``ss``:
    with several workers the kernel spreads connections by their addresses, so 8 of them can
    land 4+4 or 6+2, and the figures move with it."""
    port = httpx.URL(base_url).port
    ss = shutil.which("ss")
    if ss is None:
        return "unknown (no ss)"
    listing = subprocess.run(
        [ss, "-tnpH", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    pids = Counter(
        line.split("pid=")[1].split(",")[0] for line in listing.splitlines() if "pid=" in line
    )
    return "+".join(str(n) for n in sorted(pids.values(), reverse=True))


def median(values: list[float]) -> float:
    return statistics.median(values)
