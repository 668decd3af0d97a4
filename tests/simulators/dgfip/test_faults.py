"""Fault modes, switched live through the JSON file that the simulator rereads at each connection."""

import ftplib
import io
import time
from pathlib import Path

import pytest

from bouquet.simulators.dgfip import load_faults

from .conftest import S2LOW, Harness, wait_until

PES = (S2LOW / "pes_aller_ok.xml").read_bytes()


def test_refused_connections_then_back(dgfip: Harness) -> None:
    dgfip.set_faults(refuse_connections=True)
    with pytest.raises(ftplib.error_temp, match="^421"):
        dgfip.connect()
    dgfip.set_faults()
    dgfip.connect().quit()


def test_site_refused(dgfip: Harness) -> None:
    dgfip.set_faults(site_refused=["P_MSG"])
    ftp = dgfip.connect()
    assert ftp.sendcmd("SITE P_DEST VHPCE11").startswith("200")
    with pytest.raises(ftplib.error_perm, match="^550"):
        ftp.sendcmd("SITE P_MSG PES#123#034000#12")
    ftp.quit()


def test_partial_upload_is_an_error_and_nothing_is_processed(dgfip: Harness) -> None:
    dgfip.set_faults(cut_upload_after_bytes=1000)
    with pytest.raises(ftplib.error_temp, match="^426"):
        dgfip.send(PES, "PESALR2_cut.xml")
    [entry] = dgfip.settled()
    assert (entry["verdict"], entry["size"]) == ("incomplete", 1000)
    assert not (dgfip.simulator.entree / "PESALR2_cut.xml").exists()
    time.sleep(0.2)
    assert list(dgfip.sortie.iterdir()) == []


def test_no_acquit(dgfip: Harness) -> None:
    dgfip.set_faults(no_acquit=True)
    dgfip.send(PES, "PESALR2_silent.xml")
    assert dgfip.settled()[0]["verdict"] == "withheld"
    assert list(dgfip.sortie.iterdir()) == []


def test_duplicated_acquit(dgfip: Harness) -> None:
    dgfip.set_faults(duplicate_acquit=True)
    dgfip.send(PES, "PESALR2_dup.xml")
    first, second = dgfip.sortie / "ACQUIT_PESALR2_dup.xml", dgfip.sortie / "ACQUIT_PESALR2_dup_2.xml"
    wait_until(lambda: first.exists() and second.exists())
    assert first.read_bytes() == second.read_bytes()


def test_delayed_acquit(dgfip: Harness) -> None:
    dgfip.set_faults(acquit_delay_seconds=0.5)
    dgfip.send(PES, "PESALR2_late.xml")
    assert not (dgfip.sortie / "ACQUIT_PESALR2_late.xml").exists()
    wait_until((dgfip.sortie / "ACQUIT_PESALR2_late.xml").exists, timeout=5)


def test_slow_transfers(dgfip: Harness) -> None:
    dgfip.set_faults(throttle_bytes_per_second=8192)
    data = PES + b"<!--" + b"x" * 20000 + b"-->"  # a comment after the root: still a valid PES
    start = time.monotonic()
    dgfip.send(data, "PESALR2_slow.xml")
    assert time.monotonic() - start > 1.0
    dgfip.settled()
    ftp = dgfip.connect()  # downloads of acquits are throttled too
    start = time.monotonic()
    ftp.retrbinary("RETR /sortie/ACQUIT_PESALR2_slow.xml", io.BytesIO().write)
    ftp.quit()
    assert dgfip.entries()[0]["verdict"] == "accepted"


def test_broken_fault_file_means_no_fault(tmp_path: Path) -> None:
    path = tmp_path / "faults.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_faults(path).refuse_connections is False
    path.write_text('{"no_acquit": true, "typo": 1}', encoding="utf-8")
    faults = load_faults(path)
    assert faults.no_acquit and faults.unknown == ("typo",)
    assert load_faults(tmp_path / "missing.json").no_acquit is False
