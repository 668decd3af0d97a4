"""Hostile or broken input gives a clear French error, before or while parsing."""

import time

import pytest

from bouquet.helios.pes import (
    MAX_FILE_SIZE,
    PESForbiddenXMLError,
    PESRootError,
    PESSyntaxError,
    PESTooLargeError,
    read_pes,
    validate_schema,
    verify_signatures,
)
from bouquet.helios.pes.constants import PESKind

BOMB = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE n:PES_Aller [
 <!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller" x="&e;">&e;</n:PES_Aller>"""
XXE = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!-- a comment first -->
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller">&x;</n:PES_Aller>"""


def test_billion_laughs_is_refused_before_parsing():
    with pytest.raises(PESForbiddenXMLError) as caught:
        read_pes(BOMB)
    assert "DOCTYPE" in caught.value.message


@pytest.mark.parametrize("check", [read_pes, verify_signatures, lambda s: validate_schema(s, PESKind.ALLER)])
def test_external_entity_is_refused_everywhere(check):
    with pytest.raises(PESForbiddenXMLError):
        check(XXE)


def test_truncated_file(pes_aller):
    with pytest.raises(PESSyntaxError) as caught:
        read_pes(pes_aller[: len(pes_aller) // 2])
    assert "tronqué" in caught.value.message and caught.value.line


def test_not_xml_and_empty():
    with pytest.raises(PESSyntaxError, match="illisible"):
        read_pes(b"%PDF-1.4 not xml")
    with pytest.raises(PESSyntaxError, match="vide"):
        read_pes(b"")


def test_wrong_root_and_wrong_namespace(pes_aller):
    with pytest.raises(PESRootError, match="inconnu"):
        read_pes(b'<?xml version="1.0" encoding="ISO-8859-1"?><facture/>')
    other = pes_aller.replace(b'pes_v2/Rev0/aller"', b'pes_v2/Rev0/autre"', 1)
    with pytest.raises(PESRootError, match="espace de noms"):
        read_pes(other)


def test_200_mib_sparse_file_is_refused_by_size_before_parsing(tmp_path):
    path = tmp_path / "huge.xml"
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="ISO-8859-1"?><n:PES_Aller')
        out.truncate(200 * 1024 * 1024)  # sparse: no 200 MiB written nor held in memory
    started = time.monotonic()
    for check in (read_pes, verify_signatures):
        with pytest.raises(PESTooLargeError) as caught:
            check(path)
        assert "limite" in caught.value.message and "128 Mio" in caught.value.message
    assert time.monotonic() - started < 1


def test_stream_growing_past_the_limit_is_stopped(pes_aller):
    with pytest.raises(PESTooLargeError):
        read_pes(pes_aller, max_size=len(pes_aller) - 1)
    assert MAX_FILE_SIZE == 128 * 1024 * 1024


def test_utf16_is_refused():
    with pytest.raises(PESSyntaxError, match="UTF-16"):
        read_pes('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"))
