"""`bouquet helios inspect FILE`, run as operator staff would: a real process, JSON on stdout."""

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = (
    Path(__file__).parent.parent / "fixtures" / "pes" / "s2low" / "test" / "PHPUnit" / "helios" / "fixtures"
)


def run_inspect(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bouquet.cli", "helios", "inspect", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_reads_an_acquit_and_exits_0():
    result = run_inspect(FIXTURES / "pes_acquit.xml")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["kind"] == "PES_ACQUIT"


def test_it_exits_1_with_the_reason_for_an_empty_pes_aller():
    result = run_inspect(FIXTURES / "pes_aller_empty.xml")
    assert result.returncode == 1
    assert "empty" in result.stdout


def test_it_exits_2_on_an_unreadable_file(tmp_path):
    bad = tmp_path / "x.xml"
    bad.write_bytes(b"\x00\x01 not xml")
    assert run_inspect(bad).returncode == 2
