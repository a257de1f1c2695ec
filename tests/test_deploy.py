"""deploy/nginx.conf, the config the README's "Serving a class" ships: websockets pass, a browser
keeps to one replica by cookie, and a real nginx in front of two real replicas keeps every
session whole (bench/replicas.py, with few sessions). nginx comes from Debian (.ci/run installs it)."""

import asyncio
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import replicas


def run_apart(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps an event loop
    running in the main thread for the whole session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_shipped_config_upgrades_websockets_and_keeps_a_browser_on_one_replica():
    text = replicas.NGINX_CONF.read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "hash $gatelab_replica consistent;" in text  # cookie affinity, not ip_hash (a school's NAT)
    assert "ip_hash" not in re.sub(r"#.*", "", text)
    assert re.search(r"Set-Cookie \"gatelab_replica=\$gatelab_replica;", text)
    assert "location = /_stcore/metrics { return 404; }" in text


def test_the_loopback_config_is_the_shipped_one_with_local_addresses(tmp_path):
    text = replicas.loopback_config([8601, 8602], 9000)
    assert re.findall(r"server 127\.0\.0\.1:(\d+);", text) == ["8601", "8602"]
    assert "app-1" not in text and "listen 127.0.0.1:9000;" in text
    shipped = replicas.NGINX_CONF.read_text()
    assert text.count("\n") == shipped.count("\n")  # two server lines out, two in: nothing else changed
    assert "hash $gatelab_replica" not in replicas.loopback_config([8601], 9000, affinity=False)
    (tmp_path / "gatelab.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(
        f"error_log {tmp_path}/error.log;\npid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path}/gatelab.conf; }}\n"
    )
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


@pytest.mark.slow
def test_two_replicas_behind_nginx_keep_every_session_its_own():
    row = run_apart(replicas.class_through_nginx(replicas=2, sessions=6, moves=2))
    assert row.startswith("| 2 | 6 |") and row.endswith("| 6 of 6 |")


@pytest.mark.slow
def test_without_the_cookie_an_upload_lands_on_a_replica_without_its_session():
    """The check above can fail. With round robin and one session, nginx alternates: its own health
    check, the session's health request (which sets the cookies), its websocket, its upload: the
    upload always reaches the replica that does not hold the session."""
    with pytest.raises(AssertionError, match="reached a replica without its session"):
        run_apart(replicas.class_through_nginx(replicas=2, sessions=1, moves=1, affinity=False))


def test_the_compose_file_runs_the_replicas_the_config_names_behind_that_config():
    compose = (replicas.ROOT / "deploy" / "compose.yaml").read_text()
    upstream = re.findall(r"server (app-\d+):8501;", replicas.NGINX_CONF.read_text())
    services = re.findall(r"(?m)^  ([\w-]+):", compose)
    assert upstream == ["app-1", "app-2"] and set(upstream) < set(services)
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in compose
    assert re.search(r"build: \.\.\n", compose)  # the repository's Dockerfile
