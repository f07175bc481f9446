"""The deployment drill, run by ``make soak`` (``CANTEEN_DEPLOY_DRILL=1``; see conftest.py):
what docs/deploy.md promises, done for real on this machine without containers.

- A PostgreSQL 15 cluster of the drill's own (``initdb``, as the postgres user), and a
  streaming replica of it made with ``pg_basebackup``; the office's report, read through
  ``CANTEEN_REPORTS_DATABASE_URL``, shows a sale once the replica has streamed it.
- ``deploy/backup/pg-backup.sh`` and ``deploy/backup/restore-drill.sh`` on that database.
- nginx with TLS (``deploy/nginx/``) in front of two ``canteen serve`` processes of two workers
  each: ``/readyz`` through nginx, plain HTTP sent to HTTPS, ``/metrics`` kept inside, both
  upstreams serving.
"""

import asyncio
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from canteen import clock, db
from canteen.app import create_app
from tests.checkout.conftest import open_counter
from tests.conftest import free_port, settings_for

pytestmark = pytest.mark.server

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
BIN = Path(sys.executable).parent
PG_BIN = Path(
    subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
)


def as_postgres(*argv: str, **kw) -> subprocess.CompletedProcess[str]:
    """PostgreSQL's own tools refuse to run as root."""
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *argv], capture_output=True, text=True, check=True, **kw
    )


@dataclasses.dataclass
class Cluster:
    data: Path
    port: int

    def url(self, database: str = "canteen") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, *settings: str) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1"
        for setting in settings:
            options += f" -c {setting}"
        as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.data.parent / f"{self.data.name}.log"), "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.data),
             "-m", "fast", "-w", "stop"], capture_output=True, check=False,
        )  # fmt: skip


@pytest.fixture(scope="module")
def place() -> Iterator[Path]:
    """A folder the postgres user can use (pytest's own are the test runner's only)."""
    folder = Path(tempfile.mkdtemp(prefix="canteen-drill-"))
    folder.chmod(0o755)
    shutil.chown(folder, "postgres", "postgres")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def primary(place: Path) -> Iterator[Cluster]:
    cluster = Cluster(place / "primary", free_port())
    as_postgres(str(PG_BIN / "initdb"), "-D", str(cluster.data), "--auth=trust", "-U", "postgres")
    cluster.start("wal_level=replica", "max_wal_senders=5")
    try:
        as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "canteen")
        run_canteen(cluster.url(), place, "init")
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def replica(primary: Cluster, place: Path) -> Iterator[Cluster]:
    cluster = Cluster(place / "replica", free_port())
    as_postgres(
        str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U",
        "postgres", "-D", str(cluster.data), "--wal-method=stream", "--write-recovery-conf",
    )  # fmt: skip
    cluster.start("hot_standby=on")
    try:
        yield cluster
    finally:
        cluster.stop()


def run_canteen(url: str, place: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(BIN / "canteen"), *args],
        env={
            **os.environ,
            "CANTEEN_DATABASE_URL": url,
            "CANTEEN_VAR_DIR": str(place / "var"),
            **env,
        },
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
async def app(primary: Cluster, replica: Cluster) -> AsyncIterator[Starlette]:
    """The app on the drill's primary, its reports on the replica."""
    settings = settings_for(primary.url()).model_copy(
        update={"reports_database_url": replica.url(), "periodic_seconds": 0}
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_the_report_reads_what_the_replica_has_streamed(app, admin, as_role, replica):
    standby = db.reports_connection()
    assert standby is not None
    assert (await standby.execute_query_dict("SELECT pg_is_in_recovery() AS r"))[0]["r"] is True
    counter = await open_counter(admin, as_role)
    assert (await counter.cashier.post("/meals", counter.order())).status_code == 201
    month = clock.now().strftime("%Y-%m")
    meals = 0
    for _ in range(100):  # streaming takes milliseconds; allow a slow machine ten seconds
        report = await admin.get(f"/reports/subsidy-claims?month={month}")
        meals = report.json()["totals"]["meals"]
        if meals:
            break
        await asyncio.sleep(0.1)
    assert meals == 1


def test_a_nightly_dump_restores_whole(primary: Cluster, place: Path):
    backups = place / "backups"
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "PGHOST": "127.0.0.1",
        "PGPORT": str(primary.port),
        "PGUSER": "postgres",
        "PGDATABASE": "canteen",
        "BACKUP_DIR": str(backups),
        "CANTEEN_VAR_DIR": str(place / "var"),
    }
    dump = subprocess.run(
        [str(DEPLOY / "backup" / "pg-backup.sh")], env=env, capture_output=True, text=True
    )
    assert dump.returncode == 0, dump.stderr
    assert [p.suffix for p in backups.iterdir()] == [".dump"]  # no .partial left behind
    drill = subprocess.run(
        [str(DEPLOY / "backup" / "restore-drill.sh")], env=env, capture_output=True, text=True
    )
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert "database is up to date" in drill.stdout
    assert "restore drill passed" in drill.stdout
    scratch = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-At", "-c",
         "SELECT count(*) FROM pg_database WHERE datname LIKE 'canteen_drill_%'"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert scratch.stdout.strip() == "0", "the drill drops its scratch database"


def _nginx_conf(place: Path, https: int, http: int, upstreams: list[int]) -> Path:
    """deploy/nginx's two files for this host, on free ports, with a self-signed certificate."""
    site = (DEPLOY / "nginx" / "canteen.conf").read_text()
    site = site.replace("listen 443 ssl http2;", f"listen {https} ssl http2;")
    site = site.replace("listen 80;", f"listen {http};").replace(
        "/etc/nginx/tls", str(place / "tls")
    )
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    upstream = (DEPLOY / "nginx" / "upstream-server.conf").read_text()
    upstream = upstream.replace("127.0.0.1:8001", f"127.0.0.1:{upstreams[0]}")
    upstream = upstream.replace("127.0.0.1:8002", f"127.0.0.1:{upstreams[1]}")
    (place / "site.conf").write_text(site)
    (place / "upstream.conf").write_text(upstream)
    main = place / "nginx.conf"
    main.write_text(
        f"""user root;
pid {place}/nginx.pid;
error_log {place}/nginx-error.log;
events {{}}
http {{
    access_log {place}/nginx-access.log;
    client_body_temp_path {place}/nginx-body;
    proxy_temp_path {place}/nginx-proxy;
    include {place}/upstream.conf;
    include {place}/site.conf;
}}
"""
    )
    subprocess.run([str(DEPLOY / "nginx" / "self-signed.sh"), str(place / "tls")], check=True)
    return main


async def _ready(url: str, process: subprocess.Popen) -> None:
    async with httpx.AsyncClient(verify=False) as c:
        for _ in range(600):
            assert process.poll() is None, "it stopped"
            try:
                if (await c.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never got ready")


async def test_nginx_with_tls_in_front_of_two_servers(primary: Cluster, place: Path):
    nginx = shutil.which("nginx")
    assert nginx, "make soak installs nginx (apt-get install nginx)"
    ports = [free_port(), free_port()]
    https, http = free_port(), free_port()
    env = {
        **os.environ,
        "CANTEEN_DATABASE_URL": primary.url(),
        "CANTEEN_VAR_DIR": str(place / "var"),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    servers = [
        subprocess.Popen(  # noqa: ASYNC220 (started once; then awaited over HTTP)
            [str(BIN / "canteen"), "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    proxy = subprocess.Popen(  # noqa: ASYNC220
        [nginx, "-p", str(place), "-c", str(_nginx_conf(place, https, http, ports)),
         "-g", "daemon off;"], stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for port, server in zip(ports, servers, strict=True):
            await _ready(f"http://127.0.0.1:{port}/readyz", server)
        await _ready(f"https://127.0.0.1:{https}/readyz", proxy)
        async with httpx.AsyncClient(verify=False) as c:
            plain = await c.get(f"http://127.0.0.1:{http}/counter")
            assert plain.status_code == 301
            assert plain.headers["location"] == "https://127.0.0.1/counter"
            assert (await c.get(f"https://127.0.0.1:{https}/metrics")).status_code == 404
            for _ in range(40):
                r = await c.get(
                    f"https://127.0.0.1:{https}/healthz", headers={"Connection": "close"}
                )
                assert r.status_code == 200 and r.headers["x-request-id"]
                assert r.headers["strict-transport-security"] == "max-age=31536000"
            served = []
            for port in ports:
                text = (await c.get(f"http://127.0.0.1:{port}/metrics")).text
                served.append(
                    sum(
                        float(line.rsplit(" ", 1)[1])
                        for line in text.splitlines()
                        if line.startswith("canteen_request_duration_seconds_count{")
                        and 'route="/healthz"' in line
                    )
                )
        assert sum(served) == 40 and min(served) > 0, served  # both servers took a share
    finally:
        proxy.terminate()
        for server in servers:
            server.terminate()
        for process in (proxy, *servers):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
