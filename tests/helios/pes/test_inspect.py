"""The JSON report and exit status of ``python -m bouquet.helios.pes.inspect``."""

import json

from bouquet.helios.pes.inspect import inspect_file, main

from .conftest import S2LOW, SIGNED_PASTELL


def test_valid_pes_aller(capsys):
    assert main([str(S2LOW / "pes_aller.xml")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "PES_Aller" and report["status"] == "valid"
    assert report["envelope"]["nom_fic"] == "03f432a4f6d35110bf309fb525eb61f7"
    assert report["header"]["cod_col"] == "400" and report["content"]["total_depense"] == "75724.75"
    assert report["schema"]["checked_parts"] == ["Enveloppe", "EnTetePES", "PES_PJ"]
    assert "PES_DepenseAller" in report["schema"]["unchecked_parts"]


def test_invalid_files_exit_1(capsys):
    assert main([str(S2LOW / "pes_aller_utf8.xml")]) == 1
    assert json.loads(capsys.readouterr().out)["checks"][0]["code"] == "encoding_not_iso_8859_1"
    assert main([str(S2LOW / "wrong_root.xml")]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "wrong_root"
    assert main([str(S2LOW / "pes_acquit_not_valid.xml")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["acquit"][0]["errors"][0]["code"] == "ERREUR_AUTRE"
    assert report["schema"]["errors"][0]["line"] == 2


def test_unreadable_exit_2(tmp_path, capsys):
    path = tmp_path / "tronque.xml"
    path.write_bytes((S2LOW / "pes_aller.xml").read_bytes()[:500])
    assert main([str(path)]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "not_well_formed"
    assert main([str(tmp_path / "absent.xml")]) == 2


def test_callables_and_signatures():
    report = inspect_file(
        SIGNED_PASTELL, is_known=lambda n, c: True, validate_signer=lambda der, when: (False, "AC inconnue")
    )
    assert report["status"] == "invalid"
    assert [c["code"] for c in report["checks"]] == ["nomfic_codcol_known"]
    (signature,) = report["signatures"]
    assert (
        signature["crypto_ok"]
        and signature["signer_ok"] is False
        and signature["signing_time"].startswith("2017")
    )
    json.dumps(report)
