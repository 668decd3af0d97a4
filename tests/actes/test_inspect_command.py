"""`bouquet actes inspect FILE`, run as operator staff would: a real process, JSON on stdout."""

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "actes"


def run_inspect(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bouquet.cli", "actes", "inspect", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_prints_the_message_type_and_exits_0_for_a_valid_envelope():
    result = run_inspect(FIXTURES / "s2low/ok/EACT--214502494--20170717-6.xml")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert "214502494" in result.stdout


def test_it_exits_1_with_the_reason_for_an_invalid_message():
    result = run_inspect(
        FIXTURES / "s2low/test-message-anomalie-avec-erreur/034-000000000-20170701-20170721D-AI-1-3_0.xml"
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["code"] == "1-3"


def test_it_exits_2_on_an_unreadable_file(tmp_path):
    bad = tmp_path / "x.xml"
    bad.write_bytes(b"<not-xml")
    assert run_inspect(bad).returncode == 2
