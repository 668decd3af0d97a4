"""inspect: message, envelope or archive -> JSON verdict; exit 0 valid, 1 invalid, 2 unreadable."""

import json
import subprocess
import sys

import pytest

from bouquet.actes.protocol import build_transmission, open_transmission, parse_archive_name
from bouquet.actes.protocol.errors import ArchiveError
from bouquet.actes.protocol.inspect import inspect_file, main

from .helpers import ACT_PDF, ANNEX_PDF, FIXTURES, PNG, envelope_name, make_acte, make_envelope, message_name

SEDA = "pastell/test/PHPUnit/module/actes-preversement-seda/fixtures"
GOOD_ACT = f"{SEDA}/034-491011698-20171207-CL20171227_06-DE-1-1_0.xml"
OLD_ACT = "s2low/ok/045-214502494-20170717-D201717-DE-1-1_0.xml"


def _transmission(acte=None, main_document=None):
    acte = acte or make_acte()
    name = message_name()
    contents = [main_document or ACT_PDF.read_bytes(), ANNEX_PDF.read_bytes(), PNG]
    documents = [
        (f.nom_fichier, data) for f, data in zip((acte.document, *acte.annexes), contents, strict=True)
    ]
    return build_transmission(
        trigramme="BQT",
        envelope_name=envelope_name(),
        envelope=make_envelope(str(name)),
        messages=[(name, acte)],
        documents=documents,
    )


def _run(path, capsys):
    code = main([str(path)])
    return code, json.loads(capsys.readouterr().out)


def test_it_builds_and_opens_a_transmission():
    transmission = _transmission()
    assert transmission.name == "BQT-EACT--491011698--20241210-1.tar.gz"
    assert parse_archive_name(transmission.name).trigramme == "BQT"
    assert transmission.members[0] == "EACT--491011698--20241210-1.xml"
    assert transmission.members[1] == "034-491011698-20241209-20241209_MR02-DE-1-1_0.xml"
    assert transmission.members[2].startswith("99_DE-")
    opened = open_transmission(transmission.data)
    assert opened.envelope.code == "EnveloppeCLMISILL" and opened.envelope.schema_valid
    assert [parsed.message for _, parsed in opened.messages] == [make_acte()]
    assert opened.files[transmission.members[2]] == ACT_PDF.read_bytes()


def test_a_transmission_must_list_its_messages_and_documents():
    name = message_name()
    with pytest.raises(ArchiveError, match="annonce"):
        build_transmission(
            trigramme="BQT",
            envelope_name=envelope_name(),
            envelope=make_envelope("autre.xml"),
            messages=[(name, make_acte(annexes=0))],
            documents=[],
        )
    with pytest.raises(ArchiveError, match="manquants"):
        build_transmission(
            trigramme="BQT",
            envelope_name=envelope_name(),
            envelope=make_envelope(str(name)),
            messages=[(name, make_acte(annexes=0))],
            documents=[],
        )


def test_it_inspects_a_built_archive(tmp_path, capsys):
    transmission = _transmission()
    path = tmp_path / transmission.name
    path.write_bytes(transmission.data)
    code, report = _run(path, capsys)
    assert code == 0, report
    assert report["kind"] == "archive" and report["valid"] is True
    assert report["envelope"]["code"] == "EnveloppeCLMISILL"
    assert report["messages"][0]["code"] == "1-1"
    assert report["messages"][0]["fields"]["numero_interne"] == "20241209_MR02"
    assert report["messages"][0]["rules"] == {"valid": True, "findings": []}


def test_it_reports_business_findings_in_an_archive(tmp_path, capsys):
    transmission = _transmission(main_document=PNG)
    path = tmp_path / transmission.name
    path.write_bytes(transmission.data)
    code, report = _run(path, capsys)
    assert code == 1
    findings = report["messages"][0]["rules"]["findings"]
    assert [f["code"] for f in findings] == ["document_format"]
    assert findings[0]["message"] == "Le document principal doit être un PDF."


def test_it_inspects_a_valid_sample(capsys):
    code, report = _run(FIXTURES / GOOD_ACT, capsys)
    assert code == 0
    assert (report["kind"], report["code"], report["valid"]) == ("message", "1-1", True)
    assert report["fields"]["objet"] == "Fichier signé parapheur"


def test_it_inspects_an_invalid_sample_with_the_reason(capsys):
    code, report = _run(FIXTURES / OLD_ACT, capsys)
    assert code == 1
    assert report["schema"]["valid"] is False
    assert "DocumentPapier" in report["schema"]["errors"][0]


def test_it_inspects_an_envelope(capsys):
    code, report = _run(FIXTURES / "s2low/ok/EACT--214502494--20170717-6.xml", capsys)
    assert code == 0 and report["fields"]["idcl"]["siren"] == "214502494"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("laughs.xml", b'<!DOCTYPE a [<!ENTITY a "a">]><a>&a;</a>'),
        ("broken.xml", b"<a>"),
        ("broken.tar.gz", b"\x1f\x8b\x08\x00broken"),
    ],
)
def test_unreadable_files_exit_2(tmp_path, capsys, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    code, report = _run(path, capsys)
    assert code == 2
    assert report["readable"] is False and report["error"]


def test_a_missing_file_exits_2(tmp_path):
    assert inspect_file(tmp_path / "absent.xml")["readable"] is False


def test_it_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "bouquet.actes.protocol.inspect", str(FIXTURES / GOOD_ACT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["code"] == "1-1"
    assert "RuntimeWarning" not in result.stderr


def test_the_library_does_not_import_django():
    code = "import sys, bouquet.actes.protocol.inspect; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
