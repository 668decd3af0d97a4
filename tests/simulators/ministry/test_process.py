"""The simulator as a separate process: no Django inside, clean stop on SIGTERM, the Django command."""

import signal
import socket
import subprocess
import sys
import time

from bouquet.simulators.ministry.state import SCHEMA, State


def test_simulator_never_imports_django():
    code = (
        "import sys\n"
        "assert 'django' not in sys.modules\n"
        "import bouquet.simulators.ministry, bouquet.simulators.ministry.server\n"
        "import bouquet.simulators.ministry.cli, bouquet.simulators.ministry.ui\n"
        "import bouquet.simulators.ministry.processing\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not leaked, leaked\n"
        "allowed = ('actes', 'simulators', 'xmlsafe')\n"
        "assert not any(m.startswith('bouquet.') and m.split('.')[1] not in allowed "
        "for m in sys.modules), sorted(m for m in sys.modules if m.startswith('bouquet.'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_server_process_stops_cleanly_on_sigterm(pki, tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bouquet.simulators.ministry.server", "--listen", f"127.0.0.1:{port}",
         "--cert", str(pki.server_cert), "--key", str(pki.server_key), "--client-ca", str(pki.ca_chain),
         "--deliver", f"maildir://{tmp_path / 'maildir'}", "--state-dir", str(tmp_path / "state"),
         "--ui-listen", "", "--authority", "214502494"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "arrêt du simulateur" in stderr
    assert State(tmp_path / "state").is_registered("214502494")


def test_management_command_parses_the_server_options():
    from bouquet.simulators.management.commands.simulate_ministry import OPTION_NAMES, Command

    options = (
        Command()
        .create_parser("bouquet", "simulate_ministry")
        .parse_args(["--listen", "127.0.0.1:9444", "--authority", "214502494", "--drop-answers"])
    )
    assert options.listen == "127.0.0.1:9444" and options.authority == ["214502494"] and options.drop_answers
    assert all(hasattr(options, name) for name in OPTION_NAMES)


def test_cli_alias_maps_the_hyphenated_name():
    from bouquet.cli import ALIASES

    assert ALIASES["simulate-ministry"] == "simulate_ministry"
    assert "CREATE TABLE IF NOT EXISTS acts" in SCHEMA
