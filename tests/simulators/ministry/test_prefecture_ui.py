"""The préfecture played by hand: the loopback web page and the CLI."""

import re
import urllib.parse

import pytest
import requests

from bouquet.actes.protocol import parse_message
from bouquet.simulators.ministry import cli
from bouquet.simulators.ministry.pdf import letter_pdf
from bouquet.simulators.ministry.state import State
from bouquet.simulators.ministry.ui import PrefectureUI
from tests.simulators.ministry.support import DEPT, SIREN, act_archive, all_files, post, wait_mails

ID_ACTE = f"{DEPT}-{SIREN}-20250314-D2025_001-DE"


@pytest.fixture
def acknowledged(simulator, client_cert, pki):
    archive = act_archive()
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    wait_mails(simulator.maildir, 1)
    return simulator


def _ui(running, path: str = "/", **form: str) -> requests.Response:
    url = f"http://127.0.0.1:{running.sim.ui_port}{path}"
    return requests.post(url, data=form, timeout=10) if form else requests.get(url, timeout=10)


def test_ui_lists_acts_and_sends_a_3_1_letter(acknowledged):
    page = _ui(acknowledged)
    assert page.status_code == 200 and ID_ACTE in page.text and "Actes reçus" in page.text
    response = _ui(
        acknowledged, "/courrier", type="3-1", id_acte=ID_ACTE, texte="Merci de joindre le budget."
    )
    assert response.status_code == 200 and "Courrier 3-1 envoyé" in response.text
    files = all_files(acknowledged.maildir, 2)
    xml_name = f"{ID_ACTE}-3-1_0.xml"
    pdf_name = f"{ID_ACTE}-3-1_1.pdf"
    assert xml_name in files and pdf_name in files
    assert any(name.startswith("TACT--SPREF0011-") for name in files)
    letter = parse_message(files[xml_name])
    assert letter.schema_valid and letter.code == "3-1"
    assert letter.message.description_pieces == "Merci de joindre le budget."
    assert letter.message.document.nom_fichier == pdf_name
    assert files[pdf_name].startswith(b"%PDF-1.4")


def test_ui_refuses_bad_actions_and_get_is_read_only(acknowledged):
    assert (
        _ui(
            acknowledged, "/courrier", type="3-1", id_acte="034-000000000-20250101-X-DE", texte="a"
        ).status_code
        == 400
    )
    assert _ui(acknowledged, "/inconnu").status_code == 404
    assert _ui(acknowledged, "/reponse", id="42").status_code == 400


def test_ui_registers_a_siren_and_sends_the_classification(acknowledged):
    assert _ui(acknowledged, "/enregistrer", siren="123456789").status_code == 200
    assert acknowledged.sim.state.is_registered("123456789")
    assert _ui(acknowledged, "/classification", siren=SIREN, inchangee="1").status_code == 200
    files = all_files(acknowledged.maildir, 2)
    assert parse_message(files[f"{DEPT}-{SIREN}----7-3_0.xml"]).schema_valid


def test_ui_listens_on_loopback_only(tmp_path):
    with pytest.raises(ValueError, match="boucle locale"):
        PrefectureUI(("0.0.0.0", 0), State(tmp_path), None)  # type: ignore[arg-type]


def test_cli_letter_register_and_list(acknowledged, capsys):
    argv = ["--state-dir", str(acknowledged.state_dir), "--deliver", f"maildir://{acknowledged.maildir}"]
    assert cli.main([*argv, "letter", "--type", "4-1", "--id-acte", ID_ACTE, "--text", "Observations."]) == 0
    files = all_files(acknowledged.maildir, 2)
    assert parse_message(files[f"{ID_ACTE}-4-1_0.xml"]).message.motif == "Observations."
    assert cli.main([*argv, "letter", "--type", "5-1", "--id-acte", ID_ACTE, "--text", "Déféré."]) == 0
    defere = parse_message(all_files(acknowledged.maildir, 3)[f"{ID_ACTE}-5-1_0.xml"])
    assert defere.schema_valid and defere.message.nature_illegalite == "Déféré."
    assert cli.main(["--state-dir", str(acknowledged.state_dir), "register", "987654321"]) == 0
    capsys.readouterr()
    assert cli.main(["--state-dir", str(acknowledged.state_dir), "list", "letters"]) == 0
    out = capsys.readouterr().out
    assert "code=4-1" in out and "code=5-1" in out
    assert (
        cli.main(
            [*argv, "letter", "--type", "2-1", "--id-acte", "034-000000000-20250101-X-DE", "--text", "x"]
        )
        == 1
    )


def test_letter_pdf_is_well_formed():
    pdf = letter_pdf("Lettre d'observations", "Texte (avec parenthèses) \\ et accents : é à ç.\n" * 30)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    startxref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[startxref:].startswith(b"xref")
    offsets = re.findall(rb"(\d{10}) 00000 n ", pdf)
    for number, offset in enumerate(offsets, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)
    length = int(re.search(rb"/Length (\d+)", pdf)[1])
    stream = pdf.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"endstream")
    assert urllib.parse.quote("é") and b"(avec parenth\xe8ses\\)" in pdf.replace(b"\\(", b"(")
