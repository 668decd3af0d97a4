"""``bouquet run``: supervision of its children, and the real processes on loopback."""

import ftplib
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
import requests
from django.core.management import CommandError, call_command

from bouquet.core.management.commands import run
from tests.conftest import require_tool
from tests.edge.conftest import free_port

PYTHON = sys.executable


def test_it_stops_everything_when_one_child_dies(monkeypatch, tmp_path):
    marker = tmp_path / "sleeper-stopped"
    sleeper = (
        "import signal, sys, time\n"
        f"signal.signal(signal.SIGTERM, lambda *a: (open({str(marker)!r}, 'w'), sys.exit(0)))\n"
        "time.sleep(60)"
    )
    monkeypatch.setattr(
        run,
        "CHILDREN",
        [
            run.Child("sleeper", lambda o: [PYTHON, "-c", sleeper]),
            run.Child(
                "crasher", lambda o: [PYTHON, "-c", "import time; time.sleep(0.5); raise SystemExit(3)"]
            ),
        ],
    )
    started = time.monotonic()
    with pytest.raises(CommandError, match="crasher"):
        call_command("run", "--no-nginx", "--no-simulators")
    assert time.monotonic() - started < 10
    assert marker.exists()


def test_it_runs_as_many_actes_workers_as_asked(monkeypatch, tmp_path):
    started = (
        f"import os, pathlib, time\npathlib.Path({str(tmp_path)!r}, str(os.getpid())).touch()\ntime.sleep(60)"
    )
    monkeypatch.setattr(
        run,
        "CHILDREN",
        [
            run.Child("twin", lambda o: [PYTHON, "-c", started], count=lambda o: o["actes_workers"]),
            run.Child("crasher", lambda o: [PYTHON, "-c", "import time; time.sleep(3); raise SystemExit(3)"]),
        ],
    )
    with pytest.raises(CommandError, match="crasher"):
        call_command("run", "--no-nginx", "--no-simulators", "--actes-workers", "3")
    assert len(list(tmp_path.iterdir())) == 3
    with pytest.raises(CommandError, match="au moins 1"):
        call_command("run", "--no-nginx", "--no-simulators", "--actes-workers", "0")
    assert len(list(tmp_path.iterdir())) == 3  # nothing started


@pytest.mark.nginx
def test_it_serves_the_platform_until_sigterm(tmp_path):
    require_tool("nginx")
    env = {
        **os.environ,
        "BOUQUET_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/bouquet.sqlite3",
        "DJANGO_SETTINGS_MODULE": "bouquet.config.settings",
    }
    bouquet = [PYTHON, "-m", "bouquet.cli"]
    subprocess.run([*bouquet, "migrate", "--noinput"], env=env, check=True, capture_output=True, timeout=120)
    web, tls, ministry, ministry_ui, dgfip = (free_port() for _ in range(5))
    ports = ["--web-port", str(web), "--tls-port", str(tls), "--ministry-port", str(ministry),
             "--ministry-ui-port", str(ministry_ui), "--dgfip-port", str(dgfip)]  # fmt: skip
    process = subprocess.Popen(
        [*bouquet, "run", *ports, "--no-worker", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        while not any("Ctrl-C" in line for line in lines):
            line = process.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        session = requests.Session()
        session.trust_env = False
        root = tmp_path / "pki" / "demo" / "root.pem"
        response = session.get(
            f"https://127.0.0.1:{tls}/api/test-connexion.php", verify=str(root), timeout=20
        )
        assert response.text.startswith("KO\n")
        assert session.get(f"http://127.0.0.1:{web}/connexion/", timeout=20).status_code == 200
        css = session.get(f"http://127.0.0.1:{web}/static/web/bouquet.css", timeout=20)
        assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]
        # Through nginx the certificate is believed (here: judged, as nobody trusts it yet)…
        user = tmp_path / "pki" / "demo" / "valid_rgs"
        via_nginx = session.get(
            f"https://127.0.0.1:{tls}/api/test-connexion.php",
            verify=str(root),
            timeout=20,
            cert=(str(user.with_suffix(".pem")), str(user.with_suffix(".key"))),
        )
        assert via_nginx.text.startswith("KO\n") and "Aucun certificat" not in via_nginx.text
        # …while a local user sending the same header straight to gunicorn, without the
        # proxy secret that `bouquet run` generated, is not believed.
        forged = session.get(
            f"http://127.0.0.1:{web}/api/test-connexion.php",
            timeout=20,
            headers={"X-SSL-Client-Cert": quote(user.with_suffix(".pem").read_text())},
        )
        assert "Aucun certificat" in forged.text
        # The simulators of the two counterparts are up: the prefecture's page and the DGFiP's FTP.
        assert session.get(f"http://127.0.0.1:{ministry_ui}/", timeout=20).status_code == 200
        with ftplib.FTP() as ftp:
            ftp.connect("127.0.0.1", dgfip, timeout=20)
            ftp.login("tdt", "tdt")
            assert "entree" in " ".join(ftp.nlst())
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
    with pytest.raises(requests.ConnectionError):
        session.get(f"http://127.0.0.1:{web}/", timeout=5)
