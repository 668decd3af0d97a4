"""S²LOW's pre-send checks, with their stable codes and French messages."""

from bouquet.helios.pes import check_outgoing, has_errors, read_pes

from .conftest import S2LOW


def codes(findings):
    return [f.code for f in findings]


def test_valid_file_passes(pes_aller):
    assert check_outgoing(read_pes(pes_aller)) == ()


def test_utf8_declaration_is_a_finding():
    (finding,) = check_outgoing(read_pes(S2LOW / "pes_aller_utf8.xml"))
    assert finding.code == "encoding_not_iso_8859_1" and "ISO-8859-1" in finding.message
    assert "UTF-8" in finding.message


def test_duplicate_nomfic_codcol_via_callable(pes_aller):
    seen = []

    def is_known(nomfic, codcol):
        seen.append((nomfic, codcol))
        return True

    findings = check_outgoing(read_pes(pes_aller), is_known=is_known)
    assert seen == [("03f432a4f6d35110bf309fb525eb61f7", "400")]
    assert codes(findings) == ["nomfic_codcol_known"] and "existe déjà" in findings[0].message


def test_byte_identical_duplicate_via_sha256(pes_aller):
    import hashlib

    known = {hashlib.sha256(pes_aller).hexdigest()}
    findings = check_outgoing(read_pes(pes_aller), is_duplicate=known.__contains__)
    assert codes(findings) == ["duplicate_content"] and "Doublon" in findings[0].message
    assert check_outgoing(read_pes(pes_aller + b"\n"), is_duplicate=known.__contains__) == ()


def test_empty_codcol_idcoll_nomfic():
    assert codes(check_outgoing(read_pes(S2LOW / "pes_aller_empty.xml"))) == ["empty"]
    findings = check_outgoing(read_pes(S2LOW / "pes_aller_PasDeNomFic.xml"))
    assert codes(findings) == ["nomfic_missing", "codcol_too_long"] and has_errors(findings)
    (finding,) = check_outgoing(read_pes(S2LOW / "pes_aller_IdColl_trop_long.xml"))
    assert "123456789123456" in finding.message and "14" in finding.message


def test_duplicate_ids_are_refused(pes_aller):
    doubled = pes_aller.replace(b"<PES_PJ>", b'<PES_PJ Id="BORD1093357910">')
    assert codes(check_outgoing(read_pes(doubled))) == ["duplicate_ids"]


def test_incoming_kind_cannot_be_sent():
    assert codes(check_outgoing(read_pes(S2LOW / "pes_acquit.xml"))) == ["not_outgoing"]


def test_acquit_retour_uses_codcoll():
    assert check_outgoing(read_pes(S2LOW / "PES_ACQUIT_RETOUR.xml")) == ()
