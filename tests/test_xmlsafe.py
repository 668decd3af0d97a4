"""The shared parser of untrusted XML (bouquet.xmlsafe), and the two vocabularies that wrap it."""

import io
import subprocess
import sys

import pytest
from lxml import etree

from bouquet import xmlsafe
from bouquet.actes.protocol import errors as actes_errors
from bouquet.actes.protocol import xmlsafe as actes_xmlsafe
from bouquet.helios.pes import _xml as pes_xml
from bouquet.helios.pes.errors import PESForbiddenXMLError
from bouquet.marches.decp import errors as decp_errors
from bouquet.marches.decp import xmlsafe as decp_xmlsafe


class Unsafe(Exception):
    pass


class Malformed(Exception):
    pass


VOCABULARY = xmlsafe.XmlVocabulary(
    unsafe=Unsafe,
    malformed=Malformed,
    too_large="trop gros : {size} > {max_size}",
    forbidden="DOCTYPE interdit",
    too_deep="plus de {max_depth} niveaux",
    malformed_detail="mal formé : {detail}",
    empty="vide",
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<r>&lol2;</r>"""

XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'


def parse(data: bytes, *, max_size: int = 1024, max_depth: int = 8) -> etree._Element:
    return xmlsafe.parse_xml(data, max_size=max_size, max_depth=max_depth, vocabulary=VOCABULARY)


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE, b"<!ENTITY a 'b'><r/>"], ids=["bomb", "xxe", "entity"])
def test_declarations_are_refused_before_parsing(data):
    with pytest.raises(Unsafe, match="^DOCTYPE interdit$"):
        parse(data)


def test_a_doctype_hidden_by_utf16_is_refused_after_parsing():
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'.encode("utf-16")
    assert not xmlsafe.has_forbidden_declaration(data)
    with pytest.raises(Unsafe, match="^DOCTYPE interdit$"):
        parse(data)


def test_size_is_checked_first():
    with pytest.raises(Unsafe, match=r"^trop gros : 1025 > 1024$"):
        parse(b"<r>" + b"x" * 1018 + b"</r>")
    assert parse(b"<r>" + b"x" * 1017 + b"</r>").tag == "r"


def test_depth_is_bounded():
    with pytest.raises(Unsafe, match="^plus de 8 niveaux$"):
        parse(b"<a>" * 9 + b"</a>" * 9)
    assert parse(b"<a>" * 8 + b"</a>" * 8).tag == "a"


def test_malformed_and_empty_documents():
    with pytest.raises(Malformed, match="^mal formé : "):
        parse(b"<r><unclosed></r>")
    with pytest.raises(Malformed, match="^mal formé : "):
        parse(b"")


def test_only_bytes_are_accepted():
    with pytest.raises(TypeError):
        parse("<r/>")  # type: ignore[arg-type]


def test_comments_and_processing_instructions_are_dropped():
    root = parse(b"<r><!-- c --><?pi x?><a/></r>")
    assert [child.tag for child in root] == ["a"]


@pytest.mark.parametrize(
    ("module", "unsafe", "malformed", "prefix"),
    [
        (actes_xmlsafe, actes_errors.UnsafeXmlError, actes_errors.MalformedXmlError, "Document XML refusé"),
        (decp_xmlsafe, decp_errors.UnsafeXmlError, decp_errors.UnreadableFileError, "Fichier XML refusé"),
    ],
    ids=["actes", "decp"],
)
def test_each_library_keeps_its_errors_and_wording(module, unsafe, malformed, prefix):
    with pytest.raises(unsafe, match=f"^{prefix} : les déclarations DOCTYPE et ENTITY sont interdites.$"):
        module.parse_xml(XXE)
    with pytest.raises(unsafe, match=f"^{prefix} : plus de 3 niveaux d'imbrication.$"):
        module.parse_xml(b"<a><a><a><a/></a></a></a>", max_depth=3)
    with pytest.raises(unsafe, match=f"^{prefix} : .*20 octets, le maximum.* 10.$"):
        module.parse_xml(b"<r>" + b"x" * 13 + b"</r>", max_size=10)
    with pytest.raises(malformed, match="mal formé ou mal encodé : "):
        module.parse_xml(b"<r>")


def test_the_exact_size_messages():
    with pytest.raises(actes_errors.UnsafeXmlError) as actes:
        actes_xmlsafe.parse_xml(b"<r>" + b"x" * 13 + b"</r>", max_size=10)
    assert str(actes.value) == "Document XML refusé : 20 octets, le maximum est 10."
    with pytest.raises(decp_errors.UnsafeXmlError) as decp:
        decp_xmlsafe.parse_xml(b"<r>" + b"x" * 13 + b"</r>", max_size=10)
    assert str(decp.value) == "Fichier XML refusé : il pèse 20 octets, le maximum accepté est 10."


def test_the_pes_stream_refuses_a_doctype_the_prolog_scan_did_not_see():
    # secure_iterparse alone (no HashingReader prolog scan): the shared post-parse check refuses it.
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    with pytest.raises(PESForbiddenXMLError):
        list(pes_xml.secure_iterparse(io.BytesIO(data)))


def test_the_shared_module_imports_no_django():
    code = "import sys, bouquet.xmlsafe\nassert not any(m.split('.')[0] == 'django' for m in sys.modules)\n"
    subprocess.run([sys.executable, "-c", code], check=True)
