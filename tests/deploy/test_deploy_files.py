"""deploy/ checked against the app it deploys (no container engine runs on the test machines):
the compose file's and the systemd units' commands are ones ``canteen`` accepts, every
``CANTEEN_*`` variable they set is a setting the app reads, nginx sends traffic to the app
services that exist, and every file they mount is in the repository."""

import re
import shlex
from pathlib import Path

import pytest
import yaml

from canteen import cli
from canteen.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
SETTINGS = {f"CANTEEN_{name.upper()}" for name in Settings.model_fields}
ALSO_READ = {"CANTEEN_REPORTS_DATABASE_URL"}
"""Read where it is used rather than by ``Settings``."""


def _canteen_commands() -> list[tuple[str, list[str]]]:
    found = []
    for name, service in SERVICES.items():
        command = service.get("command")
        if isinstance(command, list) and command and command[0] == "canteen":
            found.append((f"compose:{name}", command[1:]))
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=") and "/bin/canteen " in line:
                argv = shlex.split(line.removeprefix("ExecStart="))
                found.append((unit.name, [a.replace("%i", "8001") for a in argv[1:]]))
    return found


@pytest.mark.parametrize(("where", "argv"), _canteen_commands(), ids=lambda x: str(x))
def test_every_canteen_command_is_one_the_command_takes(where, argv):
    args = cli.parser().parse_args(argv)
    assert args.func is not None, where


def _variables() -> set[str]:
    names = set()
    for service in SERVICES.values():
        names |= set(service.get("environment", {}))
    texts = [(DEPLOY / "canteen.env.example").read_text()]
    texts += [unit.read_text() for unit in (DEPLOY / "systemd").glob("*.service")]
    for text in texts:
        names |= set(re.findall(r"\b(CANTEEN_[A-Z_]+)=", text))
    return {name for name in names if name.startswith("CANTEEN_")}


def test_every_canteen_variable_set_is_a_setting_the_app_reads():
    assert _variables() - SETTINGS - ALSO_READ == set()


def test_app_services_run_the_app_and_nginx_reaches_each_of_them():
    apps = {name for name, s in SERVICES.items() if s.get("command", [""])[1:2] == ["serve"]}
    assert apps == {"app-a", "app-b"}
    upstream = (DEPLOY / "nginx" / "upstream-compose.conf").read_text()
    assert set(re.findall(r"server ([\w-]+):8000", upstream)) == apps


def test_the_app_believes_forwarded_addresses_only_from_nginx():
    nginx_ip = SERVICES["nginx"]["networks"]["canteen"]["ipv4_address"]
    for name in ("app-a", "app-b"):
        assert SERVICES[name]["environment"]["FORWARDED_ALLOW_IPS"] == nginx_ip
    assert "ports" not in SERVICES["app-a"] and "ports" not in SERVICES["db"]
    site = (DEPLOY / "nginx" / "canteen.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site  # overwritten, not appended


def test_every_mounted_file_and_named_volume_exists():
    declared = set(COMPOSE.get("volumes", {}))
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                if source == "./nginx/tls":
                    continue  # the certificate: made by nginx/self-signed.sh or brought
                assert (DEPLOY / source).exists(), f"{name} mounts {source}"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_the_services_wait_for_what_they_need():
    for name, service in SERVICES.items():
        for needed in service.get("depends_on", {}):
            assert needed in SERVICES, f"{name} waits for {needed}"
    assert SERVICES["app-a"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
