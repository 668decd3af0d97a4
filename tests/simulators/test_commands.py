"""The simulators as `bouquet` commands: embedded defaults under var/, hyphenated names."""

import os
import subprocess
import sys

from bouquet.helios.pes import read_pes


def bouquet(*args: str, var_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "BOUQUET_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bouquet.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_simulate_dgfip_writes_a_retour_under_var(tmp_path):
    result = bouquet(
        "simulate-dgfip", "retour", "--idcoll", "21210054000011", "--codcol", "042", var_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    (retour,) = (tmp_path / "dgfip" / "sortie").iterdir()
    document = read_pes(retour)
    assert document.kind == "PES_Retour"


def test_simulate_ministry_is_a_known_command(tmp_path):
    result = bouquet("simulate-ministry", "--help", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--deliver" in result.stdout
